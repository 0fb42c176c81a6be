"""Helpers the complaint services share: facts for the workflow, refusals, saving the
queue columns, telling the customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints import clocks, events, outbound
from yuqi.complaints.choices import (
    ChecklistItem,
    ClockKind,
    ComplaintState,
    RecoveryStatus,
)
from yuqi.complaints.models import Complaint
from yuqi.core.errors import DomainError
from yuqi.domain.complaint_workflow import (
    Requirement,
    TransitionFacts,
    TransitionRefused,
)

REQUIREMENT_LABELS: dict[Requirement, Any] = {
    Requirement.SOLUTION_ACCEPTED: gettext_lazy("an agreement whose solution was accepted"),
    Requirement.SHELVED_NEED: gettext_lazy("the shelved need"),
    Requirement.FORWARDED_DEPARTMENT: gettext_lazy("the department it was forwarded to"),
    Requirement.PROMISED_ANSWER: gettext_lazy("the promised answer date"),
    Requirement.NO_PENDING_APPROVAL: gettext_lazy("no compensation awaiting approval"),
    Requirement.CALLBACK_RECORDED: gettext_lazy("the callback answers (对事/对人)"),
    Requirement.CALLBACK_SATISFIED: gettext_lazy(
        "a satisfied callback; an unsatisfied one goes to service recovery"
    ),
    Requirement.ROOT_CAUSE: gettext_lazy("a root cause category"),
}


#: Transitions after which the customer hears from us, and with which template.
CUSTOMER_TEMPLATES: dict[str, str] = {
    ComplaintState.ACKNOWLEDGED: "complaint_status",
    ComplaintState.WAITING_CUSTOMER: "complaint_status",
    ComplaintState.SHELVED_FORWARDED: "complaint_status",
    ComplaintState.RESOLVED: "complaint_resolved",
}


CHECKLIST_FIELDS: dict[str, str] = {item.value: f"chk_{item.value}" for item in ChecklistItem}


def _require_open(complaint: Complaint) -> None:
    if complaint.state == ComplaintState.CLOSED:
        raise DomainError(_("This complaint is closed; reopen it first."), field="state")


def _tier_and_vip(customer_id: int) -> tuple[str | None, bool]:
    from yuqi.customers.facade import customer_refs

    ref = customer_refs([customer_id]).get(customer_id)
    if ref is None:
        raise DomainError(_("Unknown customer."), field="customer")
    return ref.tier_code, ref.tier_is_vip


def _facts(complaint: Complaint) -> TransitionFacts:
    pending = complaint.recovery_actions.filter(status=RecoveryStatus.PENDING).count()
    return TransitionFacts(
        solution_accepted=bool(complaint.agreement_solution)
        and complaint.agreement_accepted is True,
        shelved_need=bool(complaint.shelved_need.strip()),
        forwarded_department=bool(complaint.forwarded_department.strip()),
        promised_answer=complaint.promised_answer_at is not None,
        pending_approvals=pending,
        callback_recorded=complaint.callback_satisfied is not None,
        callback_satisfied=bool(complaint.callback_satisfied),
        root_cause=complaint.root_cause_id is not None,
    )


def state_label(value: str) -> str:
    """The translated label of a workflow state (falls back to the raw value)."""
    try:
        return str(ComplaintState(value).label)
    except ValueError:
        return value


def _refusal(exc: TransitionRefused) -> DomainError:
    values = {"source": state_label(exc.source), "target": state_label(exc.target)}
    if exc.missing:
        values["needs"] = "; ".join(str(REQUIREMENT_LABELS[r]) for r in exc.missing)
        message = _("Cannot move from %(source)s to %(target)s: it needs %(needs)s.") % values
    else:
        message = (
            _("Cannot move from %(source)s to %(target)s: not an allowed transition.") % values
        )
    return DomainError(message, field="target", code="transition_refused")


def _clock_error(exc: Exception) -> DomainError:
    return DomainError(_("The SLA clock cannot be changed: %(error)s") % {"error": exc})


def _save(complaint: Complaint, fields: list[str]) -> None:
    changed = clocks.summarise(complaint)
    complaint.save(update_fields=sorted({*fields, *changed, "updated_at"}))


def _notify_customer(complaint: Complaint, template: str, extra: Mapping[str, Any]) -> None:
    """Send a status message to the customer and log it on the timeline."""
    context = {
        "number": complaint.number,
        "state": complaint.state,
        "level": complaint.level.code,
        **extra,
    }
    sent = outbound.notify_customer(
        customer_id=complaint.customer_id,
        template=template,
        context=context,
        subject=f"complaint:{complaint.pk}",
    )
    events.customer_notified_event(
        complaint=complaint,
        template=template,
        channels=sorted({str(getattr(m, "channel", "")) for m in sent} - {""}),
        message_ids=[getattr(m, "id", None) for m in sent],
    )


def _latest_clock(complaint: Complaint, kind: str, attribute: str) -> Any:
    """An attribute of the newest clock of a kind (None without one)."""
    clock = complaint.clocks.filter(kind=kind).order_by("-started_at", "-id").first()
    return getattr(clock, attribute) if clock else None


def _refresh_clock_columns(complaint: Complaint, at: dt.datetime) -> None:
    for clock in complaint.clocks.exclude(phase="stopped"):
        clocks.clock_recompute(clock, team_id=complaint.team_id, at=at)


NEXT_STEPS: dict[str, Any] = {
    ComplaintState.ACKNOWLEDGED: gettext_lazy("We are looking into it."),
    ComplaintState.WAITING_CUSTOMER: gettext_lazy("We need some information from you."),
    ComplaintState.SHELVED_FORWARDED: gettext_lazy(
        "Your request was forwarded to the responsible department, which will answer you."
    ),
}


def _status_context(complaint: Complaint) -> dict[str, Any]:
    """Context of the customer templates (``notifications/complaint_*.txt``)."""
    if complaint.state == ComplaintState.RESOLVED:
        return {
            "solution": complaint.agreement_solution,
            "callback_due": _latest_clock(complaint, ClockKind.CALLBACK, "due_at"),
        }
    due = (
        complaint.promised_answer_at
        if complaint.state == ComplaintState.SHELVED_FORWARDED
        else _latest_clock(complaint, ClockKind.RESOLUTION, "due_at")
    )
    return {
        "state_label": ComplaintState(complaint.state).label,
        "next_step": NEXT_STEPS.get(complaint.state, ""),
        "department": complaint.forwarded_department,
        "due": due,
    }
