import uuid

from django.db import migrations, models

import yuqi.core.data_version


def first_version(apps, schema_editor):
    """The one version row, so the answers already there are cached from the start."""
    version = apps.get_model("surveys", "SurveyDataVersion")
    version.objects.get_or_create(pk=1, defaults={"number": 1, "token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_campaign_waves"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyDataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0)),
                (
                    "token",
                    models.CharField(
                        default=yuqi.core.data_version.new_version_token, max_length=32
                    ),
                ),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
