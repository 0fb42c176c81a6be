"""The service balanced scorecard ([seed-001]): four perspectives, one function per measure.

Each measure is a ``ScorecardMeasure`` row (name, unit, direction, target, warning) whose
``code`` names a function here computing its value for a period. The scorecard's period is a
calendar month (the current one runs to today) and the trend compares it with the month
before. A measure whose data does not exist yet returns ``None`` with the reason, and the page
says so: it never shows 0 for "unknown".

Units: ``%`` values are fractions (0.80, shown as 80.0 %), ``pts`` points (NPS −100…100,
QA 0–100), ``h`` hours, ``¥`` yuan, blank a count.

Status colour, from target and warning (``measure_status``, the rule of
``yuqi.domain.targets``): met → green, warning → amber, missed → red; no target set:
``none`` (grey); no value: ``nodata``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.measures import MeasureReading, measure_source, reading_scope, scope_memo
from yuqi.customers.choices import Segment
from yuqi.customers.facade import customer_book_counts
from yuqi.domain.kpi import HEADLINE_SCOPE, KpiCounts, KpiValues, kpi_values, scope_channels
from yuqi.domain.targets import TargetStatus, is_better, target_status
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.operations.models import Perspective, ScorecardMeasure, SegmentSnapshot
from yuqi.operations.pyramid import versions
from yuqi.operations.pyramid.services import month_end, month_start

# --- periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return self.start.strftime("%Y-%m")


def month_period(day: date, *, today: date | None = None) -> Period:
    """The calendar month of ``day``, cut at ``today`` if it is the current month."""
    today = today or timezone.localdate(now())
    return Period(month_start(day), min(month_end(day), max(today, month_start(day))))


def previous_period(period: Period) -> Period:
    """The whole calendar month before ``period``'s."""
    last = period.start - timedelta(days=1)
    return Period(month_start(last), last)


def default_periods(today: date) -> list[tuple[date, date]]:
    """The periods the page reads every measure for by default on ``today``: this month to
    today and the month before."""
    period = month_period(today, today=today)
    earlier = previous_period(period)
    return [(period.start, period.end), (earlier.start, earlier.end)]


# --- measure values ------------------------------------------------------------------------


#: A measure's value, or ``None`` and the reason there is none, with ``n``, the 95 % interval,
#: the page it comes from, a note and its source: the same record the owning contexts hand in.
MeasureValue = MeasureReading


def _no_data(reason: str) -> MeasureValue:
    return MeasureValue(None, reason)


def _customer_counts(period: Period) -> dict[str, int]:
    """On the books at the end and joined during, for ``period`` and the month before (the
    scorecard's trend reads both): one scan of the customers (``customer_book_counts``),
    which also gives the complaints' customer base by tier in the same reading scope."""
    memo = scope_memo()
    key = ("operations.customers", period)
    if memo is not None and key in memo:
        return memo[key]
    earlier = previous_period(period)
    found = customer_book_counts([(period.start, period.end), (earlier.start, earlier.end)])
    if memo is not None:
        memo[("operations.customers", earlier)] = found[(earlier.start, earlier.end)]
        memo[key] = found[(period.start, period.end)]
    return found[(period.start, period.end)]


def _period_query(period: Period) -> str:
    return urlencode({"date_from": period.start.isoformat(), "date_to": period.end.isoformat()})


def customers(period: Period) -> MeasureValue:
    """Customers = customers joined by the period's end and not closed (current status)."""
    return MeasureValue(
        float(_customer_counts(period)["books"]),
        link=reverse("customers:list"),
        source=_("Customers"),
    )


def new_customers(period: Period) -> MeasureValue:
    """New customers = customers whose joining date falls in the period."""
    return MeasureValue(
        float(_customer_counts(period)["new"]),
        link=reverse("customers:list"),
        source=_("Customers"),
    )


def _retention(period: Period) -> tuple[int, int] | MeasureValue:
    """(base, retained) from the pyramid snapshots of the period's month and the month before:
    base = customers not inactive before; retained = of those, not inactive now. Read once
    per period inside a scorecard (retention and churn share it)."""
    memo = scope_memo()
    key = ("operations.retention", period)
    if memo is not None and key in memo:
        return memo[key]
    found = _read_retention(period)
    if memo is not None:
        memo[key] = found
    return found


def _snapshot_counts(needed: list[date], *, also: list[date]) -> dict[date, tuple[int, int]]:
    """(snapshots, active snapshots) per month with a snapshot, of the ``needed`` months and
    ``also`` those: one grouped query on index ``segment_month_segment``. Inside a scorecard
    the current period asks for the month before its previous one too, so the trend's
    period finds its two months already counted."""
    memo = scope_memo()
    if memo is not None:
        for key, found in memo.items():
            if (
                isinstance(key, tuple)
                and key[0] == "operations.snapshot_counts"
                and (set(needed) <= set(key[1]))
            ):
                return found
    months = sorted({*needed, *also})
    counts = versions.cached("counts", tuple(months), lambda: _read_snapshot_counts(months))
    if memo is not None:
        memo[("operations.snapshot_counts", tuple(months))] = counts
    return counts


def _read_snapshot_counts(months: list[date]) -> dict[date, tuple[int, int]]:
    rows = (
        SegmentSnapshot.objects.filter(month__in=months)
        .values("month")
        .annotate(n=Count("pk"), active=Count("pk", filter=~Q(segment=Segment.INACTIVE)))
        .order_by()
    )
    return {row["month"]: (row["n"], row["active"]) for row in rows}


def _read_retained(before: date, after: date) -> int:
    """Customers not inactive in the ``before`` snapshot who are not inactive ``after``."""
    base_ids = SegmentSnapshot.objects.filter(month=before).exclude(segment=Segment.INACTIVE)
    return (
        SegmentSnapshot.objects.filter(month=after, customer_id__in=base_ids.values("customer_id"))
        .exclude(segment=Segment.INACTIVE)
        .count()
    )


def _read_retention(period: Period) -> tuple[int, int] | MeasureValue:
    before = month_start(period.start - timedelta(days=1))
    after = month_start(period.start)
    counts = _snapshot_counts([before, after], also=[month_start(before - timedelta(days=1))])
    if before not in counts or after not in counts:
        return _no_data(
            _("Needs the customer pyramid snapshots of %(before)s and %(after)s.")
            % {"before": before.strftime("%Y-%m"), "after": after.strftime("%Y-%m")}
        )
    base = counts[before][1]
    if not base:
        return _no_data(_("No active customers in the earlier snapshot."))
    retained = versions.cached("retained", (before, after), lambda: _read_retained(before, after))
    return base, retained


def retention_rate(period: Period) -> MeasureValue:
    """Retention = customers active (not inactive) last month still active this month ÷
    customers active last month, from the pyramid snapshots."""
    found = _retention(period)
    if isinstance(found, MeasureValue):
        return found
    base, retained = found
    return MeasureValue(
        retained / base, n=base, link=reverse("operations:pyramid_page"), source=_("Pyramid")
    )


def churn_rate(period: Period) -> MeasureValue:
    """Churn = 1 − retention: last month's active customers now inactive or gone."""
    found = _retention(period)
    if isinstance(found, MeasureValue):
        return found
    base, retained = found
    return MeasureValue(
        1 - retained / base, n=base, link=reverse("operations:pyramid_page"), source=_("Pyramid")
    )


# One KPI query per period while a scorecard is built (three measures share its totals).
_KPI_MEMO: ContextVar[dict[Period, KpiValues] | None] = ContextVar("kpi_memo", default=None)


#: What the ungrouped KPI total of a period without contacts reads: every SQL sum of nothing
#: (the service level's denominator counted, as zero), no longest wait.
EMPTY_PERIOD_KPIS = kpi_values(KpiCounts(sl_offered=0))


def _kpi_read(period: Period) -> KpiValues:
    return kpi_table(  # no occupancy on the scorecard: the agent states are not summed
        date_from=period.start,
        date_to=period.end,
        channels=scope_channels(HEADLINE_SCOPE),
        agent_time=False,
    )[0].values


def _kpi_totals(period: Period) -> KpiValues:
    """The period's headline KPIs. Inside a scorecard the period and the month before it
    (the trend) are read together, one KPI query grouped by month over both: they are whole
    calendar months but the current one, which the range ends with, so each month's group is
    exactly one period's contacts. A month without a group had no contacts: it reads
    :data:`EMPTY_PERIOD_KPIS`, what its own ungrouped total would be."""
    memo = _KPI_MEMO.get()
    if memo is None:
        return _kpi_read(period)
    if period in memo:
        return memo[period]
    if period.start.day != 1 or month_start(period.end) != period.start:
        memo[period] = _kpi_read(period)  # not one calendar month: read it alone
        return memo[period]
    earlier = previous_period(period)
    rows = kpi_table(
        date_from=earlier.start,
        date_to=period.end,
        by=["month"],
        channels=scope_channels(HEADLINE_SCOPE),
        agent_time=False,
    )
    by_month = {row.keys["month"]: row.values for row in rows}
    for wanted in (period, earlier):
        if wanted not in memo:
            memo[wanted] = by_month.get(wanted.start, EMPTY_PERIOD_KPIS)
    return memo[period]


_KPI_DENOMINATOR = {"service_level": "offered", "answer_rate": "offered", "fcr": "answered"}


def _kpi(period: Period, field: str) -> MeasureValue:
    values = _kpi_totals(period)
    value = getattr(values, field)
    link = f"{reverse('operations:kpi_explorer')}?{_period_query(period)}&scope={HEADLINE_SCOPE}"
    if value is None:
        return MeasureValue(
            None, _("No contacts on the real-time channels in this period."), link=link
        )
    return MeasureValue(
        float(value),
        n=getattr(values, _KPI_DENOMINATOR[field]),
        link=link,
        note=_("Real-time channels (phone, chat, app, WeChat)"),
        source=_("KPI explorer"),
    )


def service_level(period: Period) -> MeasureValue:
    """Service level = answered within Y s ÷ (offered − short abandons), real-time channels
    (KPI engine)."""
    return _kpi(period, "service_level")


def answer_rate(period: Period) -> MeasureValue:
    """Answer rate 接通率 = answered ÷ offered, real-time channels (KPI engine)."""
    return _kpi(period, "answer_rate")


def fcr(period: Period) -> MeasureValue:
    """FCR 一次解决率 = contacts flagged resolved ÷ contacts with the flag, real-time
    channels (KPI engine)."""
    return _kpi(period, "fcr")


def _awaiting(app: str, what: str) -> Callable[[Period], MeasureValue]:
    def measure(period: Period) -> MeasureValue:
        if apps.is_installed(f"yuqi.{app}"):
            return _no_data(
                _("No data yet: %(what)s are not connected to the scorecard.") % {"what": what}
            )
        return _no_data(
            _("No data yet: needs %(what)s, which a later release adds.") % {"what": what}
        )

    measure.__doc__ = f"No data until the {app} context provides {what}."
    return measure


def _data_sources() -> dict[str, Callable[[Period], MeasureValue]]:
    """The measures operations computes itself; every other one is registered by the context
    that owns its data (``yuqi.core.measures``) and read first. The ``_awaiting`` entries
    answer only when that context has not registered (not installed, or not built yet)."""
    survey_answers = _("survey answers")
    return {
        "customers": customers,
        "new_customers": new_customers,
        "retention_rate": retention_rate,
        "churn_rate": churn_rate,
        "recovery_cost_per_contact": _awaiting("complaints", _("service recovery costs")),
        "satisfaction": _awaiting("surveys", survey_answers),
        "nps": _awaiting("surveys", survey_answers),
        "ces": _awaiting("surveys", survey_answers),
        "expectation_achievement": _awaiting("surveys", survey_answers),
        "regulator_appeals_per_10k": _awaiting("complaints", _("regulator appeals")),
        "service_level": service_level,
        "answer_rate": answer_rate,
        "fcr": fcr,
        "complaint_sla_compliance": _awaiting("complaints", _("complaint deadlines")),
        "promise_kept_on_time": _awaiting("commitments", _("promise records")),
        "roster_adherence": _awaiting("workforce", _("agent schedules and states")),
        "training_hours": _awaiting("quality", _("training records")),
        "qa_score": _awaiting("quality", _("quality scores")),
        "coaching_done": _awaiting("quality", _("coaching records")),
        "knowledge_use": _awaiting("knowledge", _("knowledge article use")),
    }


MEASURE_CODES: tuple[str, ...] = (
    "customers",
    "new_customers",
    "retention_rate",
    "churn_rate",
    "recovery_cost_per_contact",
    "satisfaction",
    "nps",
    "ces",
    "expectation_achievement",
    "regulator_appeals_per_10k",
    "service_level",
    "answer_rate",
    "fcr",
    "complaint_sla_compliance",
    "promise_kept_on_time",
    "roster_adherence",
    "training_hours",
    "qa_score",
    "coaching_done",
    "knowledge_use",
)


def measure_value(code: str, period: Period) -> MeasureValue:
    registered = measure_source(code)
    if registered is not None:  # a context that owns the data registered it (core.measures)
        return registered(period.start, period.end)
    source = _data_sources().get(code)
    if source is None:
        return _no_data(_("No calculation is defined for this measure code."))
    return source(period)


# --- status and trend ----------------------------------------------------------------------

GREEN, AMBER, RED, NO_TARGET, NO_DATA = "green", "amber", "red", "none", "nodata"
_COLOURS = {
    TargetStatus.MET: GREEN,
    TargetStatus.WARNING: AMBER,
    TargetStatus.MISSED: RED,
    TargetStatus.NO_TARGET: NO_TARGET,
    TargetStatus.NO_DATA: NO_DATA,
}


def measure_status(
    value: float | None,
    *,
    target: float | Decimal | None,
    warning: float | Decimal | None,
    direction: str,
) -> str:
    """The status colour of a value (module docstring)."""
    status = target_status(value, target=target, warning=warning, direction=direction)
    return _COLOURS[status]


@dataclass(frozen=True)
class Trend:
    delta: float
    arrow: str  # "up", "down" or "flat"
    better: bool | None  # None when flat


def measure_trend(value: float | None, previous: float | None, *, direction: str) -> Trend | None:
    if value is None or previous is None:
        return None
    delta = value - previous
    if abs(delta) < 1e-9:
        return Trend(0.0, "flat", None)
    up = delta > 0
    return Trend(delta, "up" if up else "down", is_better(delta, direction))


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "¥":
        return f"¥{value:,.2f}"
    if unit == "h":
        return f"{value:,.1f} h"
    if unit == "pts":
        return f"{value:,.1f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def format_delta(delta: float, unit: str) -> str:
    if unit == "%":
        return f"{delta * 100:+.1f} pp"
    return f"{delta:+,.1f}" if not float(delta).is_integer() else f"{delta:+,.0f}"


# --- the scorecard -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardLine:
    code: str
    perspective: str
    name: str
    unit: str
    direction: str
    target: float | None
    warning: float | None
    value: float | None
    previous: float | None
    reason: str  # why there is no value ("" when there is one)
    status: str
    trend: Trend | None
    n: int | None = None
    low: float | None = None
    high: float | None = None
    link: str = ""
    note: str = ""
    source: str = ""

    @property
    def interval_display(self) -> str:
        """The 95 % interval in the measure's unit ("" when there is none)."""
        if self.low is None or self.high is None or self.value is None:
            return ""
        return f"{format_value(self.low, self.unit)}–{format_value(self.high, self.unit)}"

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def previous_display(self) -> str:
        return format_value(self.previous, self.unit)

    @property
    def target_display(self) -> str:
        return format_value(self.target, self.unit)

    @property
    def warning_display(self) -> str:
        return format_value(self.warning, self.unit)

    @property
    def delta_display(self) -> str:
        return format_delta(self.trend.delta, self.unit) if self.trend else ""


@dataclass(frozen=True)
class PerspectiveBlock:
    perspective: str
    label: str
    lines: tuple[ScorecardLine, ...]


@dataclass(frozen=True)
class Scorecard:
    period: Period
    previous: Period
    perspectives: tuple[PerspectiveBlock, ...]

    @property
    def lines(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for block in self.perspectives for line in block.lines)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


#: Each measure code's reading of one period.
Readings = dict[str, MeasureValue]


def enabled_measures() -> list[ScorecardMeasure]:
    """The measures the scorecard shows, in its order."""
    return list(ScorecardMeasure.objects.filter(enabled=True).order_by("order", "code"))


def read_measures(codes: list[str], period: Period, earlier: Period) -> tuple[Readings, Readings]:
    """Every code's reading this period and the one before, in one reading scope (the sources
    share their work, and the KPI months are read in one query)."""
    current: Readings = {}
    before: Readings = {}
    token = _KPI_MEMO.set({})
    try:
        with reading_scope():
            for code in codes:
                current[code] = measure_value(code, period)
                before[code] = measure_value(code, earlier)
    finally:
        _KPI_MEMO.reset(token)
    return current, before


def _line(
    measure: ScorecardMeasure, current: MeasureValue, before: MeasureValue, *, english: bool
) -> ScorecardLine:
    target, warning = _float(measure.target), _float(measure.warning)
    return ScorecardLine(
        code=measure.code,
        perspective=measure.perspective,
        name=measure.name_en if english else measure.name,
        unit=measure.unit,
        direction=measure.direction,
        target=target,
        warning=warning,
        value=current.value,
        previous=before.value,
        reason=current.reason,
        status=measure_status(
            current.value, target=target, warning=warning, direction=measure.direction
        ),
        trend=measure_trend(current.value, before.value, direction=measure.direction),
        n=current.n,
        low=current.low,
        high=current.high,
        link=current.link,
        note=current.note,
        source=current.source,
    )


def scorecard_from(
    period: Period, measures: list[ScorecardMeasure], current: Readings, before: Readings
) -> Scorecard:
    """The scorecard of ``measures`` from their readings this period and the one before."""
    english = (get_language() or "").startswith("en")
    lines = [
        _line(measure, current[measure.code], before[measure.code], english=english)
        for measure in measures
    ]
    by_perspective: dict[str, list[ScorecardLine]] = {p: [] for p in Perspective.values}
    for line in lines:
        by_perspective.setdefault(line.perspective, []).append(line)
    blocks = tuple(
        PerspectiveBlock(code, str(Perspective(code).label), tuple(by_perspective[code]))
        for code in Perspective.values
    )
    return Scorecard(period, previous_period(period), blocks)


def scorecard(*, period: Period | None = None) -> Scorecard:
    """Every enabled measure's value this period and last, with status and trend."""
    period = period or month_period(timezone.localdate(now()))
    measures = enabled_measures()
    current, before = read_measures(
        list(dict.fromkeys(m.code for m in measures)), period, previous_period(period)
    )
    return scorecard_from(period, measures, current, before)
