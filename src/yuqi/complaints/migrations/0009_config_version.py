import uuid

from django.db import migrations, models

import yuqi.core.data_version


def first_version(apps, schema_editor):
    """The one version row, so the configuration already there is kept from the start."""
    version = apps.get_model("complaints", "ComplaintConfigVersion")
    version.objects.get_or_create(pk=1, defaults={"number": 1, "token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_slaclock_room_for_hot_updates"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintConfigVersion",
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
            options={
                "abstract": False,
            },
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
