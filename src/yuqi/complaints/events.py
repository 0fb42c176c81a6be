"""Timeline constructors: one function per event kind (saleor's ``OrderEvent`` style).

Each writes one append-only :class:`ComplaintEvent` with a small JSON ``parameters`` dict of
plain values (codes, ids, ISO times), so the timeline can be rendered in any language later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from yuqi.complaints.choices import EventKind
from yuqi.complaints.models import Complaint, ComplaintEvent
from yuqi.core.clock import now


def _event(
    complaint: Complaint | int,
    kind: str,
    parameters: Mapping[str, Any] | None = None,
    by: Any = None,
    at: datetime | None = None,
) -> ComplaintEvent:
    complaint_id = complaint if isinstance(complaint, int) else complaint.pk
    by_id = by if isinstance(by, int) or by is None else by.pk
    return ComplaintEvent.objects.create(
        complaint_id=complaint_id,
        kind=kind,
        parameters=dict(parameters or {}),
        by_id=by_id,
        at=at or now(),
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def opened_event(*, complaint: Complaint, by: Any) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.OPENED,
        {
            "number": complaint.number,
            "level": complaint.level.code,
            "channel": complaint.channel,
            "risk_score": complaint.risk_score,
            "complainer_type_suggested": complaint.complainer_type_suggested,
        },
        by,
    )


def transitioned_event(
    *, complaint: Complaint, source: str, target: str, action: str, note: str, by: Any
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.TRANSITIONED,
        {"from": source, "to": target, "action": action, "note": note},
        by,
    )


def escalated_event(
    *, complaint: Complaint, from_level: str, to_level: str, reason: str, by: Any
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.ESCALATED,
        {"from": from_level, "to": to_level, "reason": reason},
        by,
    )


def updated_event(*, complaint: Complaint, fields: list[str], by: Any) -> ComplaintEvent:
    return _event(complaint, EventKind.UPDATED, {"fields": fields}, by)


def assigned_event(
    *, complaint: Complaint, owner_id: int | None, team_id: int | None, by: Any
) -> ComplaintEvent:
    return _event(complaint, EventKind.ASSIGNED, {"owner_id": owner_id, "team_id": team_id}, by)


def checklist_updated_event(
    *, complaint: Complaint, items: Mapping[str, bool], by: Any
) -> ComplaintEvent:
    return _event(complaint, EventKind.CHECKLIST_UPDATED, {"items": dict(items)}, by)


def agreement_recorded_event(
    *,
    complaint: Complaint,
    accepted: bool | None,
    shelved: bool,
    department: str,
    promised_answer_at: datetime | None,
    commitment_id: int | None,
    by: Any,
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.AGREEMENT_RECORDED,
        {
            "accepted": accepted,
            "shelved": shelved,
            "department": department,
            "promised_answer_at": _iso(promised_answer_at),
            "commitment_id": commitment_id,
        },
        by,
    )


def recovery_added_event(
    *, complaint: Complaint, action_id: int, kind: str, amount: str | None, status: str, by: Any
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.RECOVERY_ADDED,
        {"action_id": action_id, "kind": kind, "amount": amount, "status": status},
        by,
    )


def recovery_decided_event(
    *, complaint: Complaint | int, action_id: int, status: str, note: str, by: Any
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.RECOVERY_DECIDED,
        {"action_id": action_id, "status": status, "note": note},
        by,
    )


def callback_recorded_event(
    *,
    complaint: Complaint,
    solved: bool,
    expectation_met: bool,
    attitude_ok: bool,
    by: Any,
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.CALLBACK_RECORDED,
        {
            "solved": solved,
            "expectation_met": expectation_met,
            "attitude_ok": attitude_ok,
            "satisfied": solved and expectation_met and attitude_ok,
        },
        by,
    )


def type_confirmed_event(
    *, complaint: Complaint, complainer_type: str, suggested: str, by: Any
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.TYPE_CONFIRMED,
        {"type": complainer_type, "suggested": suggested},
        by,
    )


def risk_refreshed_event(
    *, complaint: Complaint, before: int, after: int, cause: str
) -> ComplaintEvent:
    return _event(
        complaint, EventKind.RISK_REFRESHED, {"before": before, "after": after, "cause": cause}
    )


def reopened_event(*, complaint: Complaint, source: str, reason: str, by: Any) -> ComplaintEvent:
    return _event(complaint, EventKind.REOPENED, {"from": source, "reason": reason}, by)


def closed_event(*, complaint: Complaint, root_cause: str, by: Any) -> ComplaintEvent:
    return _event(complaint, EventKind.CLOSED, {"root_cause": root_cause}, by)


def note_event(*, complaint: Complaint, text: str, by: Any) -> ComplaintEvent:
    return _event(complaint, EventKind.NOTE, {"text": text}, by)


def customer_notified_event(
    *, complaint: Complaint, template: str, channels: list[str], message_ids: list[Any]
) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.CUSTOMER_NOTIFIED,
        {"template": template, "channels": channels, "message_ids": message_ids},
    )


def sla_alert_event(
    *, complaint_id: int, clock_kind: str, threshold: str, recipient_ids: list[int]
) -> ComplaintEvent:
    return _event(
        complaint_id,
        EventKind.SLA_ALERT,
        {"clock": clock_kind, "threshold": threshold, "recipients": recipient_ids},
    )


def sla_alert_deferred_event(
    *, complaint_id: int, clock_kind: str, threshold: str, send_at: datetime, reasons: list[str]
) -> ComplaintEvent:
    return _event(
        complaint_id,
        EventKind.SLA_ALERT_DEFERRED,
        {
            "clock": clock_kind,
            "threshold": threshold,
            "send_at": _iso(send_at),
            "reasons": reasons,
        },
    )


def clocks_recomputed_event(*, complaint_id: int, cause: str) -> ComplaintEvent:
    return _event(complaint_id, EventKind.CLOCKS_RECOMPUTED, {"cause": cause})


def external_event(
    *, complaint_id: int, kind: str, parameters: Mapping[str, Any], by_id: int | None
) -> ComplaintEvent:
    """An event written by another context through the facade (e.g. "promise_broken")."""
    return _event(complaint_id, kind, parameters, by_id)
