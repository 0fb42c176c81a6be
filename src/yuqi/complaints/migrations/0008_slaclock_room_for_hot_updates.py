"""Room on every page of the SLA clocks' table for the new versions of its rows (PostgreSQL).

A clock row is updated many times in its life (each clock action, every recomputation, the
alert sweep's claim and deferral), and none of those updates changes an indexed column, so
PostgreSQL can write the new version on the same page without touching the table's 8 indexes
(a HOT update), if the page has room. Filled to the brim (``fillfactor`` 100, the default, and
how ``COPY`` and a bulk load leave pages), it has none: each update writes 8 index entries.
At ``fillfactor`` 80 a claim of 5,000 clocks on a freshly loaded table was HOT for all 5,000
and took 0.10 instead of 0.17-0.18 backend CPU-s (docs/scale.md). The table is a fifth larger.

Only the pages written from now on keep the room; the rows already there get it when the
table is rewritten (``VACUUM FULL``, ``CLUSTER``, ``pg_repack``): no rewrite here, which would
lock the table. Nothing on SQLite (no such setting).
"""

from django.db import migrations

FILLFACTOR = 80


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE complaints_slaclock SET (fillfactor = {FILLFACTOR})")


def fill_up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE complaints_slaclock RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_met_clock_target")]

    operations = [migrations.RunPython(leave_room, fill_up)]
