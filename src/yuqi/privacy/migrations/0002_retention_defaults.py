from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """One retention rule per registered data class, with its default (editable later)."""
    from yuqi.privacy.facade import retention_purgers

    rule = apps.get_model("privacy", "RetentionRule")
    for purger in retention_purgers():
        rule.objects.get_or_create(
            data_class=purger.data_class, defaults={"days": purger.default_days}
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
