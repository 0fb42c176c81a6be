"""Workforce services: plan + roster from the staffing requirement, publishing, requests,
the Excel export, and adherence from imported agent states.

The arithmetic is :mod:`yuqi.domain.workforce`; this module turns tables into its inputs and
its answers back into rows. The requirement comes from operations' facade (heads on duty per
interval, Erlang C with shrinkage, fractional) and is planned as is.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuqi.calendars import facade as calendars
from yuqi.core.clock import as_of_label, now
from yuqi.core.measures import MeasureReading
from yuqi.domain.cells import append_xlsx_row
from yuqi.domain.workforce.adherence import Activity, AdherenceReport, StateInterval
from yuqi.domain.workforce.adherence import adherence_report as domain_adherence
from yuqi.domain.workforce.errors import WorkforceError
from yuqi.domain.workforce.plan import plan_shifts
from yuqi.domain.workforce.roster import (
    Agent,
    Assignment,
    Violation,
    build_roster,
    check_roster,
    demands_from_plan,
)
from yuqi.domain.workforce.shifts import BreakRule, Requirement
from yuqi.domain.workforce.shifts import ShiftTemplate as DomainShift
from yuqi.operations import facade as operations
from yuqi.workforce import adherence_store, versions
from yuqi.workforce.models import (
    AgentStateRow,
    RequestStatus,
    Roster,
    RosterAssignment,
    RosterJob,
    RosterStatus,
    ShiftTemplate,
    SwapRequest,
    TimeOffRequest,
    WorkforceAgent,
)

MAX_WEEKS = 4
SLOT_MINUTES = 30
PLAN_SECONDS = 20.0
ROSTER_SECONDS = 30.0


class WorkforceProblem(ValueError):
    """A request the planner must change (no templates, no agents, bad dates)."""


def domain_shift(template: ShiftTemplate) -> DomainShift:
    breaks = tuple(
        BreakRule(
            minutes=int(b["minutes"]),
            earliest=int(b["after"]),
            latest=int(b.get("latest") if b.get("latest") is not None else b["after"]),
            paid=bool(b.get("paid", int(b["minutes"]) < 30)),
            name=str(b.get("name", "")),
        )
        for b in template.breaks or []
    )
    return DomainShift(
        name=template.name,
        start=template.start.hour * 60 + template.start.minute,
        minutes=template.minutes,
        breaks=breaks,
        max_heads=template.max_heads,
        skill=template.skill or None,
    )


def active_templates() -> list[ShiftTemplate]:
    return list(ShiftTemplate.objects.filter(active=True))


def domain_agents(start: dt.date, end: dt.date) -> list[Agent]:
    off: dict[int, set[dt.date]] = defaultdict(set)
    for request in TimeOffRequest.objects.filter(
        status=RequestStatus.APPROVED, first_day__lte=end, last_day__gte=start
    ):
        day = max(request.first_day, start)
        while day <= min(request.last_day, end):
            off[request.agent_id].add(day)
            day += dt.timedelta(days=1)
    return [
        Agent(
            id=agent.acd_code,
            skills=frozenset(str(s) for s in agent.skills or []),
            contract_hours=float(agent.contract_hours),
            min_hours=float(agent.min_hours),
            time_off=frozenset(off.get(agent.pk, ())),
        )
        for agent in WorkforceAgent.objects.filter(active=True)
    ]


def requirement_grid(
    queue_code: str, start: dt.date, days: int, *, today: dt.date | None = None
) -> tuple[list[list[float]], list[list[int | None]]]:
    """Heads required on duty and heads who worked, per day and slot (0 / None where none)."""
    slots = 24 * 60 // SLOT_MINUTES
    required = [[0.0] * slots for _ in range(days)]
    worked: list[list[int | None]] = [[None] * slots for _ in range(days)]
    rows = operations.staffing_requirement(
        queue_code=queue_code,
        start=start,
        end=start + dt.timedelta(days=days - 1),
        interval_minutes=SLOT_MINUTES,
        today=today,
    )
    for row in rows:
        i = (row.day - start).days
        required[i][row.slot] = round(row.required_positions, 3)
        worked[i][row.slot] = row.worked_agents
    return required, worked


def day_kinds(start: dt.date, days: int) -> dict[dt.date, str]:
    """Workday, rest day, statutory holiday or 调休 make-up workday of each roster day, from
    the default business calendar (holiday work counts as overtime in the roster rules)."""
    calendar = calendars.calendar_for()
    found = {}
    for i in range(days):
        day = start + dt.timedelta(days=i)
        kind = str(calendar.day_info(day).kind)
        if kind in {"closed", "open"}:  # a local closure or opening: weekday rules apply
            kind = "rest_day" if day.weekday() >= 5 else "workday"
        found[day] = kind
    return found


QUEUE_SEPARATOR = "+"


def queue_codes_of(roster: Roster) -> list[str]:
    """The queues a roster covers: one, or several planned as one skill group."""
    return [code for code in roster.queue_code.split(QUEUE_SEPARATOR) if code]


def group_requirement(
    queue_codes: list[str], start: dt.date, days: int
) -> tuple[list[list[float]], list[list[int | None]]]:
    """The requirement of a skill group: the queues' fractional positions summed per interval
    (before any rounding: the pyworkforce #41 lesson), and the agents who worked."""
    required: list[list[float]] = []
    worked: list[list[int | None]] = []
    for code in queue_codes:
        one, heads = requirement_grid(code, start, days)
        if not required:
            required, worked = one, heads
            continue
        for d in range(days):
            for s, value in enumerate(one[d]):
                required[d][s] = round(required[d][s] + value, 3)
                if heads[d][s] is not None:
                    worked[d][s] = (worked[d][s] or 0) + (heads[d][s] or 0)
    return required, worked


def _check_request(queue_codes: list[str], weeks: int) -> list[ShiftTemplate]:
    if not 1 <= weeks <= MAX_WEEKS:
        raise WorkforceProblem("weeks")
    if not queue_codes:
        raise WorkforceProblem("queues")
    templates = active_templates()
    if not templates:
        raise WorkforceProblem("templates")
    return templates


def _progress(roster: Roster, state: str, message: str = "") -> None:
    roster.job_state, roster.job_message = state, message[:300]
    Roster.objects.filter(pk=roster.pk).update(job_state=state, job_message=message[:300])


def _plan_into(
    roster: Roster,
    templates: list[ShiftTemplate],
    *,
    plan_seconds: float,
    roster_seconds: float,
    progress: bool = False,
) -> Roster:
    """Plan the shifts on the roster's requirement, then place the named agents on them."""
    start, days = roster.start, roster.days
    required, _worked = group_requirement(queue_codes_of(roster), start, days)
    shifts = [domain_shift(t) for t in templates]
    plan = plan_shifts(
        Requirement(SLOT_MINUTES, tuple(tuple(day) for day in required)),
        shifts,
        time_limit=plan_seconds,
    )
    if progress:
        _progress(roster, RosterJob.ROSTERING)
    agents = domain_agents(start, start + dt.timedelta(days=days - 1))
    roster_answer = build_roster(
        agents=agents,
        shifts=shifts,
        demands=demands_from_plan(plan.heads, start),
        start=start,
        days=days,
        day_kinds=day_kinds(start, days),
        time_limit=roster_seconds,
    )
    roster.requirement = required
    roster.heads = {name: list(heads) for name, heads in plan.heads.items()}
    roster.coverage = [list(day) for day in plan.coverage]
    roster.shortfall, roster.excess = plan.shortfall, plan.excess
    roster.plan_status, roster.roster_status = plan.status, roster_answer.status
    roster.unfilled = [
        {"day": u.day.isoformat(), "shift": u.shift, "heads": u.heads, "reasons": u.reasons}
        for u in roster_answer.unfilled
    ]
    roster.conflicts = [{"rule": c.rule, "agent": c.agent} for c in roster_answer.conflicts]
    if roster.job_state:
        roster.job_state, roster.job_message = RosterJob.DONE, ""
    roster.save()
    by_code = {a.acd_code: a for a in WorkforceAgent.objects.filter(active=True)}
    by_name = {t.name: t for t in templates}
    RosterAssignment.objects.bulk_create(
        RosterAssignment(roster=roster, agent=by_code[a.agent], day=a.day, shift=by_name[a.shift])
        for a in roster_answer.assignments
    )
    versions.bump()  # bulk_create sends no signal
    return roster


@transaction.atomic
def create_roster(
    *,
    queue_code: str | list[str],
    start: dt.date,
    weeks: int,
    user: Any,
    plan_seconds: float = PLAN_SECONDS,
    roster_seconds: float = ROSTER_SECONDS,
) -> Roster:
    """Plan and roster at once (the CLI and tests); pages queue :func:`queue_roster`."""
    codes = [queue_code] if isinstance(queue_code, str) else list(queue_code)
    templates = _check_request(codes, weeks)
    roster = Roster(
        queue_code=QUEUE_SEPARATOR.join(codes), start=start, days=weeks * 7, created_by=user
    )
    return _plan_into(roster, templates, plan_seconds=plan_seconds, roster_seconds=roster_seconds)


def queue_roster(*, queue_codes: list[str], start: dt.date, weeks: int, user: Any) -> Roster:
    """A draft roster whose plan is made by a background job (``tasks.plan_roster``); its
    page shows the job's progress until the plan and the roster are there."""
    _check_request(queue_codes, weeks)
    known = {queue.code for queue in operations.staffing_queues()}
    if set(queue_codes) - known:
        raise LookupError("queue")
    with transaction.atomic():
        roster = Roster.objects.create(
            queue_code=QUEUE_SEPARATOR.join(queue_codes),
            start=start,
            days=weeks * 7,
            created_by=user,
            job_state=RosterJob.QUEUED,
        )
        transaction.on_commit(lambda: _enqueue(roster.pk))
    return roster


_PLANNER: list[Any] = []


def register_planner(enqueue: Any) -> None:
    """The job that plans a queued roster (``tasks.plan_roster.enqueue``, set in ``ready()``
    so the services never import the tasks that call them)."""
    _PLANNER[:] = [enqueue]


def _enqueue(roster_id: int) -> None:
    if _PLANNER:
        _PLANNER[0](roster_id)


def fill_roster(
    roster_id: int,
    *,
    plan_seconds: float = PLAN_SECONDS,
    roster_seconds: float = ROSTER_SECONDS,
) -> Roster:
    """The background job: plan and roster a queued roster, recording its progress; a
    problem the planner must fix is recorded on the roster as the job's failure."""
    roster = Roster.objects.get(pk=roster_id)
    if roster.job_state != RosterJob.QUEUED:
        return roster
    _progress(roster, RosterJob.PLANNING)
    try:
        templates = _check_request(queue_codes_of(roster), roster.days // 7)
        with transaction.atomic():
            return _plan_into(
                roster,
                templates,
                plan_seconds=plan_seconds,
                roster_seconds=roster_seconds,
                progress=True,
            )
    except (WorkforceProblem, WorkforceError, LookupError) as exc:
        message = f"{exc.zh} / {exc.en}" if isinstance(exc, WorkforceError) else str(exc)
        _progress(roster, RosterJob.FAILED, message)
        return roster


class RuleBroken(WorkforceProblem):
    """A hand edit that would break a working-time rule: ``violations`` says which."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("rules")
        self.violations = violations


def _check(roster: Roster, assignments: list[Assignment]) -> set[tuple[str, str, dt.date | None]]:
    end = roster.start + dt.timedelta(days=roster.days - 1)
    found = check_roster(
        assignments,
        agents=domain_agents(roster.start, end),
        shifts=[domain_shift(t) for t in ShiftTemplate.objects.all()],
        start=roster.start,
        days=roster.days,
        day_kinds=day_kinds(roster.start, roster.days),
    )
    return {(v.rule, v.agent, v.day) for v in found}


@transaction.atomic
def edit_assignment(
    roster: Roster, *, agent: WorkforceAgent, day: dt.date, shift: ShiftTemplate | None
) -> None:
    """Put ``agent`` on ``shift`` on ``day`` (``None``: a day off); refused with the rules
    it would break (rules already broken before the edit are not held against it)."""
    if not 0 <= (day - roster.start).days < roster.days:
        raise WorkforceProblem("day")
    rows = list(roster.assignments.select_related("agent", "shift"))
    before = [Assignment(r.agent.acd_code, r.day, r.shift.name) for r in rows]
    after = [a for a in before if not (a.agent == agent.acd_code and a.day == day)]
    if shift is not None:
        after.append(Assignment(agent.acd_code, day, shift.name))
    new = _check(roster, after) - _check(roster, before)
    if new:
        raise RuleBroken(
            [Violation(rule, who, when, "") for rule, who, when in sorted(new, key=str)]
        )
    RosterAssignment.objects.filter(roster=roster, agent=agent, day=day).delete()
    if shift is not None:
        RosterAssignment.objects.create(roster=roster, agent=agent, day=day, shift=shift)


def publish(roster: Roster) -> None:
    roster.status = RosterStatus.PUBLISHED
    roster.published_at = now()
    roster.save(update_fields=["status", "published_at"])


def shift_span(day: dt.date, template: ShiftTemplate) -> tuple[dt.datetime, dt.datetime]:
    begin = timezone.make_aware(dt.datetime.combine(day, template.start))
    return begin, begin + dt.timedelta(minutes=template.minutes)


def rostered_per_slot(roster: Roster) -> list[list[int]]:
    """Heads rostered (named) on duty per day and slot, breaks not taken off."""
    slots = 24 * 60 // roster.slot_minutes
    grid = [[0] * slots for _ in range(roster.days)]
    for item in roster.assignments.select_related("shift"):
        first = (item.day - roster.start).days * slots
        begin = item.shift.start.hour * 60 + item.shift.start.minute
        for minute in range(begin, begin + item.shift.minutes, roster.slot_minutes):
            index = first + minute // roster.slot_minutes
            if 0 <= index < roster.days * slots:
                grid[index // slots][index % slots] += 1
    return grid


def own_schedule(user: Any, *, start: dt.date, days: int = 28) -> list[RosterAssignment]:
    end = start + dt.timedelta(days=days - 1)
    return list(
        RosterAssignment.objects.filter(
            agent__user=user,
            roster__status=RosterStatus.PUBLISHED,
            day__range=(start, end),
        ).select_related("shift", "roster")
    )


def roster_workbook(roster: Roster) -> bytes:
    """The roster as an Excel sheet: one row per agent, one column per day (cells inert)."""
    from openpyxl import Workbook

    days = [roster.start + dt.timedelta(days=i) for i in range(roster.days)]
    grid: dict[str, dict[dt.date, str]] = defaultdict(dict)
    for item in roster.assignments.select_related("agent", "shift"):
        grid[item.agent.acd_code][item.day] = item.shift.name
    book = Workbook()
    sheet = book.active
    sheet.title = "roster"
    append_xlsx_row(sheet, ["agent", *[d.isoformat() for d in days]])
    for code in sorted(grid):
        append_xlsx_row(sheet, [code, *[grid[code].get(d, "") for d in days]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check_swap(assignment: RosterAssignment, colleague: WorkforceAgent) -> None:
    """Refuse (``RuleBroken``, naming the rules) a swap that would make the colleague break a
    working-time rule they keep today: daily hours, rest between shifts, rest days, days in a
    row, monthly overtime, skills, approved time off."""
    roster = assignment.roster
    rows = list(roster.assignments.select_related("agent", "shift"))
    before = [Assignment(r.agent.acd_code, r.day, r.shift.name) for r in rows]
    after = [
        Assignment(colleague.acd_code, r.day, r.shift.name)
        if r.pk == assignment.pk
        else Assignment(r.agent.acd_code, r.day, r.shift.name)
        for r in rows
    ]
    new = {v for v in _check(roster, after) - _check(roster, before) if v[1] == colleague.acd_code}
    if new:
        raise RuleBroken(
            [Violation(rule, who, when, "") for rule, who, when in sorted(new, key=str)]
        )


def decide(request: TimeOffRequest | SwapRequest, *, approve: bool, user: Any) -> None:
    """Approve or reject a pending request; an approved swap moves the shift."""
    if request.status != RequestStatus.PENDING:
        raise WorkforceProblem("decided")
    with transaction.atomic():
        if approve and isinstance(request, SwapRequest):
            assignment = request.assignment
            clash = RosterAssignment.objects.filter(
                roster=assignment.roster, agent=request.colleague, day=assignment.day
            ).exists()
            if clash:
                raise WorkforceProblem("busy")
            _check_swap(assignment, request.colleague)
            assignment.agent = request.colleague
            assignment.save(update_fields=["agent"])
        request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        request.decided_by = user
        request.decided_at = now()
        request.save(update_fields=["status", "decided_by", "decided_at"])


def pending_requests() -> tuple[list[TimeOffRequest], list[SwapRequest]]:
    return (
        list(
            TimeOffRequest.objects.filter(status=RequestStatus.PENDING).select_related(
                "agent__user"
            )
        ),
        list(
            SwapRequest.objects.filter(status=RequestStatus.PENDING).select_related(
                "assignment__agent", "assignment__shift", "colleague"
            )
        ),
    )


# ------------------------------------------------------------------- adherence from states


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    finish = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    return begin, finish


def break_spans(
    template: ShiftTemplate, offsets: list[int] | None = None
) -> list[tuple[int, int, str]]:
    """``(minutes after the shift's start, length, activity)`` of each break of a shift: at
    the assignment's own offsets when the planner placed them, else at the earliest offset of
    each window. A break of 30 minutes or more, or unpaid, is a ``lunch``, else a ``break``."""
    spans = []
    for index, rule in enumerate(template.breaks or []):
        try:
            offset = int((offsets or [])[index])
        except (IndexError, TypeError, ValueError):
            offset = int(rule["after"])
        minutes = int(rule["minutes"])
        paid = bool(rule.get("paid", minutes < 30))
        kind = "lunch" if minutes >= 30 or not paid else "break"
        if offset >= 0 and offset + minutes <= template.minutes:
            spans.append((offset, minutes, kind))
    return sorted(spans)


def assignment_activities(
    code: str, day: dt.date, template: ShiftTemplate, offsets: list[int] | None = None
) -> list[Activity]:
    """One shift as scheduled activities: ``work`` around its breaks (``break``/``lunch``)."""
    begin, finish = shift_span(day, template)
    found, cursor = [], begin
    for offset, minutes, kind in break_spans(template, offsets):
        pause = begin + dt.timedelta(minutes=offset)
        if pause < cursor:
            continue
        if pause > cursor:
            found.append(Activity(code, "work", cursor, pause))
        cursor = pause + dt.timedelta(minutes=minutes)
        found.append(Activity(code, kind, pause, cursor))
    if cursor < finish:
        found.append(Activity(code, "work", cursor, finish))
    return found


def scheduled_activities(start: dt.date, end: dt.date) -> list[Activity]:
    """Published shifts as activities: work, and each break where it was placed (adherence
    then asks for the break state during a scheduled break and for ready, on contact or wrap
    around it). Only what was due by now: a shift still to come is not counted."""
    found = []
    moment = now()
    for item in RosterAssignment.objects.filter(
        roster__status=RosterStatus.PUBLISHED, day__range=(start, end)
    ).select_related("agent", "shift"):
        for activity in assignment_activities(
            item.agent.acd_code, item.day, item.shift, item.break_offsets
        ):
            if activity.start >= moment:  # not yet due: nothing to adhere to
                continue
            if activity.end > moment:
                activity = Activity(activity.agent, activity.activity, activity.start, moment)
            found.append(activity)
    return found


def state_intervals(start: dt.date, end: dt.date) -> Iterable[StateInterval]:
    begin, finish = _bounds(start, end)
    rows = AgentStateRow.objects.filter(Q(start__lt=finish) & Q(end__gt=begin)).values_list(
        "agent_code", "state", "start", "end", "reason", "pk"
    )
    for agent_code, state, start_at, end_at, reason, pk in rows:
        yield StateInterval(agent_code, state, start_at, end_at, reason, pk)


def adherence_reading(start: dt.date, end: dt.date) -> tuple[AdherenceReport, dt.datetime | None]:
    """Adherence of all agents over ``start``..``end`` and when it was computed: a period
    whose shifts may still be running is stored and refreshed by the worker
    (``yuqi.workforce.adherence_store``: the moment it was computed); a finished period is
    cached under the data version (``yuqi.workforce.versions``: ``None``, as of now)."""

    def compute() -> AdherenceReport:
        return fresh_adherence_report(start, end)

    if adherence_store.live(end, now()):
        return adherence_store.stored_report(start, end, compute)
    return versions.cached_report(start, end, compute), None


def adherence_summary(
    start: dt.date, end: dt.date
) -> tuple[adherence_store.AdherenceSummary, dt.datetime | None]:
    """The total of all agents over ``start``..``end`` and how many agents, and when it was
    computed: the summary of :func:`adherence_reading`'s report, read without the report (the
    store's summary column, or the summary cached beside the report under the same version)."""

    def compute() -> AdherenceReport:
        return fresh_adherence_report(start, end)

    if adherence_store.live(end, now()):
        return adherence_store.stored_summary(start, end, compute)

    def summarise() -> adherence_store.AdherenceSummary:
        return adherence_store.summary_of(versions.cached_report(start, end, compute))

    return versions.cached_summary(start, end, summarise), None


def adherence_refresh(*, today: dt.date | None = None) -> int:
    """The worker's ``workforce-adherence`` job: the pages' default periods still running,
    computed again and stored (:func:`yuqi.workforce.adherence_store.adherence_refresh`)."""
    return adherence_store.adherence_refresh(fresh_adherence_report, today=today)


def adherence_report(start: dt.date, end: dt.date) -> AdherenceReport:
    """Adherence of all agents over ``start``..``end`` (:func:`adherence_reading`)."""
    return adherence_reading(start, end)[0]


def fresh_adherence_report(start: dt.date, end: dt.date) -> AdherenceReport:
    """The report computed from the tables, without the cache."""
    return domain_adherence(scheduled_activities(start, end), state_intervals(start, end))


def roster_adherence_measure(start: dt.date, end: dt.date) -> MeasureReading:
    """Scorecard measure ``roster_adherence``: adherence of all agents over the period."""
    from django.utils.translation import gettext as _

    summary, as_of = adherence_summary(start, end)
    value = summary.total.adherence
    if value is None:
        return MeasureReading(
            None, _("No published roster shift or no agent state in this period.")
        )
    note = _("Figures as of %(at)s") % {"at": as_of_label(as_of)} if as_of else ""
    return MeasureReading(
        value, n=summary.agents, link="/workforce/adherence/", note=note, as_of=as_of
    )


def rostered_on(queue_code: str, day: dt.date, slot_minutes: int = SLOT_MINUTES) -> list[int]:
    """Heads on published rosters of ``queue_code`` on duty per slot of ``day`` (a shift that
    started the day before and runs past midnight counts too; breaks are not taken off)."""
    slots = 24 * 60 // slot_minutes
    heads = [0] * slots
    for item in RosterAssignment.objects.filter(
        roster__status=RosterStatus.PUBLISHED,
        roster__queue_code=queue_code,
        day__range=(day - dt.timedelta(days=1), day),
    ).select_related("shift"):
        offset = (item.day - day).days * 24 * 60  # -1440 for yesterday's shift
        begin = offset + item.shift.start.hour * 60 + item.shift.start.minute
        for slot in range(slots):
            start = slot * slot_minutes
            if begin < start + slot_minutes and start < begin + item.shift.minutes:
                heads[slot] += 1
    return heads


@dataclass(frozen=True, slots=True)
class IntradayRow:
    time: str
    past: bool
    arrived: int | None
    expected_calls: float
    required_positions: int | None
    rostered: int
    short: int  # scheduled heads missing for the service level (0: covered)


def intraday_rows(queue_code: str, moment: dt.datetime) -> tuple[operations.Intraday, list]:
    """The re-forecast day of the queue against the heads rostered on it."""
    day = operations.intraday(queue_code=queue_code, moment=moment, interval_minutes=SLOT_MINUTES)
    rostered = rostered_on(queue_code, day.day)
    rows = []
    for item in day.slots:
        minutes = item.slot * SLOT_MINUTES
        need = item.required_positions
        rows.append(
            IntradayRow(
                time=f"{minutes // 60:02d}:{minutes % 60:02d}",
                past=item.past,
                arrived=item.arrived,
                expected_calls=item.expected_calls,
                required_positions=need,
                rostered=rostered[item.slot],
                short=max(0, (need or 0) - rostered[item.slot]),
            )
        )
    return day, rows


def agent_occupancy_measure(start: dt.date, end: dt.date) -> MeasureReading:
    """Measure ``agent_occupancy``: (on contact + wrap) ÷ (ready + on contact + wrap) of all
    imported agent states in the period (no roster needed)."""
    from django.utils.translation import gettext as _

    report = domain_adherence([], state_intervals(start, end))
    value = report.total.occupancy
    if value is None:
        return MeasureReading(None, _("No agent was available in this period."))
    return MeasureReading(value, n=len(report.agents), link="/workforce/adherence/")
