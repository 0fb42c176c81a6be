from django.db import migrations, models

from yuqi.customers.defaults import VIP_SERVICE_LEVEL


def vip_service_level(apps, schema_editor):
    Tier = apps.get_model("customers", "Tier")
    target, seconds = VIP_SERVICE_LEVEL
    Tier.objects.filter(is_vip=True, sl_target__isnull=True).update(
        sl_target=target, sl_seconds=seconds
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_default_tiers")]

    operations = [
        migrations.AddField(
            model_name="tier",
            name="sl_target",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                max_digits=4,
                null=True,
                help_text="Share answered within the threshold, e.g. 0.90; blank: the queue's",
                verbose_name="service level target",
            ),
        ),
        migrations.AddField(
            model_name="tier",
            name="sl_seconds",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="service level threshold (s)"
            ),
        ),
        migrations.RunPython(vip_service_level, migrations.RunPython.noop),
    ]
