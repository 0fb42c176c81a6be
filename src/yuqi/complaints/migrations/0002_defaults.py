from django.db import migrations


def forwards(apps, schema_editor):
    from yuqi.complaints.defaults import ensure_defaults

    ensure_defaults(
        apps.get_model("complaints", "ComplaintLevel"),
        apps.get_model("complaints", "ComplaintCategory"),
        apps.get_model("complaints", "RootCause"),
        apps.get_model("complaints", "SlaPolicy"),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
