"""Approval ``lapsed``: a promise closed while it still awaited approval (security review F-6).

Rows already in that condition (broken by the sweep, cancelled, or marked kept before the rule
that a pending promise cannot be kept) showed "awaiting approval" for ever while nobody could
approve them; they become ``lapsed``.
"""

from django.db import migrations, models

LIVE = ("open", "renegotiated")


def close_stale_approvals(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    Commitment.objects.filter(approval_state="pending").exclude(status__in=LIVE).update(
        approval_state="lapsed"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0002_defaults"),
    ]

    operations = [
        migrations.AlterField(
            model_name="commitment",
            name="approval_state",
            field=models.CharField(
                choices=[
                    ("not_needed", "Not needed"),
                    ("pending", "Awaiting approval"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("lapsed", "Lapsed unapproved"),
                ],
                db_index=True,
                default="not_needed",
                max_length=20,
                verbose_name="approval",
            ),
        ),
        migrations.RunPython(close_stale_approvals, migrations.RunPython.noop),
    ]
