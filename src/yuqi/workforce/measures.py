"""What the workforce context lends other contexts through ``yuqi.core.measures``: agents'
available and busy time for the KPI engine's occupancy, and the shrinkage observed in the
agent states for the staffing page's default."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.measures import AgentTime, MeasureReading
from yuqi.workforce.models import AgentStateRow

AVAILABLE = frozenset({"ready", "on_contact", "wrap"})
BUSY = frozenset({"on_contact", "wrap"})


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    begin = dt.datetime.combine(first, dt.time(), zone)
    return begin, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)


def _bucket_start(moment: dt.datetime, minutes: int) -> dt.datetime:
    local = timezone.localtime(moment)
    if minutes >= 1440:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    minute = (local.hour * 60 + local.minute) // minutes * minutes
    return local.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0)


def agent_time(
    first: dt.date, last: dt.date, bucket_minutes: int, agents: frozenset[str] | None
) -> dict[tuple[str, Any], AgentTime]:
    """Available (ready + on contact + wrap) and busy (on contact + wrap) seconds per agent
    and local bucket, from the imported agent states clipped to the period. Rows were checked
    for overlaps when imported, so they are summed as they are."""
    begin, finish = _bounds(first, last)
    rows = AgentStateRow.objects.filter(
        Q(start__lt=finish) & Q(end__gt=begin) & Q(state__in=sorted(AVAILABLE))
    )
    if agents is not None:
        rows = rows.filter(agent_code__in=sorted(agents))
    sums: dict[tuple[str, Any], list[float]] = defaultdict(lambda: [0.0, 0.0])
    step = dt.timedelta(minutes=min(bucket_minutes, 1440))
    for code, state, start, end in rows.values_list("agent_code", "state", "start", "end"):
        cursor, end = max(start, begin), min(end, finish)
        while cursor < end:
            bucket = _bucket_start(cursor, bucket_minutes)
            stop = min(end, bucket + step)
            seconds = (stop - cursor).total_seconds()
            entry = sums[(code, bucket)]
            entry[0] += seconds
            if state in BUSY:
                entry[1] += seconds
            cursor = stop
    return {key: AgentTime(round(a), round(b)) for key, (a, b) in sums.items()}


def observed_shrinkage(first: dt.date, last: dt.date) -> MeasureReading:
    """Measure ``observed_shrinkage``: the share of published scheduled time not available for
    contacts (absent, break, not ready by reason, logged in without a state), from the agent
    states; ``note`` lists the reasons. The staffing page offers it as its shrinkage default."""
    from yuqi.workforce.services import adherence_report

    report = adherence_report(first, last)
    total = report.total
    if not total.scheduled_seconds or not total.logged_seconds:
        return MeasureReading(
            None, _("No published roster shift or no agent state in this period.")
        )
    shares = total.shrinkage
    value = sum(shares.values())
    labels = {
        "absent": _("absent"),
        "break": _("break"),
        "logged_in": _("state not detailed"),
        "not_ready": _("not ready"),
    }
    note = ", ".join(
        f"{labels.get(reason, reason)} {share:.1%}"
        for reason, share in sorted(shares.items(), key=lambda kv: -kv[1])
        if share >= 0.0005
    )
    return MeasureReading(
        value, n=len(report.agents), link="/workforce/adherence/", note=note, source="workforce"
    )
