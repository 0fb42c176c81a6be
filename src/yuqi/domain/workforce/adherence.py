"""Adherence, conformance, observed shrinkage and occupancy from agent-state intervals.

Inputs are plain records: the schedule (``Activity``: agent, activity, start, end, e.g. a
"work" block and a "lunch") and the ACD's agent-state export (``StateInterval``: agent, state,
reason, start, end). Definitions, per agent and for all agents together:

* **adherence** = time in a state matching the scheduled activity ÷ scheduled time
  (activity "work" matches ready, on contact and wrap; "break"/"lunch" match break;
  other activities match not ready with the activity as reason — ``DEFAULT_MATCHES``);
* **conformance** = time logged in (any state) ÷ scheduled time, wherever it falls;
* **observed shrinkage** = scheduled time not available for contacts ÷ scheduled time, by
  reason: not ready by its reason, break, and ``absent`` (scheduled, not logged in);
* **occupancy** = (on contact + wrap) ÷ (ready + on contact + wrap), over all logged time
  (``None`` when the agent was never available).

Data hygiene, reported and never silently summed:

* every time must be time-zone aware; all are converted to UTC first, so an export whose
  offset changes part-way (a daylight-saving change, or a switch from +08:00 to UTC) is
  measured in real elapsed time and nothing is counted twice;
* a row ending before it starts (``backwards``) is reported and left out;
* rows of one agent that overlap (``overlap``) are reported and the later row is cut to start
  where the earlier ends, so the overlapping time counts once. Rows in the state
  ``logged_in`` are sessions and may contain the detailed rows; logged-in time that no
  detailed row covers counts as ``logged_in`` (not available, not shrinkage by a reason).
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from yuqi.domain.workforce.errors import WorkforceError

__all__ = [
    "DEFAULT_MATCHES",
    "Activity",
    "AdherenceReport",
    "AgentAdherence",
    "AgentState",
    "StateInterval",
    "StateProblem",
    "adherence_report",
]

UTC = dt.UTC


class AgentState(StrEnum):
    LOGGED_IN = "logged_in"
    READY = "ready"
    NOT_READY = "not_ready"
    ON_CONTACT = "on_contact"
    WRAP = "wrap"
    BREAK = "break"


AVAILABLE = frozenset({AgentState.READY, AgentState.ON_CONTACT, AgentState.WRAP})
BUSY = frozenset({AgentState.ON_CONTACT, AgentState.WRAP})

#: Scheduled activity → the observed states (``not_ready:REASON`` for a reason) that adhere.
DEFAULT_MATCHES: Mapping[str, frozenset[str]] = {
    "work": frozenset({"ready", "on_contact", "wrap"}),
    "break": frozenset({"break"}),
    "lunch": frozenset({"break"}),
}


@dataclass(frozen=True, slots=True)
class StateInterval:
    agent: str
    state: AgentState | str
    start: dt.datetime
    end: dt.datetime
    reason: str = ""
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    agent: str
    activity: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class StateProblem:
    """``backwards`` or ``overlap`` (state rows) or ``schedule_overlap``, with the rows."""

    kind: str
    agent: str
    rows: tuple[int | None, ...]
    seconds: float
    detail: str


@dataclass(frozen=True, slots=True)
class AgentAdherence:
    agent: str
    scheduled_seconds: float
    adherent_seconds: float
    logged_seconds: float
    shrinkage_seconds: dict[str, float]
    state_seconds: dict[str, float]

    @property
    def adherence(self) -> float | None:
        return _share(self.adherent_seconds, self.scheduled_seconds)

    @property
    def conformance(self) -> float | None:
        return _share(self.logged_seconds, self.scheduled_seconds)

    @property
    def shrinkage(self) -> dict[str, float]:
        """Observed shrinkage by reason, as shares of scheduled time."""
        if not self.scheduled_seconds:
            return {}
        return {k: v / self.scheduled_seconds for k, v in sorted(self.shrinkage_seconds.items())}

    @property
    def occupancy(self) -> float | None:
        busy = sum(self.state_seconds.get(s, 0.0) for s in BUSY)
        return _share(busy, busy + self.state_seconds.get(AgentState.READY, 0.0))


@dataclass(frozen=True, slots=True)
class AdherenceReport:
    agents: tuple[AgentAdherence, ...]
    total: AgentAdherence
    problems: tuple[StateProblem, ...] = field(default=())


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def _utc(moment: dt.datetime, what: str) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise WorkforceError(
            f"{what}: time {moment.isoformat()} has no time zone; give aware times",
            f"{what}：时间 {moment.isoformat()} 没有时区，请给出带时区的时间",
            field="start",
        )
    return moment.astimezone(UTC)


def _token(item: StateInterval) -> str:
    state = AgentState(item.state)
    if state is AgentState.NOT_READY:
        return f"not_ready:{item.reason}" if item.reason else "not_ready"
    return str(state)


def _timeline(
    agent: str, rows: list[StateInterval], problems: list[StateProblem]
) -> tuple[list[tuple[dt.datetime, dt.datetime, str]], list[tuple[dt.datetime, dt.datetime]]]:
    """Non-overlapping detailed segments (UTC) and the logged-in sessions of one agent."""
    detailed, sessions = [], []
    for item in rows:
        where = f"row {item.row}" if item.row is not None else f"agent {agent}"
        start, end = _utc(item.start, where), _utc(item.end, where)
        if end < start:
            problems.append(
                StateProblem(
                    "backwards",
                    agent,
                    (item.row,),
                    (start - end).total_seconds(),
                    f"{item.state} ends {end.isoformat()} before it starts {start.isoformat()}",
                )
            )
            continue
        if end == start:
            continue
        if AgentState(item.state) is AgentState.LOGGED_IN:
            sessions.append((start, end))
        else:
            detailed.append((start, end, _token(item), item.row))
    detailed.sort(key=lambda seg: (seg[0], seg[1]))
    kept: list[tuple[dt.datetime, dt.datetime, str]] = []
    last_end, last_row = None, None
    for start, end, token, row in detailed:
        if last_end is not None and start < last_end:
            overlap = (min(end, last_end) - start).total_seconds()
            problems.append(
                StateProblem(
                    "overlap",
                    agent,
                    (last_row, row),
                    overlap,
                    f"{token} starts {start.isoformat()} before the previous row ends",
                )
            )
            start = last_end
            if end <= start:
                continue
        kept.append((start, end, token))
        last_end, last_row = end, row
    return kept, _merge(sessions + [(s, e) for s, e, _ in kept])


def _merge(spans: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlap(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> float:
    return max(0.0, (min(a[1], b[1]) - max(a[0], b[0])).total_seconds())


def _agent(
    agent: str,
    activities: list[tuple[dt.datetime, dt.datetime, str]],
    segments: list[tuple[dt.datetime, dt.datetime, str]],
    sessions: list[tuple[dt.datetime, dt.datetime]],
    matches: Mapping[str, frozenset[str]],
) -> AgentAdherence:
    scheduled = adherent = 0.0
    shrink: dict[str, float] = defaultdict(float)
    ends = [seg_end for _, seg_end, _ in segments]  # sorted: the segments do not overlap
    session_ends = [session_end for _, session_end in sessions]
    for start, end, activity in activities:
        span = (start, end)
        scheduled += (end - start).total_seconds()
        wanted = matches.get(activity, frozenset({f"not_ready:{activity}"}))
        detailed = 0.0
        for seg_start, seg_end, token in segments[bisect_right(ends, start) :]:
            if seg_start >= end:
                break
            inside = _overlap(span, (seg_start, seg_end))
            detailed += inside
            if token in wanted or token.split(":")[0] in wanted:
                adherent += inside
            if token not in AVAILABLE:
                shrink[token.removeprefix("not_ready:")] += inside
        logged = 0.0
        for session in sessions[bisect_right(session_ends, start) :]:
            if session[0] >= end:
                break
            logged += _overlap(span, session)
        if logged > detailed:
            shrink["logged_in"] += logged - detailed
        shrink["absent"] += (end - start).total_seconds() - logged
    states: dict[str, float] = defaultdict(float)
    for start, end, token in segments:
        states[token.split(":")[0]] += (end - start).total_seconds()
    logged_total = sum((end - start).total_seconds() for start, end in sessions)
    return AgentAdherence(
        agent=agent,
        scheduled_seconds=scheduled,
        adherent_seconds=adherent,
        logged_seconds=logged_total,
        shrinkage_seconds={k: v for k, v in shrink.items() if v > 0},
        state_seconds=dict(states),
    )


def adherence_report(
    schedule: Iterable[Activity],
    states: Iterable[StateInterval],
    *,
    matches: Mapping[str, frozenset[str]] = DEFAULT_MATCHES,
) -> AdherenceReport:
    """Adherence, conformance, shrinkage and occupancy per agent and in total (module doc)."""
    problems: list[StateProblem] = []
    rows: dict[str, list[StateInterval]] = defaultdict(list)
    for item in states:
        try:
            AgentState(item.state)
        except ValueError as exc:
            raise WorkforceError(
                f"row {item.row}: unknown state {item.state!r}",
                f"第 {item.row} 行：未知状态 {item.state!r}",
                field="state",
            ) from exc
        rows[item.agent].append(item)
    planned: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = defaultdict(list)
    for activity in schedule:
        where = f"schedule of {activity.agent}"
        start, end = _utc(activity.start, where), _utc(activity.end, where)
        if end > start:
            planned[activity.agent].append((start, end, activity.activity))
    for agent, items in planned.items():
        items.sort()
        for first, second in itertools.pairwise(items):
            if second[0] < first[1]:
                problems.append(
                    StateProblem(
                        "schedule_overlap",
                        agent,
                        (),
                        _overlap(first[:2], second[:2]),
                        f"{first[2]} and {second[2]} overlap",
                    )
                )
    found = []
    for agent in sorted(set(rows) | set(planned)):
        segments, sessions = _timeline(agent, rows.get(agent, []), problems)
        found.append(_agent(agent, planned.get(agent, []), segments, sessions, matches))
    return AdherenceReport(agents=tuple(found), total=_sum(found), problems=tuple(problems))


def _sum(parts: list[AgentAdherence]) -> AgentAdherence:
    shrink: dict[str, float] = defaultdict(float)
    states: dict[str, float] = defaultdict(float)
    for part in parts:
        for key, value in part.shrinkage_seconds.items():
            shrink[key] += value
        for key, value in part.state_seconds.items():
            states[key] += value
    return AgentAdherence(
        agent="",
        scheduled_seconds=sum(p.scheduled_seconds for p in parts),
        adherent_seconds=sum(p.adherent_seconds for p in parts),
        logged_seconds=sum(p.logged_seconds for p in parts),
        shrinkage_seconds=dict(shrink),
        state_seconds=dict(states),
    )
