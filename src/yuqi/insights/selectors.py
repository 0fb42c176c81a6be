"""Reads of the insights context: the benchmark report and the 他有我无 table.

Our own values come from the operations KPI engine for exactly each peer period, so a peer's
May figure is compared with our May, and **on the same scope**: each peer value carries the
contacts it covers (voice hotline, chat, e-mail, all; ``Scope``) and ours is computed over the
channels of that scope (``yuqi.domain.kpi.SCOPE_CHANNELS``), optionally narrowed to the queues
the manager ticks. A hotline's ASA is never compared with an all-channel ASA that e-mail
waits swamp. One benchmark per indicator and scope.

Satisfaction, ease of use and NPS come from the surveys' registered measures
(``yuqi.core.measures``; the survey analysis's own figures): satisfaction = CSAT top-2-box
share in % (0–100), ease of use = CES mean on its 1–7 agreement scale, NPS in points; each
with its n. "No data yet" only when no such answers exist in the period, never zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.measures import measure_source, reading_scope
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
from yuqi.domain.kpi import KpiValues, scope_channels
from yuqi.insights.models import (
    INDICATOR_HIGHER_IS_BETTER,
    SURVEY_INDICATORS,
    Indicator,
    IndicatorTarget,
    Offering,
    OurOffering,
    PeerIndicatorValue,
    PeerOffering,
    Scope,
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


#: Indicators whose value of ours is a survey measure (``core.measures`` code, scale factor).
SURVEY_MEASURES: dict[str, tuple[str, float]] = {
    Indicator.SATISFACTION: ("satisfaction", 100.0),
    Indicator.EASE_OF_USE: ("ces", 1.0),
    Indicator.NPS: ("nps", 1.0),
}


@dataclass(frozen=True)
class OurValue:
    """Our value of one indicator over one period and scope, with its n and why it is absent."""

    value: float | None
    n: int | None = None
    note: str = ""


def our_value_note(indicator: str) -> str:
    """Why we have no value of our own for an indicator, for the page and the API."""
    if indicator in OWN_KPI_FIELDS:
        return _("No contacts in this scope and period.")
    if indicator in SURVEY_MEASURES:
        return _("No survey answers to this question in this period.")
    return _("No data yet.")


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

    @cached_property  # the same in every language; read per cell, chart point and row
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
    scope: str
    scope_label: str
    ours_n: int | None
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
    queues: tuple[str, ...] = ()


def _latest_peer_period() -> QuerySet[PeerIndicatorValue, tuple[date]]:
    """The latest ``period_end`` (a required column: the same as its ``Max``) as a read
    that can be kept compiled (an aggregate cannot)."""
    return PeerIndicatorValue.objects.order_by("-period_end").values_list("period_end")[:1]


#: The benchmark page's reads, compiled once per database: building and compiling them cost
#: more than running them (a few hundred peer values, a dozen offerings).
_LATEST_PEER_PERIOD_READ = CompiledRead(_latest_peer_period, model=PeerIndicatorValue)


def default_range() -> tuple[date, date]:
    """The six months ending with the latest peer period (or this month when there is none)."""
    found = _LATEST_PEER_PERIOD_READ.rows()
    latest = found[0][0] if found else None
    end = latest or timezone.localdate(now())
    start = end.replace(day=1)
    for _i in range(DEFAULT_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


def our_values(
    start: date,
    end: date,
    *,
    scope: str = Scope.VOICE,
    queues: Sequence[str] = (),
) -> dict[str, float | None]:
    """Our KPI values over ``start``–``end`` (both days included) from the operations engine,
    on the channels of ``scope`` (voice by default, as peers publish hotline figures) and,
    when given, only the ``queues`` (codes)."""
    return {k: v.value for k, v in our_readings(start, end, scope=scope, queues=queues).items()}


def our_readings(
    start: date,
    end: date,
    *,
    scope: str = Scope.VOICE,
    queues: Sequence[str] = (),
) -> dict[str, OurValue]:
    """:func:`our_values` with the n behind each (offered or answered contacts)."""
    from yuqi.operations.kpi.selectors import kpi_table

    row = kpi_table(
        date_from=start,
        date_to=end,
        channels=scope_channels(scope),
        queues=list(queues) or None,
        agent_time=False,  # no occupancy among the benchmarked KPIs: agent states not summed
    )[0]
    return _readings_of(row.values)


def _readings_of(values: KpiValues) -> dict[str, OurValue]:
    out: dict[str, OurValue] = {}
    for indicator, fields in OWN_KPI_FIELDS.items():
        value = None
        for name in fields:
            value = getattr(values, name)
            if value is not None:
                break
        n = values.answered if indicator in (Indicator.ASA_SECONDS, Indicator.FCR) else None
        out[indicator] = OurValue(
            None if value is None else float(value), n=n if n is not None else values.offered
        )
    return out


def _is_month(period: Period) -> bool:
    return period.start.day == 1 and period.end == _month_end(period.start)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _monthly_readings(
    scope: str, periods: Sequence[Period], queues: Sequence[str]
) -> dict[Period, dict[str, OurValue]]:
    """Our readings of the calendar-month ``periods`` of one scope from one KPI query grouped
    by month over their span: the contacts of a month's group are exactly that period's.
    A month without a group (no contacts) is left out, so the caller reads it alone and
    shows exactly what its own ungrouped total reads."""
    from yuqi.operations.kpi.selectors import kpi_table

    months = sorted({p for p in periods if _is_month(p)}, key=lambda p: p.start)
    if len(months) < 2:
        return {}
    rows = kpi_table(
        date_from=months[0].start,
        date_to=months[-1].end,
        by=["month"],
        channels=scope_channels(scope),
        queues=list(queues) or None,
        agent_time=False,
    )
    by_month = {row.keys["month"]: row.values for row in rows}
    return {p: _readings_of(by_month[p.start]) for p in months if p.start in by_month}


def our_survey_value(indicator: str, start: date, end: date) -> OurValue:
    """Our satisfaction (CSAT %), ease of use (CES mean) or NPS from the surveys' measures."""
    code, factor = SURVEY_MEASURES[indicator]
    source = measure_source(code)
    if source is None:
        return OurValue(None, note=_("The surveys are not installed."))
    reading = source(start, end)
    if reading.value is None:
        return OurValue(None, note=reading.reason)
    return OurValue(reading.value * factor, n=reading.n, note=reading.note)


def queue_options() -> list[tuple[str, str]]:
    """(code, name) of every queue, for the benchmark page's queue filter."""
    from yuqi.operations.kpi.selectors import queue_choices

    return queue_choices()


def _all_targets() -> QuerySet[IndicatorTarget]:
    return IndicatorTarget.objects.all()


_TARGETS_READ = CompiledRead(_all_targets, model=IndicatorTarget)


def _targets() -> dict[str, float]:
    return {t.indicator: float(t.target) for t in _TARGETS_READ.objects()}


def _peer_values(
    *, period_from: date, period_to: date
) -> QuerySet[PeerIndicatorValue, tuple[str, str, date, date, str, Decimal]]:
    return (
        PeerIndicatorValue.objects.filter(period_start__gte=period_from, period_end__lte=period_to)
        .order_by("period_start", "period_end", "peer__name")
        .values_list("indicator", "scope", "period_start", "period_end", "peer__name", "value")
    )  # plain rows: several hundred values, two model instances each otherwise


_PEER_VALUES_READ = CompiledRead(
    _peer_values,
    model=PeerIndicatorValue,
    period_from=PeerIndicatorValue._meta.get_field("period_start"),
    period_to=PeerIndicatorValue._meta.get_field("period_end"),
)


def _default_scope(indicator: str) -> str:
    return Scope.ALL if indicator in SURVEY_INDICATORS else Scope.VOICE


def benchmark_report(
    *, period_from: date, period_to: date, queues: Sequence[str] = ()
) -> BenchmarkReport:
    """Every indicator and scope with peer values in periods inside ``period_from``–
    ``period_to``; ours on the same scope, narrowed to ``queues`` (codes) when given."""
    values = _PEER_VALUES_READ.rows(period_from=period_from, period_to=period_to)
    by_key: dict[tuple[str, str], dict[Period, list[PeerPoint]]] = defaultdict(
        lambda: defaultdict(list)
    )
    seen: dict[tuple[date, date], Period] = {}
    for indicator, scope, start, end, peer, value in values:
        period = seen.get((start, end))
        if period is None:
            period = seen[(start, end)] = Period(start, end)
        by_key[(indicator, scope)][period].append(PeerPoint(peer, float(value)))
    cache: dict[tuple, OurValue] = {}
    _prefetch_kpis(by_key, cache, tuple(queues))
    targets = _targets()
    indicators = []
    with reading_scope():  # one survey analysis per period serves CSAT, CES and NPS
        for indicator in Indicator.values:
            scopes = [scope for scope in Scope.values if (indicator, scope) in by_key]
            if not scopes and indicator in targets:
                scopes = [_default_scope(indicator)]
            for scope in scopes:
                periods = dict(
                    sorted(by_key.get((indicator, scope), {}).items(), key=lambda kv: kv[0].start)
                )
                indicators.append(
                    _indicator_benchmark(
                        indicator, scope, periods, targets.get(indicator), cache, tuple(queues)
                    )
                )
    return BenchmarkReport(period_from, period_to, tuple(indicators), tuple(queues))


def _prefetch_kpis(
    by_key: dict[tuple[str, str], dict[Period, list[PeerPoint]]],
    cache: dict[tuple, OurValue],
    queues: tuple[str, ...],
) -> None:
    """Fill ``cache`` as :func:`_ours` would for the KPI indicators' calendar-month periods,
    one grouped query per scope instead of one query per period and scope."""
    wanted: dict[str, set[Period]] = defaultdict(set)
    for (indicator, scope), peer_periods in by_key.items():
        if indicator in OWN_KPI_FIELDS:
            wanted[scope].update(peer_periods)
    for scope, periods in wanted.items():
        for period, readings in _monthly_readings(
            scope, sorted(periods, key=_start), queues
        ).items():
            for name, reading in readings.items():
                cache[("kpi", scope, period, name)] = reading
            cache[("kpi", scope, period)] = OurValue(None)


def _start(period: Period) -> date:
    return period.start


def _ours(
    indicator: str,
    scope: str,
    period: Period,
    cache: dict[tuple, OurValue],
    queues: tuple[str, ...],
) -> OurValue:
    if indicator in SURVEY_MEASURES:
        key: tuple = ("survey", indicator, period)
        if key not in cache:
            cache[key] = our_survey_value(indicator, period.start, period.end)
        return cache[key]
    if indicator not in OWN_KPI_FIELDS:
        return OurValue(None, note=our_value_note(indicator))
    key = ("kpi", scope, period)
    if key not in cache:
        for name, reading in our_readings(
            period.start, period.end, scope=scope, queues=queues
        ).items():
            cache[("kpi", scope, period, name)] = reading
        cache[key] = OurValue(None)
    return cache[("kpi", scope, period, indicator)]


def _indicator_benchmark(
    indicator: str,
    scope: str,
    periods: dict[Period, list[PeerPoint]],
    target: float | None,
    cache: dict[tuple, OurValue],
    queues: tuple[str, ...],
) -> IndicatorBenchmark:
    direction = direction_of(indicator)
    ordered = list(periods)
    readings = tuple(_ours(indicator, scope, p, cache, queues) for p in ordered)
    ours_series = tuple(r.value for r in readings)
    stats = [position(None, [pt.value for pt in periods[p]], direction) for p in ordered]
    latest = ordered[-1] if ordered else None
    peers = tuple(periods[latest]) if latest else ()
    ours = ours_series[-1] if ordered else None
    last = readings[-1] if readings else OurValue(None)
    return IndicatorBenchmark(
        indicator=indicator,
        label=str(Indicator(indicator).label),
        scope=scope,
        scope_label=str(Scope(scope).label),
        ours_n=last.n if ours is not None else None,
        direction=direction,
        period=latest,
        peers=peers,
        ours=ours,
        ours_note=last.note if ours is not None else (last.note or our_value_note(indicator)),
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


_PEER_HOLDINGS_READ = CompiledRead(
    lambda: PeerOffering.objects.values_list("peer__name", "offering__code"), model=PeerOffering
)
_OUR_OFFERINGS_READ = CompiledRead(
    lambda: OurOffering.objects.values_list("offering__code"), model=OurOffering
)
_OFFERINGS_READ = CompiledRead(lambda: Offering.objects.all(), model=Offering)


def offering_table() -> OfferingTable:
    """他有我无 and 我有他无 over the peer centres whose offerings are on record (a peer
    imported with indicators only is left out rather than counted as offering nothing)."""
    holdings: dict[str, set[str]] = defaultdict(set)
    for name, code in _PEER_HOLDINGS_READ.rows():
        holdings[name].add(code)
    ours = {code for (code,) in _OUR_OFFERINGS_READ.rows()}
    comparison: OfferingComparison = compare_offerings(holdings, ours)
    names = {o.code: o for o in _OFFERINGS_READ.objects()}

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
