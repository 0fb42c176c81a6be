"""Occupancy's agent time in the KPI table, from the registered agent-time source.

The context holding the ACD's agent states registers a source (``yuqi.core.measures``);
here its per-agent, per-bucket seconds are summed into the table's groups: by interval, day,
week, month, team and agent, and the total. An agent's states are not split by queue,
channel or tier, so a table grouped by one of those keeps occupancy unknown ("needs agent
states"). A filter (queue, channel, scope, agent) keeps the agents who handled the
filtered contacts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from yuqi.core.measures import agent_time_source
from yuqi.domain.kpi import kpi_values
from yuqi.interactions.models import Agent

SPLITTABLE = frozenset({"month", "week", "day", "interval", "team", "agent"})


def _time_key(key: str, start: datetime) -> Any:
    local = timezone.localtime(start)
    if key == "interval":
        return local
    day: date = local.date()
    if key == "week":
        return day - timedelta(days=day.weekday())
    if key == "month":
        return day.replace(day=1)
    return day


def with_agent_time(
    rows: list[Any],
    *,
    by: Sequence[str],
    date_from: date,
    date_to: date,
    interval_minutes: int,
    agents: Iterable[str],
    filtered: bool,
) -> list[Any]:
    """``rows`` with ``staffed_seconds`` and ``busy_seconds`` from the agent states (the rows
    unchanged without a source, without states, or grouped by queue, channel or tier).
    ``agents``: the codes of the agents who handled the filtered contacts (a query or a set
    already read), read only when ``filtered``."""
    source = agent_time_source()
    if source is None or not set(by) <= SPLITTABLE:
        return rows
    bucket = interval_minutes if "interval" in by else 1440
    found = source(date_from, date_to, bucket, frozenset(agents) if filtered else None)
    if not found:
        return rows
    teams: dict[str, str | None] = {}
    if "team" in by:
        teams = dict(Agent.objects.values_list("code", "team__code"))
    # An agent's own part of the key (code, team) only where grouped by it: else every
    # agent's time of a bucket is summed first, and the bucket's key is built once.
    by_agent = "agent" in by or "team" in by
    buckets: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0, 0])
    for (agent, start), time in found.items():
        bucket_total = buckets[(agent if by_agent else "", start)]
        bucket_total[0] += time.available
        bucket_total[1] += time.busy
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    # Every agent shares the period's few bucket starts: each is converted once.
    time_keys: dict[tuple[str, datetime], Any] = {}
    for (agent, start), (available, busy) in buckets.items():
        key: list[Any] = []
        for name in by:
            if name == "agent":
                key.append(agent)
            elif name == "team":
                key.append(teams.get(agent))
            else:
                wanted = (name, start)
                if wanted not in time_keys:
                    time_keys[wanted] = _time_key(name, start)
                key.append(time_keys[wanted])
        total = totals[tuple(key)]
        total[0] += available
        total[1] += busy
    out = []
    for row in rows:
        available, busy = totals.get(tuple(row.keys[name] for name in by), (0, 0))
        counts = replace(row.counts, staffed_seconds=available, busy_seconds=busy)
        out.append(replace(row, counts=counts, values=kpi_values(counts)))
    return out
