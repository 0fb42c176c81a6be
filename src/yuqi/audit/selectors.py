"""Reading the audit log (django-auditlog's ``LogEntry``), with the filters pages and API share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from yuqi.core.clock import day_start

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
    "access": LogEntry.Action.ACCESS,
}
ACTION_NAMES = {value: name for name, value in ACTIONS.items()}


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # username
    model: str = ""  # "app_label.model"
    action: str = ""  # create / update / delete / access
    object_id: str = ""
    request_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_entries(filters: AuditFilter = AuditFilter()) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if filters.actor:
        entries = entries.filter(actor__username=filters.actor)
    if filters.model and "." in filters.model:
        app_label, model = filters.model.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if filters.action in ACTIONS:
        entries = entries.filter(action=ACTIONS[filters.action])
    if filters.object_id:
        entries = entries.filter(object_pk=filters.object_id)
    if filters.request_id:
        entries = entries.filter(cid=filters.request_id)
    if filters.date_from:
        entries = entries.filter(timestamp__gte=day_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(timestamp__lt=day_start(filters.date_to + timedelta(days=1)))
    return entries


def audited_models() -> list[ContentType]:
    used = LogEntry.objects.values_list("content_type_id", flat=True).distinct()
    return list(ContentType.objects.filter(pk__in=used).order_by("app_label", "model"))


def entries_per_day(filters: AuditFilter = AuditFilter()) -> list[tuple[date, int]]:
    rows = (
        audit_entries(filters)
        .order_by()
        .annotate(day=TruncDate("timestamp"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows]
