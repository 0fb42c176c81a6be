from django.db import migrations

from yuqi.customers.defaults import ensure_default_tiers


def add_tiers(apps, schema_editor):
    ensure_default_tiers(apps.get_model("customers", "Tier"))


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(add_tiers, migrations.RunPython.noop)]
