"""Staffing plan and what-if from the interactions: selectors and services.

Everything here is per queue and per planning interval of the local day (15, 30 or 60
minutes, in the current time zone).

History (``staffing_history``)
    Offered contacts per interval are the *inbound* interactions of the queue that
    **arrived** in it (outbound callbacks have no queue and are excluded anyway). Answered
    ones are those with an answer time that were not abandoned; their handle time is talk +
    wrap, so AHT = Σ(talk + wrap) / answered. Everything is grouped and counted by the
    database (one ``GROUP BY day, interval`` query; SQLite and PostgreSQL), never row by row.
    The forecast's training window (weeks of history, offered calls and AHT only) sums the
    KPI rollups instead when they are built (``rollup_history``: the same contacts, a few
    thousand rows instead of every contact).

Agents who worked (a proxy)
    The interactions do not say who was logged in, so the agents who worked in an interval
    are counted as the **distinct agents who answered a contact of the queue in that
    interval** (by answer time). An agent who was on shift but idle for the whole interval,
    or busy with one long contact answered earlier, is missed, so the figure is a lower
    bound: in quiet intervals it understates the staffing (shown as under-staffed when the
    requirement is a few agents and the calls were few). An agent serving two queues counts
    in both. When the KPI rollups are built they are counted from the rollups' answering
    agents per 15-minute slot (``rollup_agents``), else from the contacts.

Required agents (``staffing_plan``)
    ``yuqi.domain.erlang.required_agents`` (all intervals of a plan at once, through its
    vectorised ``required_agents_batch``) with Erlang C for the queue's service-level target
    (``sl_target`` within ``sl_seconds``), a maximum occupancy (default 85 %) and shrinkage
    (default 30 %: breaks, meetings, training, absence) for the scheduled positions,
    ``⌈agents / (1 − shrinkage)⌉`` (the fractional figure beside it). Erlang C
    (callers never hang up) is the usual, conservative planning model. Past days use the
    calls and AHT that actually came; from today on, the forecast
    (``yuqi.domain.forecast``, weekday × interval profile with a linear trend, fitted on up
    to ``history_weeks`` weeks before today) and the mean AHT of the same interval of the
    day in that history, all weekdays pooled so that it rests on enough calls (the queue's
    overall AHT where an interval has none; a past interval whose calls were all abandoned
    uses the same fallback).
    An interval is **under-staffed** when fewer agents worked than required, **over-staffed**
    when more than ``required + over_margin`` worked (default margin 1 agent), else on plan.

What-if (``staffing_whatif``)
    For one queue and day: the intervals' calls, AHT and agents (those who worked on a past
    day, the requirement on a forecast day) are changed by the levers — agents ± n per
    interval, AHT ± %, a share of calls served by IVR self-service (they never reach an
    agent), arrival volume ± % — and evaluated before and after with Erlang A
    (``yuqi.domain.erlang.evaluate``): service level, ASA and abandon rate per interval, and
    for the day (service level and abandon rate weighted by offered calls, ASA by answered
    calls). Patience is estimated from the queue's own calls over the ``history_weeks``
    weeks up to the day: with exponential patience the maximum-likelihood estimate of the
    mean patience is total time spent waiting (by every caller, answered or not) divided by
    the number of abandons, since an answered caller's wait is a censored patience (Brown et
    al. 2005, "Statistical analysis of a telephone call center", JASA 100:36-50; Mandelbaum
    & Zeltyn 2007: P(Ab) = θ·E[W]). It is kept within 10 s … 1 h, and is 1 h when nobody
    abandoned. An interval with calls and no agent answers nothing: everyone abandons.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, ExtractHour, ExtractMinute, TruncDate
from django.utils import timezone

from yuqi.core.clock import day_start, now
from yuqi.domain import erlang, forecast
from yuqi.interactions.choices import Direction
from yuqi.interactions.models import ContactAgentSlot, ContactRollup, Interaction, Queue
from yuqi.operations.kpi.selectors import QUEUES_READ, rollup_read_state

INTERVALS = (15, 30, 60)
DEFAULT_INTERVAL = 30
DEFAULT_SHRINKAGE = 0.30
DEFAULT_MAX_OCCUPANCY = 0.85
DEFAULT_OVER_MARGIN = 1
DEFAULT_HISTORY_WEEKS = 8
MAX_PLAN_DAYS = 62
PATIENCE_FLOOR = 10.0
PATIENCE_CEILING = 3600.0
MIN_CALLS = 1e-6

ACTUAL = "actual"
FORECAST = "forecast"
UNDER = "under"
OVER = "over"
ON_PLAN = "ok"


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class IntervalHistory:
    """What happened on a queue in one interval of one local day."""

    day: date
    slot: int
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    handle_seconds: int = 0
    wait_seconds: int = 0
    agents: int = 0

    @property
    def aht(self) -> float | None:
        return self.handle_seconds / self.answered if self.answered else None


@dataclass(frozen=True, slots=True)
class QueueHistory:
    """Per-interval history of one queue over ``start``…``end`` (local days, inclusive)."""

    queue_code: str
    start: date
    end: date
    interval_minutes: int
    intervals: dict[tuple[date, int], IntervalHistory] = field(default_factory=dict)

    @property
    def slots_per_day(self) -> int:
        return 24 * 60 // self.interval_minutes

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def get(self, day: date, slot: int) -> IntervalHistory:
        return self.intervals.get((day, slot)) or IntervalHistory(day, slot)

    def offered_matrix(self) -> np.ndarray:
        """Offered contacts as a days × intervals matrix (zeros where nothing came)."""
        matrix = np.zeros((max(0, self.days), self.slots_per_day))
        for (day, slot), row in self.intervals.items():
            matrix[(day - self.start).days, slot] = row.offered
        return matrix

    def first_active_day(self) -> date | None:
        days = [day for (day, _slot), row in self.intervals.items() if row.offered]
        return min(days) if days else None

    def totals(self) -> IntervalHistory:
        rows = self.intervals.values()
        return IntervalHistory(
            self.start,
            0,
            offered=sum(r.offered for r in rows),
            answered=sum(r.answered for r in rows),
            abandoned=sum(r.abandoned for r in rows),
            handle_seconds=sum(r.handle_seconds for r in rows),
            wait_seconds=sum(r.wait_seconds for r in rows),
        )


def check_interval(interval_minutes: int) -> int:
    if interval_minutes not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS} minutes, got {interval_minutes}")
    return interval_minutes


def _slot_of(field_name: str, interval_minutes: int, tz: Any) -> Any:
    """(local hour × 60 + local minute) ÷ interval, integer division in the database."""
    minutes = Cast(ExtractHour(field_name, tzinfo=tz), IntegerField()) * Value(60) + Cast(
        ExtractMinute(field_name, tzinfo=tz), IntegerField()
    )
    return Cast(minutes, IntegerField()) / Value(interval_minutes)


def _queue_contacts(queue: Queue) -> QuerySet[Interaction]:
    return Interaction.objects.filter(queue=queue, direction=Direction.INBOUND).order_by()


def staffing_history(
    *, queue: Queue, start: date, end: date, interval_minutes: int = DEFAULT_INTERVAL
) -> QueueHistory:
    """Offered, answered, abandoned, handle and wait seconds, and agents who worked, per
    local day and interval of ``queue`` from ``start`` to ``end`` inclusive (two grouped
    queries; see the module docstring for the definitions)."""
    check_interval(interval_minutes)
    tz = timezone.get_current_timezone()
    since, until = day_start(start), day_start(end + timedelta(days=1))
    answered = Q(answered_at__isnull=False, abandoned=False)
    arrivals = (
        _queue_contacts(queue)
        .filter(arrived_at__gte=since, arrived_at__lt=until)
        .annotate(
            day=TruncDate("arrived_at", tzinfo=tz),
            slot=_slot_of("arrived_at", interval_minutes, tz),
        )
        .values("day", "slot")
        .annotate(
            n_offered=Count("id"),
            n_answered=Count("id", filter=answered),
            n_abandoned=Count("id", filter=Q(abandoned=True)),
            handle_sum=Sum(
                F("talk_seconds") + F("hold_seconds") + F("wrap_seconds"), filter=answered
            ),
            wait_sum=Sum("wait_seconds"),
        )
    )
    merged: dict[tuple[date, int], dict[str, int]] = defaultdict(dict)
    for row in arrivals:
        merged[(row["day"], int(row["slot"]))].update(
            offered=row["n_offered"],
            answered=row["n_answered"],
            abandoned=row["n_abandoned"],
            handle_seconds=row["handle_sum"] or 0,
            wait_seconds=row["wait_sum"] or 0,
        )
    for key, n in _agents_by_interval(queue, since, until, interval_minutes).items():
        merged[key]["agents"] = n
    intervals = {
        key: IntervalHistory(key[0], key[1], **values)
        for key, values in merged.items()
        if start <= key[0] <= end
    }
    return QueueHistory(queue.code, start, end, interval_minutes, intervals)


def _agents_by_interval(
    queue: Queue, since: datetime, until: datetime, interval_minutes: int
) -> dict[tuple[date, int], int]:
    """The agents who worked per local day and interval (module docstring: the distinct
    agents who answered a contact of the queue in it, by answer time), one grouped query."""
    tz = timezone.get_current_timezone()
    workers = (
        _queue_contacts(queue)
        .filter(
            answered_at__isnull=False,
            abandoned=False,
            answered_at__gte=since,
            answered_at__lt=until,
            agent__isnull=False,
        )
        .annotate(
            day=TruncDate("answered_at", tzinfo=tz),
            slot=_slot_of("answered_at", interval_minutes, tz),
        )
        .values("day", "slot")
        .annotate(n_agents=Count("agent", distinct=True))
    )
    return {(row["day"], int(row["slot"])): row["n_agents"] for row in workers}


def _past_history(
    queue: Queue,
    start: date,
    end: date,
    interval_minutes: int,
    training: QueueHistory,
    training_from_rollups: bool,
) -> QueueHistory:
    """The plan's actual days: the calls, answers and handle time from the KPI rollups when
    they are built (the same contacts and sums as :func:`staffing_history`; the forecast's
    training window already holds them when it covers the days, as it does for the default
    plan), the agents who worked from the rollups' answering agents (``rollup_agents``).
    The wait of every caller, which the rollups do not hold either, stays 0: the plan does
    not read it. Without the rollups: :func:`staffing_history`."""
    if training_from_rollups and training.start <= start and end <= training.end:
        arrivals = {k: v for k, v in training.intervals.items() if start <= k[0] <= end}
    else:
        found = rollup_history(queue=queue, start=start, end=end, interval_minutes=interval_minutes)
        if found is None:
            return staffing_history(
                queue=queue, start=start, end=end, interval_minutes=interval_minutes
            )
        arrivals = dict(found.intervals)
    since, until = day_start(start), day_start(end + timedelta(days=1))
    workers = rollup_agents(queue=queue, start=start, end=end, interval_minutes=interval_minutes)
    if workers is None:
        workers = _agents_by_interval(queue, since, until, interval_minutes)
    for key, n in workers.items():
        if start <= key[0] <= end:
            seen = arrivals.get(key)
            arrivals[key] = (
                IntervalHistory(key[0], key[1], agents=n)
                if seen is None
                else replace(seen, agents=n)
            )
    return QueueHistory(queue.code, start, end, interval_minutes, arrivals)


def queue_patience(*, queue: Queue, start: date, end: date) -> float:
    """Mean caller patience (s): Σ wait of every offered contact ÷ abandons (exponential
    patience, censored by service), kept within 10 s … 1 h; 1 h when nobody abandoned."""
    totals = (
        _queue_contacts(queue)
        .filter(arrived_at__gte=day_start(start), arrived_at__lt=day_start(end + timedelta(1)))
        .aggregate(wait_sum=Sum("wait_seconds"), n_abandoned=Count("id", filter=Q(abandoned=True)))
    )
    if not totals["n_abandoned"]:
        return PATIENCE_CEILING
    estimate = (totals["wait_sum"] or 0) / totals["n_abandoned"]
    return min(PATIENCE_CEILING, max(PATIENCE_FLOOR, estimate))


type PlannedQueue = Queue
"""A queue as the plan takes it (views and the API get them from the functions below)."""


def staffing_queues() -> list[Queue]:
    """Queues to plan, in code order."""
    return QUEUES_READ.objects()


def staffing_queue(code: str) -> Queue | None:
    """The queue of this code, or ``None``."""
    return Queue.objects.filter(code=code).first()


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One interval of the plan. ``source`` is ``actual`` (a past day: calls that came, agents
    who worked) or ``forecast``; ``status`` is ``under``/``over``/``ok`` on past days and
    ``""`` on forecast days (nobody has worked them yet)."""

    day: date
    slot: int
    starts_at: datetime
    source: str
    calls: float
    aht: float | None
    required: int | None
    required_fractional: float | None
    positions: int | None
    actual_agents: int | None
    status: str
    positions_fractional: float | None = None

    @property
    def gap(self) -> int | None:
        """Agents who worked − agents required (negative: short)."""
        if self.actual_agents is None or self.required is None:
            return None
        return self.actual_agents - self.required

    @property
    def time_label(self) -> str:
        return self.starts_at.strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    queue_code: str
    queue_name: str
    start: date
    end: date
    interval_minutes: int
    target_service_level: float
    target_seconds: int
    shrinkage: float
    max_occupancy: float
    over_margin: int
    forecast_method: str
    rows: tuple[PlanRow, ...]
    backtest: forecast.Backtest | None

    @property
    def under_count(self) -> int:
        return sum(1 for row in self.rows if row.status == UNDER)

    @property
    def over_count(self) -> int:
        return sum(1 for row in self.rows if row.status == OVER)

    @property
    def actual_count(self) -> int:
        return sum(1 for row in self.rows if row.source == ACTUAL)


def _slot_start(day: date, slot: int, interval_minutes: int) -> datetime:
    minutes = slot * interval_minutes
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _target_share(queue: Queue) -> float:
    """The queue's SL target as a share strictly inside (0, 1), as Erlang needs."""
    return min(0.999, max(0.01, float(queue.sl_target)))


def _requirement(
    calls: float,
    aht: float | None,
    *,
    interval_minutes: int,
    target: float,
    seconds: int,
    shrinkage: float,
    max_occupancy: float,
) -> erlang.StaffingResult | None:
    if calls <= 0:
        return erlang.required_agents(
            calls=0,
            interval_minutes=interval_minutes,
            aht_seconds=aht or 1.0,
            target_service_level=target,
            target_seconds=seconds,
            shrinkage=shrinkage,
        )
    if aht is None or aht <= 0:
        return None
    return erlang.required_agents(
        calls=calls,
        interval_minutes=interval_minutes,
        aht_seconds=aht,
        target_service_level=target,
        target_seconds=seconds,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )


def requirements(
    problems: Sequence[tuple[float, float | None]],
    *,
    interval_minutes: int,
    target: float,
    seconds: int,
    shrinkage: float,
    max_occupancy: float,
) -> list[erlang.StaffingResult | None]:
    """:func:`_requirement` for many (calls, AHT) intervals: the busy ones solved together by
    ``erlang.required_agents_batch`` (identical whole-number answers, tested), the rest (no
    call, no AHT) one by one as before."""
    out: list[erlang.StaffingResult | None] = [None] * len(problems)
    busy = [i for i, (calls, aht) in enumerate(problems) if calls > 0 and aht and aht > 0]
    if busy:
        batch = erlang.required_agents_batch(
            calls=np.array([problems[i][0] for i in busy], dtype=float),
            interval_minutes=interval_minutes,
            aht_seconds=np.array([problems[i][1] for i in busy], dtype=float),
            target_service_level=target,
            target_seconds=seconds,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
        )
        for position, index in enumerate(busy):
            out[index] = batch.result(position)
    chosen = set(busy)
    for index, (calls, aht) in enumerate(problems):
        if index not in chosen:
            out[index] = _requirement(
                calls,
                aht,
                interval_minutes=interval_minutes,
                target=target,
                seconds=seconds,
                shrinkage=shrinkage,
                max_occupancy=max_occupancy,
            )
    return out


def _aht_profile(history: QueueHistory) -> tuple[dict[int, float], float | None]:
    """Mean AHT per interval of the day over the history (weekdays pooled), and overall."""
    handle: dict[int, int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    for (_day, slot), row in history.intervals.items():
        handle[slot] += row.handle_seconds
        answered[slot] += row.answered
    profile = {slot: handle[slot] / n for slot, n in answered.items() if n}
    return profile, history.totals().aht


def rollup_history(
    *, queue: Queue, start: date, end: date, interval_minutes: int = DEFAULT_INTERVAL
) -> QueueHistory | None:
    """Offered, answered, abandoned and handle seconds per local day and interval of
    ``queue`` from the KPI rollups (``ContactRollup``: the same inbound queued contacts, by
    their derived local day and 15-minute slot), one small grouped query; ``None`` when the
    rollups are not built or the current time zone is not the one they were cut in.

    The rollups hold neither the wait of every caller nor who answered, so ``wait_seconds``
    and ``agents`` stay 0: only the forecast's training window reads this (offered calls
    and AHT); the actual days read the agents who worked from ``rollup_agents``.
    """
    check_interval(interval_minutes)
    if timezone.get_current_timezone_name() != timezone.get_default_timezone_name():
        return None
    if rollup_read_state()[0] is None:
        return None
    per = interval_minutes // 15
    rows = (
        ContactRollup.objects.filter(queue=queue, day__gte=start, day__lte=end)
        .annotate(k_slot=F("slot") / Value(per))
        .values("day", "k_slot")
        .annotate(
            n_offered=Sum("offered"),
            n_answered=Sum("answered"),
            n_abandoned=Sum("abandoned"),
            handle_sum=Sum(F("talk_seconds") + F("hold_seconds") + F("wrap_seconds")),
        )
        .order_by()
    )
    intervals = {
        (row["day"], int(row["k_slot"])): IntervalHistory(
            row["day"],
            int(row["k_slot"]),
            offered=row["n_offered"] or 0,
            answered=row["n_answered"] or 0,
            abandoned=row["n_abandoned"] or 0,
            handle_seconds=row["handle_sum"] or 0,
        )
        for row in rows
    }
    return QueueHistory(queue.code, start, end, interval_minutes, intervals)


def rollup_agents(
    *, queue: Queue, start: date, end: date, interval_minutes: int = DEFAULT_INTERVAL
) -> dict[tuple[date, int], int] | None:
    """The agents who worked per local day and interval of ``queue`` from ``start`` to
    ``end`` (the same count as :func:`staffing_history`'s: the distinct agents who answered
    a contact of the queue in the interval, by answer time) from the rollups' answering agents
    per 15-minute slot (``ContactAgentSlot``), one small grouped query; ``None`` under the
    same conditions as :func:`rollup_history`."""
    check_interval(interval_minutes)
    if timezone.get_current_timezone_name() != timezone.get_default_timezone_name():
        return None
    if rollup_read_state()[0] is None:
        return None
    rows = (
        ContactAgentSlot.objects.filter(queue=queue, answered_day__gte=start, answered_day__lte=end)
        .annotate(k_slot=F("answered_slot") / Value(interval_minutes // 15))
        .values("answered_day", "k_slot")
        .annotate(n_agents=Count("agent_id", distinct=True))
        .order_by()
    )
    return {(row["answered_day"], int(row["k_slot"])): row["n_agents"] for row in rows}


def _history_window(
    queue: Queue, today: date, weeks: int, interval: int
) -> tuple[QueueHistory, bool]:
    """The forecast's training window: the ``weeks`` weeks before ``today``, from the KPI
    rollups when they are built (they are complete up to their last refresh, and the window
    ends yesterday), else from the contacts; and whether it came from the rollups."""
    start, end = today - timedelta(days=weeks * 7), today - timedelta(days=1)
    found = rollup_history(queue=queue, start=start, end=end, interval_minutes=interval)
    if found is not None:
        return found, True
    return staffing_history(queue=queue, start=start, end=end, interval_minutes=interval), False


def _forecast_from(history: QueueHistory, until: date) -> tuple[forecast.Forecast | None, str]:
    """Forecast from the queue's first active day in the history to ``until``."""
    first = history.first_active_day()
    if first is None or until <= history.end:
        return None, forecast.PROFILE_TREND
    matrix = history.offered_matrix()[(first - history.start).days :]
    result = forecast.forecast_arrivals(
        matrix, first_day=first, horizon_days=(until - history.end).days, weeks=None
    )
    return result, result.method


def _backtest(history: QueueHistory) -> forecast.Backtest | None:
    first = history.first_active_day()
    if first is None:
        return None
    matrix = history.offered_matrix()[(first - history.start).days :]
    if matrix.shape[0] < 14:
        return None
    return forecast.backtest(matrix, first_day=first, holdout_weeks=1, weeks=None)


def staffing_plan(
    *,
    queue: Queue,
    start: date,
    end: date,
    interval_minutes: int = DEFAULT_INTERVAL,
    shrinkage: float = DEFAULT_SHRINKAGE,
    max_occupancy: float = DEFAULT_MAX_OCCUPANCY,
    over_margin: int = DEFAULT_OVER_MARGIN,
    history_weeks: int = DEFAULT_HISTORY_WEEKS,
    today: date | None = None,
) -> StaffingPlan:
    """Required vs worked agents per interval of ``queue`` from ``start`` to ``end``.

    Days before ``today`` (default: the local date now) are actual, the others forecast;
    intervals with no call (actual or forecast) and nobody working are left out. Raises
    ``ValueError`` for a bad range or interval and ``yuqi.domain.erlang.ErlangError`` for
    out-of-range shrinkage or occupancy.
    """
    check_interval(interval_minutes)
    if end < start:
        raise ValueError("the end date is before the start date")
    if (end - start).days + 1 > MAX_PLAN_DAYS:
        raise ValueError(f"a plan covers at most {MAX_PLAN_DAYS} days")
    today = today or timezone.localdate(now())
    target, seconds = _target_share(queue), int(queue.sl_seconds)
    training, from_rollups = _history_window(queue, today, history_weeks, interval_minutes)
    past = (
        _past_history(
            queue,
            start,
            min(end, today - timedelta(days=1)),
            interval_minutes,
            training,
            from_rollups,
        )
        if start < today
        else None
    )
    predicted, method = _forecast_from(training, end)
    aht_by_slot, overall_aht = _aht_profile(training)
    if overall_aht is None and past is not None:
        overall_aht = past.totals().aht

    # first the intervals to plan, then every requirement in one vectorised batch
    wanted: list[tuple[date, int, str, float, float | None, int | None]] = []
    slots = 24 * 60 // interval_minutes
    day = start
    while day <= end:
        for slot in range(slots):
            if day < today and past is not None:
                seen = past.get(day, slot)
                if not seen.offered and not seen.agents:
                    continue
                aht = seen.aht or aht_by_slot.get(slot) or overall_aht
                wanted.append((day, slot, ACTUAL, float(seen.offered), aht, seen.agents))
            else:
                calls = predicted.day(day)[slot] if predicted is not None else 0.0
                if calls < 0.05:
                    continue
                aht = aht_by_slot.get(slot) or overall_aht
                wanted.append((day, slot, FORECAST, calls, aht, None))
        day += timedelta(days=1)
    needs = requirements(
        [(calls, aht) for _day, _slot, _source, calls, aht, _worked in wanted],
        interval_minutes=interval_minutes,
        target=target,
        seconds=seconds,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
    )
    rows = [
        _plan_row(day, slot, interval_minutes, source, calls, aht, need, worked, over_margin)
        for (day, slot, source, calls, aht, worked), need in zip(wanted, needs, strict=True)
    ]
    return StaffingPlan(
        queue_code=queue.code,
        queue_name=queue.name,
        start=start,
        end=end,
        interval_minutes=interval_minutes,
        target_service_level=target,
        target_seconds=seconds,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        over_margin=over_margin,
        forecast_method=method,
        rows=tuple(rows),
        backtest=_backtest(training),
    )


#: How long a plan computed from the rollups stays in the cache (its key changes with every
#: refresh of the rollups anyway, every minute with the worker).
PLAN_CACHE_SECONDS = 15 * 60

#: Plans kept in the process as objects (a plan is immutable): unpickling one of weeks from
#: the cache costs more than building its page. The oldest goes first.
PLANS_KEPT = 32
_PLANS: dict[str, StaffingPlan] = {}
_PLANS_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class RolledPlan:
    """A plan, when the rollups it was computed from were refreshed (``None``: computed from
    the contacts, now) and the key it is kept under (``""``: not kept)."""

    plan: StaffingPlan
    as_of: datetime | None
    key: str


def _kept(key: str) -> StaffingPlan | None:
    with _PLANS_LOCK:
        return _PLANS.get(key)


def _keep(key: str, plan: StaffingPlan) -> None:
    with _PLANS_LOCK:
        _PLANS[key] = plan
        while len(_PLANS) > PLANS_KEPT:
            del _PLANS[next(iter(_PLANS))]


def rollup_plan(
    *,
    queue: Queue,
    start: date,
    end: date,
    interval_minutes: int = DEFAULT_INTERVAL,
    shrinkage: float = DEFAULT_SHRINKAGE,
    max_occupancy: float = DEFAULT_MAX_OCCUPANCY,
    today: date | None = None,
) -> RolledPlan:
    """:func:`staffing_plan` and, when it was computed from the KPI rollups alone, when they
    were last refreshed (the page's "as of") and the key it is kept under. A plan from the
    rollups reads nothing else but the queue and its arguments (the training window, the
    actual days' calls and handle time by :func:`rollup_history`, the agents who worked by
    :func:`rollup_agents`), so it is cached under the rollups' data version, which every
    write of them moves (``operations.kpi.selectors.rollup_read_state``, the one reader of
    the rollups' state: the KPI tables' cache key, read once per GET page): between two
    refreshes a plan asked again reads one row. It is kept in Django's cache and, as the
    object itself, in the process (:data:`PLANS_KEPT`). Without the rollups (not built, or
    another time zone) it is computed from the contacts, and not cached."""
    today = today or timezone.localdate(now())
    as_of, version = rollup_read_state()
    zone = timezone.get_current_timezone_name()
    arguments: dict[str, Any] = {
        "queue": queue,
        "start": start,
        "end": end,
        "interval_minutes": interval_minutes,
        "shrinkage": shrinkage,
        "max_occupancy": max_occupancy,
        "today": today,
    }
    if as_of is None or version is None or zone != timezone.get_default_timezone_name():
        return RolledPlan(staffing_plan(**arguments), None, "")
    asked = (
        version,
        zone,
        queue.pk,
        queue.code,
        queue.name,
        repr(queue.sl_target),
        queue.sl_seconds,
        start,
        end,
        interval_minutes,
        repr(shrinkage),
        repr(max_occupancy),
        today,
    )
    key = "staffing.plan." + hashlib.sha256(repr(asked).encode()).hexdigest()
    plan = _kept(key)
    if plan is None:
        plan = cache.get(key)
        if plan is None:
            plan = staffing_plan(**arguments)
            cache.set(key, plan, PLAN_CACHE_SECONDS)
        _keep(key, plan)
    return RolledPlan(plan, as_of, key)


def _plan_row(
    day: date,
    slot: int,
    interval_minutes: int,
    source: str,
    calls: float,
    aht: float | None,
    need: erlang.StaffingResult | None,
    worked: int | None,
    over_margin: int,
) -> PlanRow:
    status = ""
    if worked is not None and need is not None:
        if worked < need.agents:
            status = UNDER
        elif worked > need.agents + over_margin:
            status = OVER
        else:
            status = ON_PLAN
    return PlanRow(
        day=day,
        slot=slot,
        starts_at=_slot_start(day, slot, interval_minutes),
        source=source,
        calls=calls,
        aht=aht,
        required=need.agents if need else None,
        required_fractional=need.agents_fractional if need else None,
        positions=need.positions if need else None,
        actual_agents=worked,
        status=status,
        positions_fractional=need.positions_fractional if need else None,
    )


# --------------------------------------------------------------------------- what-if


@dataclass(frozen=True, slots=True)
class Levers:
    """What-if changes: agents ± per interval, AHT ± %, IVR self-service share of the calls
    (%, they never reach an agent) and arrival volume ± %."""

    agents_delta: int = 0
    aht_change_pct: float = 0.0
    ivr_share_pct: float = 0.0
    volume_change_pct: float = 0.0

    def __post_init__(self) -> None:
        if self.aht_change_pct <= -100:
            raise ValueError("AHT cannot fall by 100 % or more")
        if not 0 <= self.ivr_share_pct < 100:
            raise ValueError("the IVR self-service share must be from 0 to under 100 %")
        if self.volume_change_pct < -100:
            raise ValueError("volume cannot fall by more than 100 %")


@dataclass(frozen=True, slots=True)
class Outcome:
    """A queue's interval (or day) under a staffing: ``asa`` is ``None`` when no call is
    answered, every share is ``None`` when there is no call."""

    calls: float
    aht: float
    agents: int
    service_level: float | None
    asa: float | None
    abandon_rate: float | None


@dataclass(frozen=True, slots=True)
class WhatIfInterval:
    starts_at: datetime
    calls: float
    aht: float
    agents: int


@dataclass(frozen=True, slots=True)
class WhatIfRow:
    starts_at: datetime
    before: Outcome
    after: Outcome

    @property
    def time_label(self) -> str:
        return self.starts_at.strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class WhatIf:
    queue_code: str
    queue_name: str
    day: date
    source: str
    interval_minutes: int
    target_seconds: int
    patience_seconds: float
    levers: Levers
    rows: tuple[WhatIfRow, ...]
    before: Outcome
    after: Outcome


def interval_outcome(
    *,
    calls: float,
    aht: float,
    agents: int,
    patience_seconds: float,
    interval_minutes: int,
    target_seconds: float,
) -> Outcome:
    """Erlang A performance of ``agents`` agents for ``calls`` calls of mean handle ``aht``.

    Fewer than ``MIN_CALLS`` (10⁻⁶) calls count as none."""
    if calls < MIN_CALLS:
        return Outcome(calls, aht, agents, None, None, None)
    if agents <= 0:
        return Outcome(calls, aht, 0, 0.0, None, 1.0)
    result = erlang.evaluate(
        calls=calls,
        interval_minutes=interval_minutes,
        aht_seconds=aht,
        agents=agents,
        target_seconds=target_seconds,
        patience_seconds=patience_seconds,
    )
    return Outcome(calls, aht, agents, result.service_level, result.asa, result.abandon_rate)


def apply_levers(interval: WhatIfInterval, levers: Levers) -> WhatIfInterval:
    calls = interval.calls * (1 + levers.volume_change_pct / 100) * (1 - levers.ivr_share_pct / 100)
    return WhatIfInterval(
        starts_at=interval.starts_at,
        calls=max(0.0, calls),
        aht=interval.aht * (1 + levers.aht_change_pct / 100),
        agents=max(0, interval.agents + levers.agents_delta),
    )


def day_outcome(outcomes: Iterable[Outcome]) -> Outcome:
    """The day: SL and abandon rate weighted by calls, ASA by answered calls, AHT by calls;
    ``agents`` is the sum of agents over the intervals (agent-intervals)."""
    items = list(outcomes)
    offered = [o for o in items if o.calls > 0 and o.service_level is not None]
    calls = math.fsum(o.calls for o in items)
    agents = sum(o.agents for o in items)
    if not offered:
        return Outcome(calls, 0.0, agents, None, None, None)
    weight = math.fsum(o.calls for o in offered)
    service = math.fsum(o.calls * (o.service_level or 0.0) for o in offered) / weight
    abandon = math.fsum(o.calls * (o.abandon_rate or 0.0) for o in offered) / weight
    aht = math.fsum(o.calls * o.aht for o in offered) / weight
    answered = [(o.calls * (1 - (o.abandon_rate or 0.0)), o.asa) for o in offered]
    answered_weight = math.fsum(n for n, asa in answered if asa is not None)
    asa = (
        math.fsum(n * asa for n, asa in answered if asa is not None) / answered_weight
        if answered_weight > 0
        else None
    )
    return Outcome(calls, aht, agents, service, asa, abandon)


def whatif_compare(
    intervals: Sequence[WhatIfInterval],
    levers: Levers,
    *,
    patience_seconds: float,
    interval_minutes: int,
    target_seconds: float,
) -> tuple[tuple[WhatIfRow, ...], Outcome, Outcome]:
    """Rows before/after the levers, and the day before and after (pure: no database)."""

    def outcome(item: WhatIfInterval) -> Outcome:
        return interval_outcome(
            calls=item.calls,
            aht=item.aht,
            agents=item.agents,
            patience_seconds=patience_seconds,
            interval_minutes=interval_minutes,
            target_seconds=target_seconds,
        )

    rows = tuple(
        WhatIfRow(item.starts_at, outcome(item), outcome(apply_levers(item, levers)))
        for item in intervals
    )
    return rows, day_outcome(r.before for r in rows), day_outcome(r.after for r in rows)


def staffing_whatif(
    *,
    queue: Queue,
    day: date,
    levers: Levers,
    interval_minutes: int = DEFAULT_INTERVAL,
    history_weeks: int = DEFAULT_HISTORY_WEEKS,
    today: date | None = None,
) -> WhatIf:
    """Before/after of the levers on one day of ``queue`` (see the module docstring).

    The baseline is the day's plan: calls that came and agents who worked on a past day, the
    forecast and the required agents (85 % occupancy cap, for the queue's target) from today.
    """
    today = today or timezone.localdate(now())
    plan = staffing_plan(
        queue=queue,
        start=day,
        end=day,
        interval_minutes=interval_minutes,
        history_weeks=history_weeks,
        today=today,
    )
    patience = queue_patience(
        queue=queue,
        start=day - timedelta(days=history_weeks * 7),
        end=min(day, today - timedelta(days=1)),
    )
    fallback_aht = next((row.aht for row in plan.rows if row.aht), None) or 1.0
    intervals = [
        WhatIfInterval(
            starts_at=row.starts_at,
            calls=row.calls,
            aht=row.aht or fallback_aht,
            agents=(row.actual_agents if row.source == ACTUAL else row.required) or 0,
        )
        for row in plan.rows
    ]
    rows, before, after = whatif_compare(
        intervals,
        levers,
        patience_seconds=patience,
        interval_minutes=interval_minutes,
        target_seconds=queue.sl_seconds,
    )
    return WhatIf(
        queue_code=queue.code,
        queue_name=queue.name,
        day=day,
        source=ACTUAL if day < today else FORECAST,
        interval_minutes=interval_minutes,
        target_seconds=int(queue.sl_seconds),
        patience_seconds=patience,
        levers=levers,
        rows=rows,
        before=before,
        after=after,
    )
