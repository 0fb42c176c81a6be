"""What other contexts may read from insights (the expectation register, the evaluation run):
frozen dataclasses, no models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yuqi.insights import selectors


@dataclass(frozen=True)
class BenchmarkGap:
    """Our standing on one indicator in the latest peer period of a range.

    Gaps are shortfalls in the indicator's unit (positive = we are behind); ``percentile`` is
    the share of peers we beat, ties counting half; ``None`` where we have no value yet.
    """

    indicator: str
    label: str
    direction: str
    period_start: date | None
    period_end: date | None
    ours: float | None
    n_peers: int
    best: float | None
    median: float | None
    percentile: float | None
    gap_to_best: float | None
    gap_to_median: float | None
    target: float | None
    gap_to_target: float | None
    trend: str


@dataclass(frozen=True)
class OfferingGapFact:
    """An offering on one side only: ``they_have`` (他有我无) or ``we_have`` (我有他无)."""

    side: str
    code: str
    name: str
    peer_count: int
    n_peers: int
    peers: tuple[str, ...]


def benchmark_gaps(*, period_from: date, period_to: date) -> tuple[BenchmarkGap, ...]:
    report = selectors.benchmark_report(period_from=period_from, period_to=period_to)
    return tuple(
        BenchmarkGap(
            indicator=item.indicator,
            label=item.label,
            direction=str(item.direction),
            period_start=item.period.start if item.period else None,
            period_end=item.period.end if item.period else None,
            ours=item.ours,
            n_peers=item.position.n_peers,
            best=item.position.best,
            median=item.position.median,
            percentile=item.position.percentile,
            gap_to_best=item.position.gap_to_best,
            gap_to_median=item.position.gap_to_median,
            target=item.target,
            gap_to_target=item.position.gap_to_target,
            trend=str(item.trend.status),
        )
        for item in report.indicators
    )


def offering_gaps() -> tuple[OfferingGapFact, ...]:
    table = selectors.offering_table()
    return tuple(
        OfferingGapFact(side, r.code, r.name, r.peer_count, table.n_peers, r.peers)
        for side, rows in (("they_have", table.they_have), ("we_have", table.we_have))
        for r in rows
    )


def peer_values_record(records: list[dict]) -> tuple[int, int, int]:
    """Store peer indicator values measured by another context (the quality context's
    mystery-shopper test calls), each with its ``source`` (provenance), next to the imported
    ones; records as the peer importer's (peer, indicator, period_start, period_end, value,
    source). Returns (created, updated, unchanged)."""
    from yuqi.insights.services import peer_values_store

    result = peer_values_store(records=records)
    return result.created, result.updated, result.unchanged
