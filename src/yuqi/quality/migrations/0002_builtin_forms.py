"""The built-in QA forms (version 1) and the default phrase list (``quality.defaults``)."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from yuqi.quality.defaults import ensure_defaults

    ensure_defaults(
        apps.get_model("quality", "QaForm"),
        apps.get_model("quality", "QaFormVersion"),
        apps.get_model("quality", "PhraseRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
