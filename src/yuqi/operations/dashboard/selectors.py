"""What the manager dashboard and the wallboard show: one day's KPIs against targets.

Targets come from the scorecard measures where one exists (service level, answer rate, FCR,
abandon rate, ASA) and from each queue's own service-level promise per queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from yuqi.core.clock import day_start, now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.request_memo import memoised
from yuqi.domain.kpi import KpiValues
from yuqi.domain.targets import TargetStatus, target_status
from yuqi.interactions.models import Interaction, Queue
from yuqi.operations.kpi.selectors import (
    QUEUES_READ,
    KpiRow,
    kpi_rows_merged,
    kpi_table,
    kpi_table_as_of,
)
from yuqi.operations.models import ScorecardMeasure

# Dashboard cards: KPI attribute, scorecard measure code holding its target.
CARDS: tuple[tuple[str, str], ...] = (
    ("service_level", "service_level"),
    ("answer_rate", "answer_rate"),
    ("asa", "asa"),
    ("abandon_rate", "abandon_rate"),
    ("fcr", "fcr"),
)


#: The scorecard measures holding the cards' targets (built and compiled once per database).
_CARD_MEASURES_READ = CompiledRead(
    lambda: ScorecardMeasure.objects.filter(code__in=[code for _kpi, code in CARDS]),
    model=ScorecardMeasure,
)


@dataclass(frozen=True)
class Card:
    kpi: str
    value: float | int | None
    week_average: float | int | None
    target: Decimal | None
    status: str  # "ok", "warn", "bad" or "none"


@dataclass(frozen=True)
class QueueLine:
    code: str
    name: str
    values: KpiValues
    sl_target: Decimal
    sl_seconds: int
    meets_target: bool | None


@dataclass(frozen=True)
class DashboardDay:
    day: date
    fallback: bool  # True when the chosen day had no contacts and the latest day is shown
    cards: list[Card]
    queues: list[QueueLine]
    intervals: list[KpiRow]  # by queue and 30-minute interval
    as_of: datetime | None = None  # the KPI rollups' last refresh; None: counted just now


@memoised
def dashboard_queues() -> list[Queue]:
    """The queues with a wallboard, in code order (read once per request: the day's lines
    and the wallboard links both ask)."""
    return QUEUES_READ.objects()


def _has_contacts(day: date) -> bool:
    return Interaction.objects.filter(
        arrived_at__gte=day_start(day), arrived_at__lt=day_start(day + timedelta(days=1))
    ).exists()


def queue_by_code(code: str) -> Queue | None:
    return Queue.objects.filter(code=code).first()


def latest_day_with_contacts() -> date | None:
    latest = Interaction.objects.aggregate(last=Max("arrived_at"))["last"]
    return timezone.localtime(latest).date() if latest else None


# The dashboard's badge classes for the shared target rule (``yuqi.domain.targets``).
_BADGES = {TargetStatus.MET: "ok", TargetStatus.WARNING: "warn", TargetStatus.MISSED: "bad"}


def _status(value: float | None, measure: ScorecardMeasure | None) -> str:
    if measure is None:
        return "none"
    status = target_status(
        value, target=measure.target, warning=measure.warning, direction=measure.direction
    )
    return _BADGES.get(status, "none")


def dashboard_day(
    day: date | None = None, *, channel: str | None = "phone", fall_back: bool = True
) -> DashboardDay:
    """One channel's day (phone by default: e-mail waits in hours would swamp ASA). A day
    without contacts shows the latest day with contacts instead, unless ``fall_back`` is off
    (the live dashboard shows today even before the first call)."""
    wanted = day or timezone.localdate(now())
    shown, fallback = wanted, False
    # The live dashboard (no fall-back) shows today even without contacts: no need to look.
    if fall_back and not _has_contacts(wanted):
        latest = latest_day_with_contacts()
        if latest is not None and latest != wanted:
            shown, fallback = latest, True
    # One table of the day by queue and interval; the total and the queues' lines are its
    # rows merged (the same figures as their own queries, ``kpi_rows_merged``). No card
    # shows occupancy: the agent states are not summed (nor the day's agents found).
    intervals, as_of = kpi_table_as_of(
        date_from=shown,
        date_to=shown,
        by=["queue", "interval"],
        interval_minutes=30,
        channel=channel,
        agent_time=False,
    )
    [total] = kpi_rows_merged(intervals)
    [week] = kpi_table(
        date_from=shown - timedelta(days=7),
        date_to=shown - timedelta(days=1),
        channel=channel,
        agent_time=False,
    )
    measures = {m.code: m for m in _CARD_MEASURES_READ.objects()}
    cards = [
        Card(
            kpi,
            getattr(total.values, kpi),
            getattr(week.values, kpi),
            measures[code].target if code in measures else None,
            _status(getattr(total.values, kpi), measures.get(code)),
        )
        for kpi, code in CARDS
    ]
    queues = {q.code: q for q in dashboard_queues()}
    lines = []
    for row in kpi_rows_merged(intervals, ["queue"]):
        queue = queues.get(row.keys["queue"])
        if queue is None:
            continue
        sl = row.values.service_level
        lines.append(
            QueueLine(
                queue.code,
                queue.name,
                row.values,
                queue.sl_target,
                queue.sl_seconds,
                None if sl is None else sl >= float(queue.sl_target),
            )
        )
    return DashboardDay(shown, fallback, cards, lines, intervals, as_of)


def service_level_chart(day: DashboardDay, labels: dict[str, str]) -> dict:
    """An ECharts option: offered calls per interval (bars) and SL per queue (lines)."""
    slots = sorted({row.labels["interval"] for row in day.intervals})
    by_queue: dict[str, dict[str, KpiRow]] = {}
    for row in day.intervals:
        by_queue.setdefault(row.keys["queue"] or "", {})[row.labels["interval"]] = row
    series: list[dict] = []
    offered = [
        sum(by_queue[q][s].values.offered for q in by_queue if s in by_queue[q]) for s in slots
    ]
    series.append(
        {
            "name": labels["offered"],
            "type": "bar",
            "yAxisIndex": 1,
            "data": offered,
            "itemStyle": {"color": "#cfd8e3"},
        }
    )
    for code, rows in sorted(by_queue.items()):
        if not code:
            continue
        series.append(
            {
                "name": rows[next(iter(rows))].labels.get("queue", code),
                "type": "line",
                "connectNulls": False,
                "data": [
                    None
                    if (r := rows.get(s)) is None or r.values.service_level is None
                    else round(r.values.service_level * 100, 1)
                    for s in slots
                ],
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 48, "right": 48, "top": 40, "bottom": 28},
        "xAxis": {"type": "category", "data": [s[-5:] for s in slots]},
        "yAxis": [
            {"type": "value", "name": labels["service_level"], "min": 0, "max": 100},
            {"type": "value", "name": labels["offered"], "splitLine": {"show": False}},
        ],
        "series": series,
    }


@dataclass(frozen=True)
class Wallboard:
    queue: Queue
    day: date
    values: KpiValues
    waiting_longest: int | None
    updated_at: str


def wallboard(queue: Queue) -> Wallboard:
    moment = timezone.localtime(now())
    today = moment.date()
    # Live: counted from the contacts at each request, not from the minute-old rollups.
    [row] = kpi_table(date_from=today, date_to=today, queue=queue.code, source="contacts")
    return Wallboard(queue, today, row.values, row.values.longest_wait, moment.strftime("%H:%M:%S"))
