"""Demo step: the simulated roster as real, published rosters, and agent states (排班).

The simulation (:mod:`yuqi.demo.simulation`) rosters its agents and serves every contact
inside their shifts. This step writes the last weeks of that roster into the workforce
context and derives each agent's ACD states from the contacts the agent actually handled, so
adherence, shrinkage and occupancy are measured on the same day the KPIs describe:

* a shift template per distinct start and length of the simulated shifts (an 8-hour shift has
  its 30-minute meal break in the window 3.5–5 hours after the start, a 4-hour one none);
* one published roster per queue over the last ``STATE_DAYS`` days (at most two weeks), each
  assignment with the break where the simulation placed it, and one for the coming week that
  repeats the last week's shifts (no states yet: adherence counts only what was due); every
  simulated agent becomes a rostered agent (李娜, the agent login, is the one the interactions
  step linked to her, so "my schedule" shows her coming week);
* agent states per shift: ``on_contact`` while a contact is answered and talking, ``wrap``
  for its after-call work, ``ready`` between contacts, ``break`` (用餐) for the meal break —
  started when the contact running into it ends, sometimes overrun by a few minutes but never
  into the next contact — and, in about four shifts in ten, a ``not_ready`` spell with a
  reason (培训, 会议, 辅导, 系统故障) in an idle gap. About one login in seven is late (2–15
  minutes) and one shift in sixteen ends early, each bounded by the first and last contact
  the agent handled, so the states never contradict the contacts and adherence lands below
  100 %.

The outbound care team is not rostered here (its callbacks belong to no queue). Everything
is written in bulk: ``bulk_create``, and ``yuqi.core.bulk.insert_tuples`` for the states (about
three rows per handled contact, no model instances); the states and rosters go straight to
the workforce tables, since the workforce services write one planner's edit at a time.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from yuqi.core.bulk import insert_tuples
from yuqi.core.clock import day_start
from yuqi.interactions.models import Agent, Interaction
from yuqi.workforce import services, versions
from yuqi.workforce.models import (
    AgentStateRow,
    Roster,
    RosterAssignment,
    RosterStatus,
    ShiftTemplate,
    WorkforceAgent,
)
from yuqi.workforce.rollups import agent_time_rebuild, analyze_agent_time

#: Days of roster and agent states, by scale (two weeks at most, the large centre's last week
#: only, so the demo stays quick: about three state rows per handled contact).
STATE_DAYS = {"small": 7, "medium": 14, "large": 7}
NOT_READY_REASONS = ("培训", "会议", "辅导", "系统故障")
MEAL = "用餐"
STATE_COLUMNS = ("agent_code", "state", "reason", "start", "end")
BATCH = 5000
MEAL_WINDOW = (210, 300)  # the simulation's meal break: 14 to 20 quarter-hours after start


@dataclass(frozen=True)
class WorkforceDemo:
    templates: int
    agents: int
    rosters: int
    assignments: int
    states: int
    first_day: date
    last_day: date
    adherence: float | None
    occupancy: float | None

    def summary(self) -> str:
        def share(value: float | None) -> str:
            return "—" if value is None else f"{value:.1%}"

        return (
            f"  workforce: {self.rosters} published rosters ({self.first_day}–{self.last_day} "
            "and the coming week) "
            f"({self.assignments} shifts of {self.agents} agents on {self.templates} shift "
            f"templates), {self.states:,} agent states; last week's adherence "
            f"{share(self.adherence)}, occupancy {share(self.occupancy)}"
        )


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _template_name(start: datetime, end: datetime) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _templates(shifts: list[Any]) -> dict[tuple[time, int], ShiftTemplate]:
    wanted: dict[tuple[time, int], tuple[str, bool]] = {}
    for shift in shifts:
        start = timezone.localtime(shift.start)
        minutes = int((shift.end - shift.start).total_seconds() // 60)
        key = (start.time(), minutes)
        end = timezone.localtime(shift.end)
        wanted.setdefault(key, (_template_name(start, end), shift.break_start is not None))
    existing = {(t.start, t.minutes): t for t in ShiftTemplate.objects.all()}
    names = set(ShiftTemplate.objects.values_list("name", flat=True))
    new = []
    for (clock, minutes), (name, has_break) in sorted(wanted.items()):
        if (clock, minutes) in existing or name in names:
            continue
        breaks = (
            [{"after": MEAL_WINDOW[0], "latest": MEAL_WINDOW[1], "minutes": 30, "paid": False}]
            if has_break
            else []
        )
        new.append(ShiftTemplate(name=name, start=clock, minutes=minutes, breaks=breaks))
    ShiftTemplate.objects.bulk_create(new)
    return {(t.start, t.minutes): t for t in ShiftTemplate.objects.all()}


def _agents(centre: Any) -> dict[str, WorkforceAgent]:
    linked = dict(
        Agent.objects.filter(user__isnull=False).values_list("code", "user_id")
    )  # 李娜's ACD login, set by the interactions step
    users = get_user_model().objects.in_bulk(list(linked.values()))
    have = set(WorkforceAgent.objects.values_list("acd_code", flat=True))
    WorkforceAgent.objects.bulk_create(
        WorkforceAgent(
            acd_code=seed.code,
            name=seed.name,
            skills=[seed.queue],
            user=users.get(linked.get(seed.code, 0)),
        )
        for seed in centre.agents
        if seed.queue and seed.code not in have
    )
    return {a.acd_code: a for a in WorkforceAgent.objects.all()}


def _busy(contacts: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
    """On contact and wrap segments of one agent, overlapping sessions merged (a chat agent
    holds three at a time: on contact while any session talks, wrap while only wrap-up)."""
    events: list[tuple[int, int, int]] = []
    for answered, ended, wrap in contacts:
        events += [(answered, 0, 1), (ended, 0, -1), (ended, 1, 1), (ended + wrap, 1, -1)]
    events.sort()
    counts = [0, 0]
    found: list[tuple[int, int, str]] = []
    last = None
    for moment, kind, step in events:
        if last is not None and moment > last:
            state = "on_contact" if counts[0] > 0 else "wrap" if counts[1] > 0 else ""
            if state:
                if found and found[-1][2] == state and found[-1][1] == last:
                    found[-1] = (found[-1][0], moment, state)
                else:
                    found.append((last, moment, state))
        counts[kind] += step
        last = moment
    return found


def _shift_states(
    r: random.Random,
    shift: tuple[int, int, int | None, int | None],
    busy: list[tuple[int, int, str]],
) -> list[tuple[int, int, str, str]]:
    """The states of one shift: login to logout, busy segments as given, the meal break, a
    not-ready spell, and ready in between (see the module docstring)."""
    start, end, break_start, break_end = shift
    roll = r.random()
    late = r.randint(120, 900) if roll < 0.15 else r.randint(-180, 60)
    login = start + late
    logout = end + r.randint(0, 240)
    if r.random() < 1 / 16:
        logout = end - r.randint(300, 1200)
    if busy:
        login = min(login, busy[0][0])
        logout = max(logout, busy[-1][1])
    rows: list[tuple[int, int, str, str]] = [(a, b, state, "") for a, b, state in busy]
    if break_start is not None and break_end is not None:
        pause = break_start
        for a, b, _state in busy:
            if a <= pause < b:
                pause = b
        overrun = r.randint(60, 480) if r.random() < 0.35 else r.randint(-60, 30)
        until = break_end + overrun
        later = [a for a, _b, _s in busy if a >= pause]
        if later:
            until = min(until, later[0])
        if until > pause and login <= pause:
            rows.append((pause, min(until, logout), "break", MEAL))
    rows.sort()
    gaps = _gaps(rows, login, logout)
    if r.random() < 0.4:
        long_gaps = [(a, b) for a, b in gaps if b - a >= 600]
        if long_gaps:
            a, b = r.choice(long_gaps)
            length = min(b - a - 60, r.randint(300, 1500))
            rows.append((a + 30, a + 30 + length, "not_ready", r.choice(NOT_READY_REASONS)))
            rows.sort()
            gaps = _gaps(rows, login, logout)
    rows += [(a, b, "ready", "") for a, b in gaps]
    rows.sort()
    return [row for row in rows if row[1] > row[0]]


def _gaps(rows: list[tuple[int, int, str, str]], login: int, logout: int) -> list[tuple[int, int]]:
    gaps, cursor = [], login
    for a, b, _state, _reason in rows:
        if a > cursor:
            gaps.append((cursor, min(a, logout)))
        cursor = max(cursor, b)
    if cursor < logout:
        gaps.append((cursor, logout))
    return [(a, b) for a, b in gaps if b > a]


def _heads_and_coverage(
    items: list[tuple[int, ShiftTemplate, list[int]]], days: int
) -> tuple[dict[str, list[int]], list[list[float]]]:
    heads: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    coverage = [[0.0] * 48 for _ in range(days)]
    for index, template, offsets in items:
        heads[template.name][index] += 1
        begin = template.start.hour * 60 + template.start.minute
        pauses = [(o, o + m) for o, m, _k in services.break_spans(template, offsets)]
        for minute in range(template.minutes):
            if any(a <= minute < b for a, b in pauses):
                continue
            at = begin + minute
            day, slot = index + at // 1440, (at % 1440) // 30
            if day < days:
                coverage[day][slot] += 1 / 30
    return dict(heads), [[round(x, 2) for x in day] for day in coverage]


def load_demo_workforce(centre: Any, *, seed: int) -> WorkforceDemo:
    written, first_day, last_day, templates, agents, queues, assignments = _write(centre, seed=seed)
    # The occupancy the KPI pages show reads the agent-time rollup of these states.
    agent_time_rebuild()
    analyze_agent_time()

    week = max(first_day, last_day - timedelta(days=6))
    report = services.adherence_report(week, last_day)
    return WorkforceDemo(
        templates=templates,
        agents=agents,
        rosters=2 * queues,
        assignments=assignments,
        states=written,
        first_day=first_day,
        last_day=last_day,
        adherence=report.total.adherence,
        occupancy=report.total.occupancy,
    )


@versions.deferred()  # one bump of adherence's data version, after every write
def _write(centre: Any, *, seed: int) -> tuple[int, date, date, int, int, int, int]:
    """Templates, agents, rosters and states; (states written, first day, last day,
    templates, agents, queues, assignments)."""
    days = min(STATE_DAYS.get(centre.scale, 7), centre.days)
    last_day = centre.end_date
    first_day = last_day - timedelta(days=days - 1)
    shifts = [s for s in centre.shifts if s.queue and timezone.localdate(s.start) >= first_day]
    templates = _templates(shifts)
    agents = _agents(centre)
    # A rebuild replaces the demo's own rosters and the states of its window.
    Roster.objects.filter(plan_status="demo").delete()
    AgentStateRow.objects.filter(
        agent_code__in=sorted({s.agent for s in shifts}),
        start__gte=day_start(first_day) - timedelta(days=1),
    ).delete()

    # Rosters: one per queue, published a week before they start.
    published_at = day_start(first_day) - timedelta(days=7)
    by_queue: dict[str, list[Any]] = defaultdict(list)
    for shift in shifts:
        by_queue[shift.queue].append(shift)
    assignments: list[RosterAssignment] = []
    for queue, items in sorted(by_queue.items()):
        placed = []
        for shift in items:
            local = timezone.localtime(shift.start)
            minutes = int((shift.end - shift.start).total_seconds() // 60)
            template = templates[(local.time(), minutes)]
            offsets = (
                [int((shift.break_start - shift.start).total_seconds() // 60)]
                if shift.break_start is not None
                else []
            )
            placed.append((shift, template, offsets, (local.date() - first_day).days))
        heads, coverage = _heads_and_coverage([(i, t, o) for _s, t, o, i in placed], days)
        roster = Roster.objects.create(
            queue_code=queue,
            start=first_day,
            days=days,
            slot_minutes=30,
            requirement=_requirement(queue, first_day, days),
            heads=heads,
            coverage=coverage,
            plan_status="demo",
            roster_status="demo",
            status=RosterStatus.PUBLISHED,
            published_at=published_at,
        )
        assignments += [
            RosterAssignment(
                roster=roster,
                agent=agents[shift.agent],
                day=first_day + timedelta(days=index),
                shift=template,
                break_offsets=offsets,
            )
            for shift, template, offsets, index in placed
        ]
        assignments += _next_week(queue, placed, days, last_day, agents, published_at)
    RosterAssignment.objects.bulk_create(assignments, batch_size=BATCH)

    # Agent states from the contacts each agent handled.
    contacts: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for code, answered, ended, wrap in (
        Interaction.objects.filter(
            agent__isnull=False,
            answered_at__isnull=False,
            ended_at__isnull=False,
            queue__isnull=False,
            answered_at__gte=day_start(first_day),
        )
        .values_list("agent__code", "answered_at", "ended_at", "wrap_seconds")
        .iterator(chunk_size=BATCH)
    ):
        if answered is not None and ended is not None:
            contacts[code].append((_epoch(answered), _epoch(ended), int(wrap or 0)))
    r = random.Random(seed * 7919 + 19)
    per_agent: dict[str, list[tuple[int, int, int | None, int | None]]] = defaultdict(list)
    for shift in shifts:
        per_agent[shift.agent].append(
            (
                _epoch(shift.start),
                _epoch(shift.end),
                None if shift.break_start is None else _epoch(shift.break_start),
                None if shift.break_end is None else _epoch(shift.break_end),
            )
        )
    rows: list[tuple[Any, ...]] = []
    written = 0
    for code in sorted(per_agent):
        handled = sorted(contacts.get(code, []))
        starts = [c[0] for c in handled]
        for shift in sorted(per_agent[code]):
            # the contacts answered within the shift (sorted: a slice, not a scan)
            mine = handled[bisect_left(starts, shift[0]) : bisect_left(starts, shift[1])]
            for a, b, state, reason in _shift_states(r, shift, _busy(mine)):
                rows.append((code, state, reason, _moment(a), _moment(b)))
        if len(rows) >= BATCH:
            written += insert_tuples(AgentStateRow, STATE_COLUMNS, rows)
            rows = []
    written += insert_tuples(AgentStateRow, STATE_COLUMNS, rows)
    versions.bump()  # bulk_create and insert_tuples send no signal
    return (
        written,
        first_day,
        last_day,
        len(templates),
        len(agents),
        len(by_queue),
        len(assignments),
    )


def _next_week(
    queue: str,
    placed: list[tuple[Any, ShiftTemplate, list[int], int]],
    days: int,
    last_day: date,
    agents: dict[str, WorkforceAgent],
    published_at: datetime,
) -> list[RosterAssignment]:
    """The coming week, published too, repeating the last week's shifts weekday by weekday
    (so the agent login sees her schedule; it has no states yet)."""
    start = last_day + timedelta(days=1)
    repeated = [
        (shift, template, offsets, index - (days - 7))
        for shift, template, offsets, index in placed
        if index >= days - 7
    ]
    heads, coverage = _heads_and_coverage([(i, t, o) for _s, t, o, i in repeated], 7)
    roster = Roster.objects.create(
        queue_code=queue,
        start=start,
        days=7,
        slot_minutes=30,
        requirement=_requirement(queue, start, 7),
        heads=heads,
        coverage=coverage,
        plan_status="demo",
        roster_status="demo",
        status=RosterStatus.PUBLISHED,
        published_at=published_at + timedelta(days=7),
    )
    return [
        RosterAssignment(
            roster=roster,
            agent=agents[shift.agent],
            day=start + timedelta(days=index),
            shift=template,
            break_offsets=offsets,
        )
        for shift, template, offsets, index in repeated
    ]


def _requirement(queue: str, first_day: date, days: int) -> list[list[float]]:
    """The queue's staffing requirement over the roster (operations' facade, from the
    contacts); empty when the queue has no staffing figures."""
    try:
        required, _worked = services.requirement_grid(queue, first_day, days)
    except LookupError:
        return []
    return required
