"""Scorecard measures that had no row: CES and regulator appeals per 10,000 customers (from
the surveys and complaints), schedule adherence (workforce) and coaching completed
(quality), which the contexts of this round register. Targets are editable in the admin;
none is set where practice differs between centres (CES scale, appeal rates)."""

from decimal import Decimal

from django.db import migrations

D = Decimal

# code, perspective, Chinese name, English name, unit, direction, target, warning, order
MEASURES = (
    ("ces", "customer", "客户费力度 (CES)", "Customer effort score (CES)", "pts", "higher",
     None, None, 85),
    ("regulator_appeals_per_10k", "customer", "每万客户监管申诉数",
     "Regulator appeals per 10,000 customers", "", "lower", None, None, 88),
    ("roster_adherence", "operations", "排班遵从率", "Schedule adherence", "%", "higher",
     D("0.90"), D("0.85"), 135),
    ("coaching_done", "learning", "辅导完成率", "Coaching sessions completed", "%", "higher",
     D("0.90"), D("0.80"), 155),
)  # fmt: skip


def create(apps, schema_editor):
    measure = apps.get_model("operations", "ScorecardMeasure")
    for code, perspective, name, name_en, unit, direction, target, warning, order in MEASURES:
        measure.objects.get_or_create(
            code=code,
            defaults={
                "perspective": perspective,
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "direction": direction,
                "target": target,
                "warning": warning,
                "order": order,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("operations", "ScorecardMeasure").objects.filter(
        code__in=[row[0] for row in MEASURES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_default_scorecard")]

    operations = [migrations.RunPython(create, remove)]
