from django.db import migrations


def forwards(apps, schema_editor):
    from yuqi.complaints.defaults_book import ensure_playbooks

    ensure_playbooks(
        apps.get_model("complaints", "Playbook"),
        apps.get_model("complaints", "PlaybookStep"),
        apps.get_model("complaints", "ComplaintLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_book")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
