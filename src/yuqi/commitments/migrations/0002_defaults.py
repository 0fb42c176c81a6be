"""Shipped service standards, perks and promise authorities (sources in yuqi.commitments.defaults)."""

from django.db import migrations


def install(apps, schema_editor):
    from yuqi.commitments.defaults import install_defaults

    install_defaults(
        apps.get_model("commitments", "ServiceStandard"),
        apps.get_model("commitments", "Perk"),
        apps.get_model("commitments", "PromiseAuthority"),
        apps.get_model("customers", "Tier"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("customers", "0002_default_tiers"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
