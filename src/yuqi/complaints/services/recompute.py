"""Recomputing open clocks after a calendar change."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from yuqi.complaints import clocks, events, outbound
from yuqi.complaints.choices import ComplaintState
from yuqi.complaints.models import Complaint
from yuqi.core.clock import now


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
