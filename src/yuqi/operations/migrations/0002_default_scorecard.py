"""The default balanced-scorecard measures and the pyramid settings row.

Targets are common call-centre practice and meant to be edited in the admin: service level
80/20 (ICMI), answer rate 90 %, FCR 75 % (SQM Group's industry average is about 70 %),
complaint and promise deadlines 95 %, CSAT 85 %, NPS +30, QA 85 of 100, 8 training hours
per agent per month. Counts (customers, new customers) have no target until one is set.
"""

from decimal import Decimal

from django.db import migrations

D = Decimal

# code, perspective, Chinese name, English name, unit, direction, target, warning
MEASURES = (
    ("customers", "financial", "客户数", "Customers", "", "higher", None, None),
    ("new_customers", "financial", "新增客户数", "New customers", "", "higher", None, None),
    ("retention_rate", "financial", "客户保持率", "Retention rate", "%", "higher",
     D("0.95"), D("0.90")),
    ("churn_rate", "financial", "客户流失率", "Churn rate", "%", "lower", D("0.05"), D("0.10")),
    ("recovery_cost_per_contact", "financial", "单次服务补救成本", "Recovery cost per contact",
     "¥", "lower", None, None),
    ("satisfaction", "customer", "客户满意度", "Customer satisfaction (CSAT)", "%", "higher",
     D("0.85"), D("0.80")),
    ("expectation_achievement", "customer", "客户期望达成率", "Expectation achievement rate",
     "%", "higher", D("0.85"), D("0.75")),
    ("nps", "customer", "净推荐值", "Net Promoter Score", "pts", "higher", D("30"), D("10")),
    ("service_level", "operations", "服务水平", "Service level", "%", "higher",
     D("0.80"), D("0.70")),
    ("answer_rate", "operations", "接通率", "Answer rate", "%", "higher", D("0.90"), D("0.85")),
    ("fcr", "operations", "一次解决率", "First-contact resolution", "%", "higher",
     D("0.75"), D("0.65")),
    ("complaint_sla_compliance", "operations", "投诉处理时限达标率",
     "Complaints handled within deadline", "%", "higher", D("0.95"), D("0.90")),
    ("promise_kept_on_time", "operations", "承诺按时兑现率", "Promises kept on time", "%",
     "higher", D("0.95"), D("0.90")),
    ("training_hours", "learning", "人均培训时长", "Training hours per agent", "h", "higher",
     D("8"), D("4")),
    ("qa_score", "learning", "质检平均分", "Average QA score", "pts", "higher",
     D("85"), D("80")),
    ("knowledge_use", "learning", "知识库使用率", "Knowledge base use", "%", "higher",
     D("0.60"), D("0.40")),
)  # fmt: skip


def create_defaults(apps, schema_editor):
    measure = apps.get_model("operations", "ScorecardMeasure")
    for order, (code, perspective, name, name_en, unit, direction, target, warning) in enumerate(
        MEASURES, start=1
    ):
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
                "order": order * 10,
            },
        )
    settings = apps.get_model("operations", "PyramidSettings")
    if not settings.objects.exists():
        settings.objects.create()


def remove_defaults(apps, schema_editor):
    apps.get_model("operations", "ScorecardMeasure").objects.filter(
        code__in=[row[0] for row in MEASURES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
