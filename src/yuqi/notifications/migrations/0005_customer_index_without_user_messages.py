"""The customer index of the message log without the messages that have no customer.

Messages to users (SLA alerts, reminders: most of the log, thousands per SLA sweep) have no
customer; their entries in a plain ``customer_id`` index served no look-up (a customer's
messages are looked up by ``customer_id = …``, which the partial index answers) and cost an
index entry per message written and again per message marked sent (docs/scale.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_one_index_per_lookup"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outboundmessage",
            name="customer_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="customer"),
        ),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(
                condition=models.Q(("customer_id__isnull", False)),
                fields=["customer_id"],
                name="notif_customer",
            ),
        ),
    ]
