"""A ticket's life: open, move (transition, close, reopen), escalate, edit, assign, notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.complaints import book, clocks, events, outbound
from yuqi.complaints.choices import (
    ClockKind,
    ComplaintState,
    SourceChannel,
)
from yuqi.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintDaySequence,
    ComplaintEvent,
    ComplaintLevel,
    RootCause,
)
from yuqi.complaints.services._common import (
    CHECKLIST_FIELDS,
    CUSTOMER_TEMPLATES,
    _clock_error,
    _facts,
    _latest_clock,
    _notify_customer,
    _refresh_clock_columns,
    _refusal,
    _require_open,
    _save,
    _status_context,
    _tier_and_vip,
    state_label,
)
from yuqi.complaints.services._locking import _claim, _current, _user_id
from yuqi.complaints.services.recompute import _recompute
from yuqi.complaints.services.risk import _score
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.calendar import CalendarError
from yuqi.domain.complaint_workflow import (
    CLOCK_KINDS,
    REOPEN_SOURCES,
    ClockMode,
    TransitionRefused,
    check_transition,
    clock_effects,
    clock_mode,
    transition,
)
from yuqi.domain.sla import ClockError


def _next_number(moment: dt.datetime) -> str:
    """``TS-YYYYMMDD-NNNN`` for the local date; race-free (row claimed by UPDATE)."""
    day = timezone.localdate(moment)
    ComplaintDaySequence.objects.get_or_create(day=day)
    ComplaintDaySequence.objects.filter(day=day).update(last=F("last") + 1)
    last = ComplaintDaySequence.objects.get(day=day).last
    return f"TS-{day:%Y%m%d}-{last:04d}"


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
    book.book_apply(complaint=complaint, by=by, at=at, cause="opened")
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


def _move(complaint: Complaint, target: str, *, by: Any, note: str, at: dt.datetime) -> Complaint:
    """Check and apply one move on a claimed ticket: state, timestamps, clocks, event, message."""
    source = complaint.state
    try:
        check_transition(source, target, _facts(complaint))
    except TransitionRefused as exc:
        raise _refusal(exc) from exc
    book.book_check_move(complaint, target)
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
        book.book_on_closed(complaint=complaint, by=by, at=at)
        _send_closed_signal(complaint)
    elif entry.action == "reopen":
        book.book_apply(complaint=complaint, by=by, at=at, cause="reopened")
    return complaint


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
    what is missing. Pauses/resumes/stops/starts the SLA clocks the move affects. Closing and
    reopening have their own services (their events, the closing signal): see
    :func:`complaint_move`, which picks the right one for a target state."""
    entry = transition(complaint.state, target)
    if target == ComplaintState.CLOSED or (entry is not None and entry.action == "reopen"):
        raise DomainError(
            _("Closing and reopening have their own actions."), field="target", code="invalid"
        )
    locked = _claim(complaint, expected_version)
    return _move(locked, target, by=by, note=note, at=at or now())


def complaint_move(
    *,
    complaint: Complaint,
    target: str,
    by: Any,
    expected_version: int,
    note: str = "",
    root_cause: RootCause | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """The one door for "move this ticket to ``target``" (the ticket page and the API): a
    close goes to :func:`complaint_close` (closing event, survey signal), a reopen to
    :func:`complaint_reopen` (reopen event; ``note`` is the reason), anything else to
    :func:`complaint_transition`."""
    common = {"complaint": complaint, "by": by, "expected_version": expected_version, "at": at}
    if target == ComplaintState.CLOSED:
        return complaint_close(**common, note=note, root_cause=root_cause)
    entry = transition(complaint.state, target)
    if entry is not None and entry.action == "reopen":
        return complaint_reopen(**common, reason=note or str(_("Reopened")), target=target)
    return complaint_transition(**common, target=target, note=note)


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
    book.book_apply(complaint=locked, by=by, at=moment, cause="escalated")
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
    """Record the handler's expectation-setting steps ([seed-003]); keys are ``ChecklistItem``
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
    target: str = ComplaintState.INVESTIGATING,
) -> Complaint:
    """Reopen a resolved, called-back or closed ticket: back to investigating (or, from
    closed, straight into recovery) with a new resolution clock; the callback must be done
    again."""
    if not reason.strip():
        raise DomainError(_("Say why the complaint is reopened."), field="reason")
    locked = _claim(complaint, expected_version)
    return _reopen(locked, by=by, reason=reason, at=at or now(), target=target)


def _reopen(
    locked: Complaint,
    *,
    by: Any,
    reason: str,
    at: dt.datetime,
    target: str = ComplaintState.INVESTIGATING,
) -> Complaint:
    if locked.state not in REOPEN_SOURCES:
        raise DomainError(
            _("Only a resolved or closed complaint can be reopened (this one is %(state)s).")
            % {"state": state_label(locked.state)},
            field="state",
        )
    source = locked.state
    _move(locked, target, by=by, note=reason, at=at)
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
