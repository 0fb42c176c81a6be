"""REST endpoints of the insights context (mounted under /api/v1/ in yuqi.config.api)."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from yuqi.core.api_access import api_requires
from yuqi.core.api_types import IsoDate
from yuqi.imports.bulk import bulk_load
from yuqi.imports.schemas import BulkIn, BulkOut, bulk_out
from yuqi.insights import selectors
from yuqi.insights.importing import PeerValueImporter
from yuqi.insights.selectors import IndicatorBenchmark

router = Router(tags=["insights"])
VIEW = "insights.view_insights"


class BenchmarkQueryIn(Schema):
    period_from: IsoDate | None = None
    period_to: IsoDate | None = None
    queues: str = Field(
        "",
        max_length=2000,
        description="Comma list of queue codes our value is computed on (default: every queue "
        "of the indicator's scope).",
    )


class PeerValueOut(Schema):
    peer: str
    value: float


class BenchmarkPeriodOut(Schema):
    start: date
    end: date
    label: str


class TrendOut(Schema):
    status: str  # closing, widening, steady, leading, unknown
    ours_slope: float | None  # our value's change per period (least squares)
    gap_slope: float | None  # the gap to the best peer's change per period


class IndicatorBenchmarkOut(Schema):
    """Rates are fractions in [0, 1], ASA in seconds. Gaps are shortfalls: positive = behind.
    ``percentile`` is the share of peers we beat, a tie counting half."""

    indicator: str
    label: str
    scope: str = Field(description="voice, chat, email or all: the contacts both values cover")
    direction: str
    period: BenchmarkPeriodOut | None
    ours: float | None
    ours_n: int | None = None
    ours_note: str
    peers: list[PeerValueOut]
    best: float | None
    median: float | None
    percentile: float | None
    rank: int | None
    gap_to_best: float | None
    gap_to_median: float | None
    target: float | None
    gap_to_target: float | None
    periods: list[BenchmarkPeriodOut]
    ours_by_period: list[float | None]
    best_by_period: list[float | None]
    median_by_period: list[float | None]
    trend: TrendOut


class BenchmarksOut(Schema):
    period_from: date
    period_to: date
    indicators: list[IndicatorBenchmarkOut]


class OfferingGapOut(Schema):
    code: str
    name: str
    name_en: str
    peer_count: int
    share: float
    peers: list[str]


class OfferingGapsOut(Schema):
    n_peers: int
    they_have: list[OfferingGapOut]  # 他有我无: peers that have it
    we_have: list[OfferingGapOut]  # 我有他无: peers that lack it


def _period(p: selectors.Period) -> dict:
    return {"start": p.start, "end": p.end, "label": p.label}


def _indicator_out(item: IndicatorBenchmark) -> dict:
    pos = item.position
    return {
        "indicator": item.indicator,
        "label": item.label,
        "scope": item.scope,
        "ours_n": item.ours_n,
        "direction": str(item.direction),
        "period": _period(item.period) if item.period else None,
        "ours": item.ours,
        "ours_note": item.ours_note,
        "peers": [{"peer": p.peer, "value": p.value} for p in item.peers],
        "best": pos.best,
        "median": pos.median,
        "percentile": pos.percentile,
        "rank": pos.rank,
        "gap_to_best": pos.gap_to_best,
        "gap_to_median": pos.gap_to_median,
        "target": item.target,
        "gap_to_target": pos.gap_to_target,
        "periods": [_period(p) for p in item.periods],
        "ours_by_period": list(item.ours_by_period),
        "best_by_period": list(item.best_by_period),
        "median_by_period": list(item.median_by_period),
        "trend": {
            "status": str(item.trend.status),
            "ours_slope": item.trend.ours_slope,
            "gap_slope": item.trend.gap_slope,
        },
    }


@router.get("/benchmarks", response=BenchmarksOut)
@api_requires(VIEW)
def benchmarks(request: HttpRequest, query: Query[BenchmarkQueryIn]) -> dict:
    """Our standing per indicator among the peers, for the periods inside the range (default:
    the six months ending with the latest peer period)."""
    start, end = selectors.default_range()
    start, end = query.period_from or start, query.period_to or end
    if end < start:
        raise ValidationError(
            [{"loc": ("query", "period_to"), "msg": _("The end date is before the start date.")}]
        )
    known = {code for code, _name in selectors.queue_options()}
    queues = [code for code in query.queues.split(",")[:50] if code.strip() in known]
    report = selectors.benchmark_report(period_from=start, period_to=end, queues=queues)
    return {
        "period_from": start,
        "period_to": end,
        "indicators": [_indicator_out(item) for item in report.indicators],
    }


@router.post("/benchmarks/peer-values", response=BulkOut)
@api_requires("insights.add_peerindicatorvalue", "insights.change_peerindicatorvalue")
def peer_values_bulk(request: HttpRequest, payload: BulkIn) -> dict:
    """Create or update up to 5,000 peer values by (peer, indicator, period), one result per
    item. Items: ``peer``, ``indicator``, ``period`` (``2026-05``) or ``period_start`` and
    ``period_end``, ``value`` (rates as 0.925 or "92.5%"), optional ``source``, ``industry``,
    ``region``."""
    return bulk_out(bulk_load(PeerValueImporter(), payload.items))


@router.get("/benchmarks/offering-gaps", response=OfferingGapsOut)
@api_requires(VIEW)
def offering_gaps(request: HttpRequest) -> dict:
    """他有我无 (offerings peers have and we do not) and 我有他无, most widespread first."""
    table = selectors.offering_table()

    def rows(items) -> list[dict]:
        return [
            {
                "code": r.code,
                "name": r.name,
                "name_en": r.name_en,
                "peer_count": r.peer_count,
                "share": r.share,
                "peers": list(r.peers),
            }
            for r in items
        ]

    return {
        "n_peers": table.n_peers,
        "they_have": rows(table.they_have),
        "we_have": rows(table.we_have),
    }


from yuqi.insights.register_api import register as _register_expectations  # noqa: E402

_register_expectations(router)
