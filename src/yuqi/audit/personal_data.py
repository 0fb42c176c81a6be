"""The audit log in personal-information requests: entries about the customer's records are
exported; erasure scrubs every entry that holds the person (representation, before/after
values, extra data), last of all, so what the other erasures logged is scrubbed too. The
entries themselves stay: who did what and when is still on record."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    erase_rows_mentioning,
    jsonable,
    register_personal_data_source,
)

FIELDS = ("object_repr", "changes_text", "changes", "serialized_data", "additional_data")


def export(subject: DataSubject) -> list[dict]:
    customer_type = ContentType.objects.filter(app_label="customers", model="customer").first()
    if customer_type is None:
        return []
    rows = LogEntry.objects.filter(
        content_type=customer_type, object_id=subject.customer_id
    ).order_by("pk")
    return [
        {"table": "auditlog.LogEntry", **{k: jsonable(v) for k, v in row.items()}}
        for row in rows.values("id", "timestamp", "action", "changes")
    ]


def erase(subject: DataSubject) -> Erased:
    return Erased(erase_rows_mentioning(LogEntry.objects.all(), subject.identifiers, FIELDS))


def register() -> None:
    register_personal_data_source(
        "audit",
        export,
        erase,
        label=_("Audit log"),
        purpose=_("Account for every change and every view of personal data"),
        categories=_("before/after values of changed records"),
        order=1000,
    )
