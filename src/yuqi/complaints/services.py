"""Every write to complaints goes through here: ``complaint_<verb>(*, ...)``.

Optimistic locking: each service that edits a ticket takes ``expected_version`` (the version
the user's page or API client last read). The first statement of the transaction is a
conditional ``UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?``; if it
touches no row someone else saved first and :class:`ConflictError` (HTTP 409) is raised, so
two handlers never silently overwrite each other. The same UPDATE takes the row lock (on
SQLite the database write lock), so the rest of the service runs serialised per ticket.

Customer messages are sent inside the transaction as its last step and logged on the timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints import clocks, events, outbound
from yuqi.complaints.choices import (
    ChecklistItem,
    ClockKind,
    ComplainerType,
    ComplaintState,
    EventKind,
    RecoveryKind,
    RecoveryStatus,
    SourceChannel,
)
from yuqi.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintDaySequence,
    ComplaintEvent,
    ComplaintLevel,
    RecoveryAction,
    RootCause,
)
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.calendar import CalendarError
from yuqi.domain.complainer import ComplainerSignals, assess
from yuqi.domain.complaint_workflow import (
    CLOCK_KINDS,
    REOPEN_SOURCES,
    ClockMode,
    Requirement,
    TransitionFacts,
    TransitionRefused,
    check_transition,
    clock_effects,
    clock_mode,
    transition,
)
from yuqi.domain.sla import ClockError

#: How far back earlier complaints count as "repeat complaints" for the risk score.
REPEAT_WINDOW_DAYS = 30
#: How far back broken promises and escalations count.
HISTORY_DAYS = 365
#: Compensation up to this amount (yuan) needs no approval; above it a second person holding
#: ``complaints.approve_compensation`` approves (four eyes). Override with the Django setting
#: ``YUQI_COMPENSATION_LIMIT``.
DEFAULT_COMPENSATION_LIMIT = Decimal("200")

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


class ConflictError(DomainError):
    """The ticket changed since the caller read it (optimistic locking): reload and retry."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _("This complaint was changed by someone else meanwhile. Reload it and try again."),
            field="version",
            code="conflict",
        )


# ---------------------------------------------------------------------- helpers
def compensation_limit() -> Decimal:
    """The amount a handler may grant without a second person's approval."""
    return Decimal(str(getattr(settings, "YUQI_COMPENSATION_LIMIT", DEFAULT_COMPENSATION_LIMIT)))


def _user_id(user: Any) -> int | None:
    return None if user is None else user.pk


def _claim(complaint: Complaint | int, expected_version: int) -> Complaint:
    """Bump the version if it is still ``expected_version`` and return the locked ticket."""
    pk = complaint if isinstance(complaint, int) else complaint.pk
    claimed = Complaint.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now()
    )
    if claimed != 1:
        if not Complaint.objects.filter(pk=pk).exists():
            raise DomainError(_("Complaint not found."), code="not_found")
        raise ConflictError()
    return Complaint.objects.select_for_update().select_related("level").get(pk=pk)


def _current(complaint: Complaint | int) -> Complaint:
    """Claim a ticket at whatever version it has now (internal moves, other contexts)."""
    pk = complaint if isinstance(complaint, int) else complaint.pk
    version = Complaint.objects.filter(pk=pk).values_list("version", flat=True).first()
    if version is None:
        raise DomainError(_("Complaint not found."), code="not_found")
    return _claim(pk, version)


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


def _next_number(moment: dt.datetime) -> str:
    """``TS-YYYYMMDD-NNNN`` for the local date; race-free (row claimed by UPDATE)."""
    day = timezone.localdate(moment)
    ComplaintDaySequence.objects.get_or_create(day=day)
    ComplaintDaySequence.objects.filter(day=day).update(last=F("last") + 1)
    last = ComplaintDaySequence.objects.get(day=day).last
    return f"TS-{day:%Y%m%d}-{last:04d}"


def _signals(complaint: Complaint, *, vip: bool, at: dt.datetime) -> ComplainerSignals:
    others = Complaint.objects.filter(customer_id=complaint.customer_id).exclude(pk=complaint.pk)
    repeats = others.filter(opened_at__gte=at - timedelta(days=REPEAT_WINDOW_DAYS)).count()
    escalations = ComplaintEvent.objects.filter(
        complaint__customer_id=complaint.customer_id,
        kind=EventKind.ESCALATED,
        at__gte=at - timedelta(days=HISTORY_DAYS),
    )
    if complaint.pk:
        escalations = escalations.exclude(complaint_id=complaint.pk)
    broken = outbound.broken_commitment_count(
        customer_id=complaint.customer_id, since=at - timedelta(days=HISTORY_DAYS)
    )
    return ComplainerSignals(
        text=f"{complaint.account}\n{complaint.demand}",
        repeat_complaints=repeats,
        window_days=REPEAT_WINDOW_DAYS,
        broken_promises=broken,
        vip=vip,
        previous_escalations=escalations.count(),
    )


def _score(complaint: Complaint, *, vip: bool, at: dt.datetime) -> None:
    suggestion, risk = assess(_signals(complaint, vip=vip, at=at))
    complaint.complainer_type_suggested = suggestion.type.value
    complaint.complainer_reasons = [[r.code, r.points, r.detail] for r in suggestion.reasons]
    complaint.risk_score = risk.score
    complaint.risk_reasons = [[r.code, r.points, r.detail] for r in risk.reasons]


def _latest_clock(complaint: Complaint, kind: str, attribute: str) -> Any:
    """An attribute of the newest clock of a kind (None without one)."""
    clock = complaint.clocks.filter(kind=kind).order_by("-started_at", "-id").first()
    return getattr(clock, attribute) if clock else None


# ------------------------------------------------------------------------- open
@transaction.atomic
def complaint_open(
    *,
    customer_id: int,
    account: str,
    by: Any,
    demand: str = "",
    level: ComplaintLevel | None = None,
    category: ComplaintCategory | None = None,
    channel: str = SourceChannel.PHONE,
    owner: Any = None,
    team_id: int | None = None,
    opened_at: dt.datetime | None = None,
) -> Complaint:
    """Log a complaint: number it, score the complainer type and escalation risk, start the
    first-response and resolution clocks under the level's policy, and tell the customer it
    was received (with the expected reply time, saying so when it is outside working hours).

    ``level`` defaults to the lowest-ranked active level (本地抱怨). ``opened_at`` lets the demo
    back-date tickets; the stored SLA columns are computed as of now.
    """
    if not account.strip():
        raise DomainError(_("Describe the customer's account of the problem."), field="account")
    if channel not in SourceChannel.values:
        raise DomainError(_("Unknown source channel."), field="channel")
    at = opened_at or now()
    level = level or ComplaintLevel.objects.filter(active=True).order_by("rank").first()
    if level is None:
        raise DomainError(_("No complaint level is configured."), field="level")
    tier_code, vip = _tier_and_vip(customer_id)
    complaint = Complaint(
        number=_next_number(at),
        customer_id=customer_id,
        channel=channel,
        level=level,
        category=category,
        account=account,
        demand=demand,
        owner=owner,
        team_id=team_id,
        state=ComplaintState.NEW,
        opened_at=at,
        created_by=by,
    )
    _score(complaint, vip=vip, at=at)
    complaint.save()
    try:
        for kind in CLOCK_KINDS:
            if clock_mode(ComplaintState.NEW, kind) is ClockMode.RUNNING:
                clocks.clock_start(
                    complaint=complaint, kind=kind, at=at, reason="opened", tier_code=tier_code
                )
    except (CalendarError, ClockError) as exc:
        raise _clock_error(exc) from exc
    _refresh_clock_columns(complaint, max(at, now()))
    _save(complaint, [])
    events.opened_event(complaint=complaint, by=by)
    calendar = outbound.calendar_for(team_id=team_id)
    _notify_customer(
        complaint,
        "complaint_received",
        {
            "first_response_due": _latest_clock(complaint, ClockKind.FIRST_RESPONSE, "due_at"),
            "out_of_hours": not calendar.is_open(at),
        },
    )
    _send_opened_signal(complaint)
    return complaint


def _send_opened_signal(complaint: Complaint) -> None:
    from yuqi.complaints.signals import complaint_opened

    ids = (complaint.pk, complaint.customer_id)
    transaction.on_commit(
        lambda: complaint_opened.send(sender=Complaint, complaint_id=ids[0], customer_id=ids[1])
    )


def _refresh_clock_columns(complaint: Complaint, at: dt.datetime) -> None:
    for clock in complaint.clocks.exclude(phase="stopped"):
        clocks.clock_recompute(clock, team_id=complaint.team_id, at=at)


# ------------------------------------------------------------------ transitions
def _move(complaint: Complaint, target: str, *, by: Any, note: str, at: dt.datetime) -> Complaint:
    """Check and apply one move on a claimed ticket: state, timestamps, clocks, event, message."""
    source = complaint.state
    try:
        check_transition(source, target, _facts(complaint))
    except TransitionRefused as exc:
        raise _refusal(exc) from exc
    entry = transition(source, target)
    assert entry is not None  # checked above
    tier_code, _vip = _tier_and_vip(complaint.customer_id)
    complaint.state = target
    fields = ["state"]
    if target == ComplaintState.ACKNOWLEDGED:
        complaint.acknowledged_at = at
        fields.append("acknowledged_at")
    if target == ComplaintState.RESOLVED:
        complaint.resolved_at = at
        # every resolution needs a fresh callback (对事/对人) before it can close
        complaint.callback_solved = complaint.callback_expectation_met = None
        complaint.callback_attitude_ok = None
        fields += ["resolved_at", "callback_solved", "callback_expectation_met"]
        fields.append("callback_attitude_ok")
    if target == ComplaintState.CLOSED:
        complaint.closed_at = at
        fields.append("closed_at")
    if entry.action == "reopen":
        complaint.reopen_count += 1
        complaint.closed_at = None
        complaint.callback_solved = complaint.callback_expectation_met = None
        complaint.callback_attitude_ok = None
        fields += ["reopen_count", "closed_at", "callback_solved", "callback_expectation_met"]
        fields.append("callback_attitude_ok")
    try:
        clocks.apply_clock_actions(
            complaint=complaint,
            actions=clock_effects(source, target),
            at=at,
            reason=entry.action,
            tier_code=tier_code,
        )
    except (CalendarError, ClockError) as exc:
        raise _clock_error(exc) from exc
    _refresh_clock_columns(complaint, max(at, now()))
    _save(complaint, fields)
    events.transitioned_event(
        complaint=complaint, source=source, target=target, action=entry.action, note=note, by=by
    )
    template = CUSTOMER_TEMPLATES.get(target)
    if template:
        _notify_customer(complaint, template, _status_context(complaint))
    if target == ComplaintState.CLOSED:
        _send_closed_signal(complaint)
    return complaint


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


def _send_closed_signal(complaint: Complaint) -> None:
    from yuqi.complaints.signals import complaint_closed

    ids = (complaint.pk, complaint.customer_id, complaint.owner_id)

    def send() -> None:
        complaint_closed.send(
            sender=Complaint, complaint_id=ids[0], customer_id=ids[1], owner_id=ids[2]
        )

    transaction.on_commit(send)


@transaction.atomic
def complaint_transition(
    *,
    complaint: Complaint,
    target: str,
    by: Any,
    expected_version: int,
    note: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """Move a ticket along the workflow table (``yuqi.domain.complaint_workflow``); refuses
    a move that is not in the table or whose requirements are missing, naming both states and
    what is missing. Pauses/resumes/stops/starts the SLA clocks the move affects."""
    locked = _claim(complaint, expected_version)
    return _move(locked, target, by=by, note=note, at=at or now())


@transaction.atomic
def complaint_escalate(
    *,
    complaint: Complaint,
    level: ComplaintLevel | None,
    by: Any,
    expected_version: int,
    reason: str,
    at: dt.datetime | None = None,
) -> Complaint:
    """Raise the level (本地抱怨 → 越级投诉 → 监管申诉): an event, and every open clock is
    restarted under the new level's policy (the old clocks stay as history)."""
    if level is None:
        raise DomainError(_("Choose the level to escalate to."), field="level")
    locked = _claim(complaint, expected_version)
    _require_open(locked)
    if level.rank <= locked.level.rank:
        raise DomainError(
            _("Escalation must raise the level; %(level)s is not higher.") % {"level": level},
            field="level",
        )
    moment = at or now()
    previous = locked.level.code
    locked.level = level
    tier_code, _vip = _tier_and_vip(locked.customer_id)
    try:
        clocks.restart_open_clocks(
            complaint=locked, at=moment, reason="escalated", tier_code=tier_code
        )
    except (CalendarError, ClockError) as exc:
        raise _clock_error(exc) from exc
    _refresh_clock_columns(locked, max(moment, now()))
    _save(locked, ["level"])
    events.escalated_event(
        complaint=locked, from_level=previous, to_level=level.code, reason=reason, by=by
    )
    return locked


UPDATABLE_FIELDS = ("account", "demand", "category", "channel", "root_cause", "root_cause_note")


@transaction.atomic
def complaint_update(
    *, complaint: Complaint, by: Any, expected_version: int, changes: Mapping[str, Any]
) -> Complaint:
    """Edit the ticket's details (account, demand, category, channel, root cause). Changing
    the account or demand rescores the complainer type suggestion and escalation risk."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    locked = _claim(complaint, expected_version)
    if "account" in changes and not str(changes["account"]).strip():
        raise DomainError(_("Describe the customer's account of the problem."), field="account")
    if "channel" in changes and changes["channel"] not in SourceChannel.values:
        raise DomainError(_("Unknown source channel."), field="channel")
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, changes[name])
    if {"account", "demand"} & set(changed):
        _tier, vip = _tier_and_vip(locked.customer_id)
        _score(locked, vip=vip, at=now())
        changed += [
            "complainer_type_suggested",
            "complainer_reasons",
            "risk_score",
            "risk_reasons",
        ]
    _save(locked, changed)
    if changed:
        events.updated_event(complaint=locked, fields=sorted(set(changed) & set(changes)), by=by)
    return locked


@transaction.atomic
def complaint_update_checklist(
    *, complaint: Complaint, by: Any, expected_version: int, items: Mapping[str, bool]
) -> Complaint:
    """Record the handler's expectation-setting steps (seeds/003); keys are ``ChecklistItem``
    values, e.g. ``{"reason_given": True}``."""
    unknown = set(items) - set(CHECKLIST_FIELDS)
    if unknown:
        raise DomainError(_("Unknown checklist item."), field="items")
    locked = _claim(complaint, expected_version)
    fields = []
    for key, value in items.items():
        setattr(locked, CHECKLIST_FIELDS[key], bool(value))
        fields.append(CHECKLIST_FIELDS[key])
    _save(locked, fields)
    events.checklist_updated_event(complaint=locked, items=items, by=by)
    return locked


@transaction.atomic
def complaint_record_agreement(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    solution: str = "",
    accepted: bool | None = None,
    shelved_need: str = "",
    forwarded_department: str = "",
    promised_answer_at: dt.datetime | None = None,
) -> Complaint:
    """Record the agreement (seeds/003): a solution and whether the customer accepted it, or a
    need shelved and forwarded to a department with a promised answer date. The promise goes
    into the ledger as a ``department_reply`` commitment (the commitments guard runs there)."""
    locked = _claim(complaint, expected_version)
    _require_open(locked)
    shelved = bool(shelved_need.strip())
    if not solution.strip() and not shelved:
        raise DomainError(_("Record the solution or the shelved need."), field="solution")
    if shelved and not forwarded_department.strip():
        raise DomainError(
            _("Name the department the need is forwarded to."), field="forwarded_department"
        )
    if shelved and promised_answer_at is None:
        raise DomainError(_("Give the promised answer date."), field="promised_answer_at")
    if promised_answer_at is not None and promised_answer_at <= now():
        raise DomainError(
            _("The promised answer date must be in the future."), field="promised_answer_at"
        )
    locked.agreement_solution = solution
    locked.agreement_accepted = accepted
    locked.shelved_need = shelved_need
    locked.forwarded_department = forwarded_department
    locked.promised_answer_at = promised_answer_at
    fields = [
        "agreement_solution",
        "agreement_accepted",
        "shelved_need",
        "forwarded_department",
        "promised_answer_at",
    ]
    if accepted or shelved:
        locked.chk_solution_agreed = True
        fields.append("chk_solution_agreed")
    if shelved:
        line = outbound.commitment_record(
            customer_id=locked.customer_id,
            kind="department_reply",
            text=shelved_need,
            promised_by_id=_user_id(by),
            due_at=promised_answer_at,
            complaint_id=locked.pk,
            department=forwarded_department,
        )
        locked.agreement_commitment_id = getattr(line, "id", None)
        fields.append("agreement_commitment_id")
    _save(locked, fields)
    events.agreement_recorded_event(
        complaint=locked,
        accepted=accepted,
        shelved=shelved,
        department=forwarded_department,
        promised_answer_at=promised_answer_at,
        commitment_id=locked.agreement_commitment_id if shelved else None,
        by=by,
    )
    return locked


# --------------------------------------------------------------------- recovery
@transaction.atomic
def complaint_add_recovery(
    *,
    complaint: Complaint,
    kind: str,
    by: Any,
    expected_version: int,
    amount: Decimal | None = None,
    cost: Decimal | None = None,
    note: str = "",
) -> RecoveryAction:
    """Add a service recovery action. Compensation or a fee waiver above the handler's
    authority (:func:`compensation_limit`) waits for a second person's approval
    (:func:`complaint_approve_recovery`); the ticket cannot be resolved meanwhile."""
    if kind not in RecoveryKind.values:
        raise DomainError(_("Unknown recovery kind."), field="kind")
    for name, value in (("amount", amount), ("cost", cost)):
        if value is not None and value < 0:
            raise DomainError(_("Amounts cannot be negative."), field=name)
    if kind == RecoveryKind.COMPENSATION and amount is None:
        raise DomainError(_("Give the compensation amount."), field="amount")
    locked = _claim(complaint, expected_version)
    _require_open(locked)
    needs_approval = (
        kind in (RecoveryKind.COMPENSATION, RecoveryKind.FEE_WAIVER)
        and amount is not None
        and amount > compensation_limit()
    )
    action = RecoveryAction.objects.create(
        complaint=locked,
        kind=kind,
        amount=amount,
        cost=cost if cost is not None else amount,
        note=note,
        status=RecoveryStatus.PENDING if needs_approval else RecoveryStatus.APPROVED,
        created_by=by,
        created_at=now(),
    )
    _save(locked, [])
    events.recovery_added_event(
        complaint=locked,
        action_id=action.pk,
        kind=kind,
        amount=None if amount is None else str(amount),
        status=action.status,
        by=by,
    )
    return action


@transaction.atomic
def complaint_approve_recovery(
    *, action: RecoveryAction, by: Any, approve: bool = True, note: str = ""
) -> RecoveryAction:
    """Approve (or reject) compensation awaiting approval. Four eyes: the approver holds
    ``complaints.approve_compensation`` and is not the person who proposed it. Bumps the
    ticket's version (its facts changed) without requiring the caller's version."""
    if by is None or not by.has_perm("complaints.approve_compensation"):
        raise DomainError(_("You may not approve compensation."), code="forbidden")
    if action.created_by_id == by.pk:
        raise DomainError(_("Someone other than the proposer must approve it."), field="approver")
    status = RecoveryStatus.APPROVED if approve else RecoveryStatus.REJECTED
    decided = RecoveryAction.objects.filter(pk=action.pk, status=RecoveryStatus.PENDING).update(
        status=status, approver=by, decided_at=now()
    )
    if decided != 1:
        raise ConflictError(_("This recovery action was already decided."))
    locked = _current(action.complaint_id)
    _save(locked, [])
    events.recovery_decided_event(
        complaint=locked, action_id=action.pk, status=status, note=note, by=by
    )
    action.refresh_from_db()
    return action


# --------------------------------------------------------------------- callback
@transaction.atomic
def complaint_record_callback(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    solved: bool,
    expectation_met: bool,
    attitude_ok: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """Record the callback after resolution (seeds/001): 对事 — solved? expectation met? — and
    对人 — did the attitude feel good? All yes: the ticket moves to *callback done*; any no:
    back into *service recovery* (explore → propose → execute → confirm)."""
    locked = _claim(complaint, expected_version)
    if locked.state != ComplaintState.RESOLVED:
        raise DomainError(
            _("A callback is recorded on a resolved complaint (this one is %(state)s).")
            % {"state": state_label(locked.state)},
            field="state",
        )
    moment = at or now()
    locked.callback_solved = solved
    locked.callback_expectation_met = expectation_met
    locked.callback_attitude_ok = attitude_ok
    locked.callback_note = note
    locked.callback_at = moment
    locked.save(
        update_fields=[
            "callback_solved",
            "callback_expectation_met",
            "callback_attitude_ok",
            "callback_note",
            "callback_at",
        ]
    )
    events.callback_recorded_event(
        complaint=locked,
        solved=solved,
        expectation_met=expectation_met,
        attitude_ok=attitude_ok,
        by=by,
    )
    satisfied = solved and expectation_met and attitude_ok
    target = ComplaintState.CALLBACK_DONE if satisfied else ComplaintState.RECOVERY
    return _move(locked, target, by=by, note=note, at=moment)


@transaction.atomic
def complaint_confirm_type(
    *, complaint: Complaint, complainer_type: str, by: Any, expected_version: int
) -> Complaint:
    """The handler confirms (or corrects) the suggested complainer type."""
    if complainer_type not in ComplainerType.values:
        raise DomainError(_("Unknown complainer type."), field="complainer_type")
    locked = _claim(complaint, expected_version)
    locked.complainer_type = complainer_type
    _save(locked, ["complainer_type"])
    events.type_confirmed_event(
        complaint=locked,
        complainer_type=complainer_type,
        suggested=locked.complainer_type_suggested,
        by=by,
    )
    return locked


@transaction.atomic
def complaint_assign(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    owner: Any = None,
    team_id: int | None = None,
) -> Complaint:
    """Give the ticket an owner and/or team. A new team may have another business calendar,
    so open clocks are recomputed on it."""
    locked = _claim(complaint, expected_version)
    _require_open(locked)
    team_changed = locked.team_id != team_id
    locked.owner = owner
    locked.team_id = team_id
    if team_changed:
        _recompute(locked, now(), rederive=True)
    _save(locked, ["owner", "team"])
    events.assigned_event(complaint=locked, owner_id=_user_id(owner), team_id=team_id, by=by)
    return locked


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    root_cause: RootCause | None = None,
    root_cause_note: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """Close after a satisfied callback; needs a root cause category (given here or before).
    Sends ``complaint_closed`` after commit (surveys sends the post-contact survey)."""
    locked = _claim(complaint, expected_version)
    if root_cause is not None:
        locked.root_cause = root_cause
        locked.root_cause_note = root_cause_note or locked.root_cause_note
        locked.save(update_fields=["root_cause", "root_cause_note"])
    _move(locked, ComplaintState.CLOSED, by=by, note=note, at=at or now())
    events.closed_event(
        complaint=locked, root_cause=locked.root_cause.code if locked.root_cause else "", by=by
    )
    return locked


@transaction.atomic
def complaint_reopen(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    reason: str,
    at: dt.datetime | None = None,
) -> Complaint:
    """Reopen a resolved, called-back or closed ticket: back to investigating with a new
    resolution clock; the callback must be done again."""
    if not reason.strip():
        raise DomainError(_("Say why the complaint is reopened."), field="reason")
    locked = _claim(complaint, expected_version)
    return _reopen(locked, by=by, reason=reason, at=at or now())


def _reopen(locked: Complaint, *, by: Any, reason: str, at: dt.datetime) -> Complaint:
    if locked.state not in REOPEN_SOURCES:
        raise DomainError(
            _("Only a resolved or closed complaint can be reopened (this one is %(state)s).")
            % {"state": state_label(locked.state)},
            field="state",
        )
    source = locked.state
    _move(locked, ComplaintState.INVESTIGATING, by=by, note=reason, at=at)
    events.reopened_event(complaint=locked, source=source, reason=reason, by=by)
    return locked


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, by: Any, text: str) -> ComplaintEvent:
    """Add a note to the timeline (append-only; needs no version: it edits nothing)."""
    if not text.strip():
        raise DomainError(_("Write the note."), field="text")
    return events.note_event(complaint=complaint, text=text, by=by)


@transaction.atomic
def complaint_record_external_event(
    *, complaint_id: int, kind: str, parameters: Mapping[str, Any], by_id: int | None = None
) -> ComplaintEvent:
    """Another context writes onto the timeline (e.g. commitments: promise made/kept/broken)."""
    if not Complaint.objects.filter(pk=complaint_id).exists():
        raise DomainError(_("Complaint not found."), code="not_found")
    return events.external_event(
        complaint_id=complaint_id, kind=kind, parameters=parameters, by_id=by_id
    )


@transaction.atomic
def complaint_refresh_risk(*, customer_id: int, cause: str = "promise_broken") -> int:
    """Rescore the escalation risk of the customer's open tickets (a promise broke, another
    complaint came in); returns how many tickets changed score. The score is derived data, so
    the version is not bumped: a handler's open page does not turn stale because of it."""
    _tier, vip = _tier_and_vip(customer_id)
    changed = 0
    moment = now()
    ids = (
        Complaint.objects.filter(customer_id=customer_id)
        .exclude(state=ComplaintState.CLOSED)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        locked = Complaint.objects.select_for_update().get(pk=pk)
        before = locked.risk_score
        _score(locked, vip=vip, at=moment)
        locked.save(
            update_fields=[
                "complainer_type_suggested",
                "complainer_reasons",
                "risk_score",
                "risk_reasons",
            ]
        )
        if locked.risk_score != before:
            changed += 1
            events.risk_refreshed_event(
                complaint=locked, before=before, after=locked.risk_score, cause=cause
            )
    return changed


@transaction.atomic
def complaint_reopen_for_recovery(
    *, complaint_id: int, reason: str, by_id: int | None = None
) -> Complaint:
    """An unhappy answer after closing (post-contact survey): reopen the ticket and put it
    straight into service recovery."""
    locked = _current(complaint_id)
    by = None
    if by_id is not None:
        from django.contrib.auth import get_user_model

        by = get_user_model().objects.filter(pk=by_id).first()
    if locked.state in (
        ComplaintState.RESOLVED,
        ComplaintState.CALLBACK_DONE,
        ComplaintState.CLOSED,
    ):
        _move(locked, ComplaintState.RECOVERY, by=by, note=reason, at=now())
    else:
        events.note_event(complaint=locked, text=reason, by=by)
    return locked


# ------------------------------------------------------------------ recompute
def _recompute(complaint: Complaint, at: dt.datetime, *, rederive: bool) -> None:
    for clock in complaint.clocks.exclude(phase="stopped"):
        clocks.clock_recompute(clock, team_id=complaint.team_id, at=at, rederive_target=rederive)


@transaction.atomic
def complaint_clocks_recompute(*, complaint_id: int, cause: str, rederive: bool = True) -> bool:
    """Recompute one ticket's open clocks (after a calendar or policy change); the ticket row
    is locked meanwhile. The timeline notes it only when a due time actually moved; returns
    whether one did."""
    locked = Complaint.objects.select_for_update().get(pk=complaint_id)
    before = dict(locked.clocks.exclude(phase="stopped").values_list("pk", "due_at"))
    _recompute(locked, now(), rederive=rederive)
    after = dict(locked.clocks.exclude(phase="stopped").values_list("pk", "due_at"))
    changed = clocks.summarise(locked)
    if changed:
        locked.save(update_fields=changed)
    moved = before != after
    if moved:
        events.clocks_recomputed_event(complaint_id=complaint_id, cause=cause)
    return moved


def complaints_recompute_open_clocks(*, cause: str, batch: int = 500) -> int:
    """Recompute every open ticket's clocks, one short transaction per ticket (calendar
    changed); returns how many tickets were recomputed."""
    ids = list(
        Complaint.objects.exclude(state=ComplaintState.CLOSED)
        .filter(clocks__phase__in=["running", "paused"])
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    with outbound.cached_calendars():
        for start in range(0, len(ids), batch):
            for pk in ids[start : start + batch]:
                complaint_clocks_recompute(complaint_id=pk, cause=cause)
    return len(ids)
