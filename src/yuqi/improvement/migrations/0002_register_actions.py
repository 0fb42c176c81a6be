"""The register's free-text action and due date become real improvement actions, linked to
their expectation (once; the register's fields are left as they were)."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

STATUS = {"planned": "plan", "in_progress": "do", "achieved": "check"}


def forwards(apps, schema_editor):
    Expectation = apps.get_model("insights", "Expectation")
    Action = apps.get_model("improvement", "ImprovementAction")
    Link = apps.get_model("improvement", "ActionLink")
    Event = apps.get_model("improvement", "ActionEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    done = set(
        Link.objects.filter(kind="expectation", action__source="register").values_list(
            "ref", flat=True
        )
    )
    fallback = (
        User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
        or User.objects.filter(is_active=True).order_by("pk").first()
    )
    moment = timezone.now()
    for exp in Expectation.objects.exclude(action="").order_by("code"):
        if exp.code in done:
            continue
        owner_id = exp.owner_id or (fallback.pk if fallback else None)
        if owner_id is None:
            continue
        action = Action.objects.create(
            number=f"tmp-{exp.pk}",
            title=(exp.action.splitlines()[0] or exp.statement)[:200],
            plan=exp.action,
            owner_id=owner_id,
            grade=exp.grade or "",
            due_date=exp.due_date or timezone.localdate(moment),
            status=STATUS.get(exp.status, "plan"),
            source="register",
            created_at=moment,
            updated_at=moment,
        )
        action.number = f"IA-{action.pk:04d}"
        action.save(update_fields=["number"])
        Link.objects.create(action=action, kind="expectation", ref=exp.code, label=exp.statement)
        Event.objects.create(
            action=action, at=moment, to_status=action.status, note="from the register"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0001_initial"),
        ("insights", "0004_merge_20261206_0556"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
