"""``coaching_done`` is registered by the quality context as the number of coaching notes
written in the period (a count, not a completion rate): its scorecard row says so, unless an
administrator has already edited it."""

from decimal import Decimal

from django.db import migrations


def to_count(apps, schema_editor):
    apps.get_model("operations", "ScorecardMeasure").objects.filter(
        code="coaching_done", unit="%", target=Decimal("0.90"), warning=Decimal("0.80")
    ).update(
        name="辅导次数",
        name_en="Coaching sessions held",
        unit="",
        target=None,
        warning=None,
    )


def to_rate(apps, schema_editor):
    apps.get_model("operations", "ScorecardMeasure").objects.filter(
        code="coaching_done", unit="", name_en="Coaching sessions held"
    ).update(
        name="辅导完成率",
        name_en="Coaching sessions completed",
        unit="%",
        target=Decimal("0.90"),
        warning=Decimal("0.80"),
    )


class Migration(migrations.Migration):
    dependencies = [("operations", "0003_scorecard_measures_wired")]

    operations = [migrations.RunPython(to_count, to_rate)]
