"""The SLA alert sweep: at-risk and breach alerts to the owner and their supervisors.

How it stays correct with several workers and restarts (ADR 0002, healthchecks' pattern):

* Candidates come from indexed columns only: clocks not stopped whose ``warn_at`` or
  ``due_at`` has passed and whose alert for that threshold was not sent
  (``alerted_at_risk_at`` / ``alerted_breach_at`` IS NULL), and whose deferral, if any
  (``next_alert_at``), has come.
* Each alert is **claimed** with a conditional UPDATE (``... WHERE alerted_breach_at IS NULL``)
  inside a per-clock transaction; only the run whose UPDATE touched the row sends. If the send
  fails, the transaction rolls back and the next run tries again. Nothing lives in memory.
* An alert is never sent outside the recipients' working hours (the ticket team's business
  calendar, plus :data:`QUIET_HOURS` for 24-hour calendars) unless the ticket's level is a
  regulator appeal, whose time limits run regardless. A held-back alert stores its slot in
  ``next_alert_at`` and stays unclaimed until then.
* A breach alert also counts as the at-risk alert (nobody needs "at risk" after "breached").

Recipients: the owner, and the supervisors of the ticket's team — active users with the
``supervisor`` role whose agent profile (``interactions.Agent.user``) is in that team; when the
ticket has no team or the team has no supervisor, every active supervisor. All recipients are
treated as working on the ticket team's calendar.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from yuqi.complaints import clocks, events, outbound
from yuqi.complaints.choices import ClockKind
from yuqi.complaints.models import Complaint, SlaClock
from yuqi.core.clock import now
from yuqi.domain.sla import QuietHours, alert_slot

log = logging.getLogger(__name__)

#: Local hours in which no non-regulator alert goes out even on a 24-hour calendar.
QUIET_HOURS = QuietHours(dt.time(22, 0), dt.time(7, 0))
SUPERVISOR_ROLE = "supervisor"
BREACH = "breach"
AT_RISK = "at_risk"


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did: clocks looked at, alerts sent, alerts held back to a later slot."""

    examined: int
    sent: int
    deferred: int


def due_alerts(at: dt.datetime):
    """Clocks with an unsent alert whose threshold has passed (indexed columns only)."""
    unsent = Q(alerted_breach_at__isnull=True, due_at__lte=at) | Q(
        alerted_at_risk_at__isnull=True, warn_at__lte=at
    )
    slot_come = Q(next_alert_at__isnull=True) | Q(next_alert_at__lte=at)
    return (
        SlaClock.objects.exclude(phase="stopped").filter(unsent, slot_come).order_by("due_at", "id")
    )


def supervisors_for(team_id: int | None) -> list[int]:
    """Supervisors of the team, else every supervisor (see the module docstring)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=SUPERVISOR_ROLE)
    if team_id is not None:
        in_team = list(
            users.filter(agent_profile__team_id=team_id).values_list("pk", flat=True).distinct()
        )
        if in_team:
            return sorted(in_team)
    return sorted(set(users.values_list("pk", flat=True)))


def recipients_for(
    complaint: Complaint, supervisors: dict[int | None, list[int]] | None = None
) -> list[int]:
    """Owner first, then supervisors, without duplicates (``supervisors``: a per-sweep cache)."""
    cache = {} if supervisors is None else supervisors
    if complaint.team_id not in cache:
        cache[complaint.team_id] = supervisors_for(complaint.team_id)
    ids = [complaint.owner_id] if complaint.owner_id else []
    return ids + [pk for pk in cache[complaint.team_id] if pk not in ids]


def sla_alerts_sweep(*, at: dt.datetime | None = None, limit: int | None = None) -> SweepResult:
    """Send every due at-risk/breach alert once; safe to run twice or on two workers.
    ``limit`` caps the clocks handled in one run (the rest wait for the next run)."""
    moment = at or now()
    due = due_alerts(moment).values_list("pk", flat=True)
    ids = list(due[:limit] if limit is not None else due)
    sent = deferred = 0
    supervisors: dict[int | None, list[int]] = {}
    with outbound.cached_calendars():
        for pk in ids:
            outcome = _alert_one(pk, moment, supervisors)
            sent += outcome == "sent"
            deferred += outcome == "deferred"
    return SweepResult(examined=len(ids), sent=sent, deferred=deferred)


@transaction.atomic
def _alert_one(clock_id: int, moment: dt.datetime, supervisors: dict) -> str:
    clock = SlaClock.objects.select_related("complaint__level").get(pk=clock_id)
    if clock.phase == "stopped":  # answered since it was selected
        return "skipped"
    complaint = clock.complaint
    # the threshold passed, so the stored state (and the ticket's queue columns) move now,
    # even if the alert itself has to wait for working hours
    clocks.clock_recompute(clock, team_id=complaint.team_id, at=moment)
    changed = clocks.summarise(complaint)
    if changed:
        complaint.save(update_fields=changed)
    breach = clock.alerted_breach_at is None and _passed(clock.due_at, moment)
    if not breach and not (clock.alerted_at_risk_at is None and _passed(clock.warn_at, moment)):
        return "skipped"  # the recomputed thresholds moved (e.g. a calendar change)
    threshold = BREACH if breach else AT_RISK
    regulator = complaint.level.is_regulator
    slot = alert_slot(
        moment,
        calendar=outbound.calendar_for(team_id=complaint.team_id),
        quiet_hours=None if regulator else QUIET_HOURS,
        working_hours_only=not regulator,
    )
    if slot.deferred and slot.send_at > moment:
        return _defer(clock, threshold, slot.send_at, list(slot.reasons), moment)
    if not _claim(clock, breach, moment):
        return "skipped"
    recipients = recipients_for(complaint, supervisors)
    if recipients:
        outbound.notify_users(
            user_ids=recipients,
            template="sla_alert",
            context={
                "number": complaint.number,
                "state": "breached" if breach else "at_risk",
                "clock_label": ClockKind(clock.kind).label,
                "due": clock.due_at,
                "level": complaint.level.code,
                "url": f"/complaints/{complaint.pk}/",
            },
            subject=f"complaint:{complaint.pk}",
        )
    events.sla_alert_event(
        complaint_id=complaint.pk,
        clock_kind=clock.kind,
        threshold=threshold,
        recipient_ids=recipients,
    )
    return "sent"


def _passed(moment: dt.datetime | None, now_: dt.datetime) -> bool:
    return moment is not None and moment <= now_


def _claim(clock: SlaClock, breach: bool, moment: dt.datetime) -> bool:
    """The conditional UPDATE that makes an alert this run's to send (or nobody's)."""
    rows = SlaClock.objects.filter(pk=clock.pk)
    if breach:
        return (
            rows.filter(alerted_breach_at__isnull=True).update(
                alerted_breach_at=moment,
                alerted_at_risk_at=Coalesce("alerted_at_risk_at", moment),
                next_alert_at=None,
            )
            == 1
        )
    return (
        rows.filter(alerted_at_risk_at__isnull=True).update(
            alerted_at_risk_at=moment, next_alert_at=None
        )
        == 1
    )


def _defer(
    clock: SlaClock, threshold: str, send_at: dt.datetime, reasons: list[str], moment: dt.datetime
) -> str:
    """Hold the alert until ``send_at``; the timeline notes it once per slot."""
    moved = (
        SlaClock.objects.filter(pk=clock.pk)
        .filter(Q(next_alert_at__isnull=True) | Q(next_alert_at__lte=moment))
        .update(next_alert_at=send_at)
    )
    if moved == 1:
        events.sla_alert_deferred_event(
            complaint_id=clock.complaint_id,
            clock_kind=clock.kind,
            threshold=threshold,
            send_at=send_at,
            reasons=reasons,
        )
    return "deferred"
