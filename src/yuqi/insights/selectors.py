"""Reads of the insights context: the benchmark report and the 他有我无 table.

Our own values come from the operations KPI engine for exactly each peer period, so a peer's
May figure is compared with our May. Satisfaction, ease of use and NPS have no source of ours
yet (they will come from surveys): they show "no data yet", never zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.domain.benchmarking import (
    Direction,
    OfferingComparison,
    PeriodValues,
    Position,
    Trend,
    compare_offerings,
    position,
    trend,
)
from yuqi.insights.models import (
    INDICATOR_HIGHER_IS_BETTER,
    Indicator,
    IndicatorTarget,
    Offering,
    OurOffering,
    PeerIndicatorValue,
    PeerOffering,
)

#: Indicators we measure ourselves, and the field of the KPI engine's values for each.
OWN_KPI_FIELDS: dict[str, tuple[str, ...]] = {
    Indicator.ANSWER_RATE: ("answer_rate",),
    Indicator.ASA_SECONDS: ("asa",),
    Indicator.ABANDON_RATE: ("abandon_rate",),
    Indicator.SERVICE_LEVEL: ("service_level",),
    Indicator.FCR: ("fcr", "derived_fcr"),
}
RATE_INDICATORS = frozenset(
    {Indicator.ANSWER_RATE, Indicator.ABANDON_RATE, Indicator.SERVICE_LEVEL, Indicator.FCR}
)
DEFAULT_MONTHS = 6


def direction_of(indicator: str) -> Direction:
    return Direction.HIGHER if INDICATOR_HIGHER_IS_BETTER[indicator] else Direction.LOWER


def our_value_note(indicator: str) -> str:
    """Why we have no value of our own for an indicator, for the page and the API."""
    if indicator in OWN_KPI_FIELDS:
        return _("No contacts in this period.")
    return _("No data yet: our value will come from surveys.")


def format_value(indicator: str, value: float | None) -> str:
    if value is None:
        return "—"
    if indicator in RATE_INDICATORS:
        return f"{value * 100:.1f}%"
    if indicator == Indicator.ASA_SECONDS:
        return f"{value:.0f} s"
    return f"{value:.1f}"


def format_gap(indicator: str, gap: float | None) -> str:
    """A shortfall with its sign: ``+3.2 pp`` behind, ``−4 s`` ahead."""
    if gap is None:
        return "—"
    if indicator in RATE_INDICATORS:
        return f"{gap * 100:+.1f} pp"
    if indicator == Indicator.ASA_SECONDS:
        return f"{gap:+.0f} s"
    return f"{gap:+.1f}"


@dataclass(frozen=True)
class PeerPoint:
    peer: str
    value: float


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        first_of_month = self.start.day == 1
        if (
            first_of_month
            and (self.end + timedelta(days=1)).day == 1
            and (
                self.end.year,
                self.end.month,
            )
            == (self.start.year, self.start.month)
        ):
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


@dataclass(frozen=True)
class IndicatorBenchmark:
    """One indicator: the latest period's standing and the trend over the chosen periods."""

    indicator: str
    label: str
    direction: Direction
    period: Period | None  # the latest period with peer values
    peers: tuple[PeerPoint, ...]  # in that period
    ours: float | None
    ours_note: str
    target: float | None
    position: Position
    periods: tuple[Period, ...]
    ours_by_period: tuple[float | None, ...]
    best_by_period: tuple[float | None, ...]
    median_by_period: tuple[float | None, ...]
    trend: Trend


@dataclass(frozen=True)
class BenchmarkReport:
    period_from: date
    period_to: date
    indicators: tuple[IndicatorBenchmark, ...]


def default_range() -> tuple[date, date]:
    """The six months ending with the latest peer period (or this month when there is none)."""
    latest = PeerIndicatorValue.objects.aggregate(end=Max("period_end"))["end"]
    end = latest or timezone.localdate(now())
    start = end.replace(day=1)
    for _i in range(DEFAULT_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


def our_values(start: date, end: date) -> dict[str, float | None]:
    """Our KPI values over ``start``–``end`` (both days included) from the operations engine."""
    from yuqi.operations.kpi.selectors import kpi_table

    row = kpi_table(date_from=start, date_to=end)[0]
    out: dict[str, float | None] = {}
    for indicator, fields in OWN_KPI_FIELDS.items():
        value = None
        for name in fields:
            value = getattr(row.values, name)
            if value is not None:
                break
        out[indicator] = None if value is None else float(value)
    return out


def _targets() -> dict[str, float]:
    return {t.indicator: float(t.target) for t in IndicatorTarget.objects.all()}


def benchmark_report(*, period_from: date, period_to: date) -> BenchmarkReport:
    """Every indicator with peer values in periods inside ``period_from``–``period_to``."""
    values = (
        PeerIndicatorValue.objects.filter(period_start__gte=period_from, period_end__lte=period_to)
        .select_related("peer")
        .order_by("period_start", "period_end", "peer__name")
    )
    by_indicator: dict[str, dict[Period, list[PeerPoint]]] = defaultdict(lambda: defaultdict(list))
    for item in values:
        period = Period(item.period_start, item.period_end)
        by_indicator[item.indicator][period].append(PeerPoint(item.peer.name, float(item.value)))
    ours_cache: dict[Period, dict[str, float | None]] = {}
    targets = _targets()
    indicators = []
    for indicator in Indicator.values:
        periods = dict(sorted(by_indicator.get(indicator, {}).items(), key=lambda kv: kv[0].start))
        if not periods and indicator not in targets:
            continue
        indicators.append(
            _indicator_benchmark(indicator, periods, targets.get(indicator), ours_cache)
        )
    return BenchmarkReport(period_from, period_to, tuple(indicators))


def _ours(
    indicator: str, period: Period, cache: dict[Period, dict[str, float | None]]
) -> float | None:
    if indicator not in OWN_KPI_FIELDS:
        return None
    if period not in cache:
        cache[period] = our_values(period.start, period.end)
    return cache[period][indicator]


def _indicator_benchmark(
    indicator: str,
    periods: dict[Period, list[PeerPoint]],
    target: float | None,
    cache: dict[Period, dict[str, float | None]],
) -> IndicatorBenchmark:
    direction = direction_of(indicator)
    ordered = list(periods)
    ours_series = tuple(_ours(indicator, p, cache) for p in ordered)
    stats = [position(None, [pt.value for pt in periods[p]], direction) for p in ordered]
    latest = ordered[-1] if ordered else None
    peers = tuple(periods[latest]) if latest else ()
    ours = ours_series[-1] if ordered else None
    return IndicatorBenchmark(
        indicator=indicator,
        label=str(Indicator(indicator).label),
        direction=direction,
        period=latest,
        peers=peers,
        ours=ours,
        ours_note="" if ours is not None else our_value_note(indicator),
        target=target,
        position=position(ours, [pt.value for pt in peers], direction, target=target),
        periods=tuple(ordered),
        ours_by_period=ours_series,
        best_by_period=tuple(s.best for s in stats),
        median_by_period=tuple(s.median for s in stats),
        trend=trend(
            [
                PeriodValues(p.label, o, tuple(pt.value for pt in periods[p]))
                for p, o in zip(ordered, ours_series, strict=True)
            ],
            direction,
            tolerance=1e-9,
        ),
    )


# --- offerings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingRow:
    code: str
    name: str
    name_en: str
    peers: tuple[str, ...]
    peer_count: int
    share: float


@dataclass(frozen=True)
class OfferingTable:
    n_peers: int
    they_have: tuple[OfferingRow, ...]  # 他有我无: the peers that have it
    we_have: tuple[OfferingRow, ...]  # 我有他无: the peers that lack it


def offering_table() -> OfferingTable:
    """他有我无 and 我有他无 over the peer centres whose offerings are on record (a peer
    imported with indicators only is left out rather than counted as offering nothing)."""
    holdings: dict[str, set[str]] = defaultdict(set)
    for name, code in PeerOffering.objects.values_list("peer__name", "offering__code"):
        holdings[name].add(code)
    ours = set(OurOffering.objects.values_list("offering__code", flat=True))
    comparison: OfferingComparison = compare_offerings(holdings, ours)
    names = {o.code: o for o in Offering.objects.all()}

    def row(gap) -> OfferingRow:
        offering = names[gap.code]
        return OfferingRow(
            gap.code, offering.name, offering.name_en, gap.peers, gap.peer_count, gap.share
        )

    return OfferingTable(
        n_peers=comparison.n_peers,
        they_have=tuple(row(g) for g in comparison.they_have),
        we_have=tuple(row(g) for g in comparison.we_have),
    )


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))
