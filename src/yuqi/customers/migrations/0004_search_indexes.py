"""Indexes for the customer search box on PostgreSQL (SQLite has no such index types).

The search matches ``UPPER(name) LIKE '%q%'`` or ``UPPER(external_id) = 'Q'`` or the phone's
last digits; on 1M-contact, 50k-customer data each entry read the whole table. A trigram index
answers the name part and an expression index the customer id, so PostgreSQL combines three
index scans. ``pg_trgm`` is a trusted extension (PostgreSQL 13+); where it cannot be created the
name index is left out and search still works, as before, by reading the table.
"""

from django.db import migrations

TRGM = (
    "CREATE INDEX IF NOT EXISTS customers_customer_name_upper_trgm "
    'ON customers_customer USING gin ((UPPER("name"::text)) gin_trgm_ops)'
)
EXTERNAL_ID = (
    "CREATE INDEX IF NOT EXISTS customers_customer_external_id_upper "
    'ON customers_customer ((UPPER("external_id"::text)))'
)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(EXTERNAL_ID)
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        have = cursor.fetchone() is not None
        if not have:
            cursor.execute("SAVEPOINT yuqi_trgm")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception:  # no privilege or no contrib package: search reads the table
                cursor.execute("ROLLBACK TO SAVEPOINT yuqi_trgm")
            else:
                cursor.execute("RELEASE SAVEPOINT yuqi_trgm")
                have = True
        if have:
            cursor.execute(TRGM)
        # statistics for the new expressions, or the planner guesses hundreds of matches and
        # keeps walking the id order instead of the indexes until autovacuum gets round to it
        cursor.execute("ANALYZE customers_customer")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS customers_customer_name_upper_trgm")
        cursor.execute("DROP INDEX IF EXISTS customers_customer_external_id_upper")


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_tier_service_level")]

    operations = [migrations.RunPython(create, drop)]
