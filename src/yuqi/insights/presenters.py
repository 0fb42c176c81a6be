"""Benchmark tables and ECharts options, built once for the page and the downloads."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.insights.selectors import (
    RATE_INDICATORS,
    BenchmarkReport,
    IndicatorBenchmark,
    OfferingTable,
    format_gap,
    format_value,
)

OURS_COLOUR = "#c0392b"
PEER_COLOUR = "#0b6e4f"


def _shown(indicator: str, value: float | None) -> float | None:
    """Chart scale: rates in percent, the rest as stored."""
    if value is None:
        return None
    return round(value * 100, 2) if indicator in RATE_INDICATORS else round(value, 2)


def strip_chart(item: IndicatorBenchmark) -> dict[str, Any]:
    """Peers' values as dots on one line, ours as a red diamond, the target as a line."""
    code = item.indicator
    series: list[dict[str, Any]] = [
        {
            "name": _("Peers"),
            "type": "scatter",
            "symbolSize": 12,
            "itemStyle": {"color": PEER_COLOUR, "opacity": 0.75},
            "data": [{"value": [_shown(code, p.value), 0], "name": p.peer} for p in item.peers],
        }
    ]
    if item.ours is not None:
        ours: dict[str, Any] = {
            "name": _("Us"),
            "type": "scatter",
            "symbol": "diamond",
            "symbolSize": 20,
            "itemStyle": {"color": OURS_COLOUR},
            "data": [{"value": [_shown(code, item.ours), 0], "name": _("Us")}],
        }
        series.append(ours)
    if item.target is not None:
        series[0]["markLine"] = {
            "symbol": "none",
            "label": {"formatter": _("target"), "position": "start"},
            "lineStyle": {"type": "dashed"},
            "data": [{"xAxis": _shown(code, item.target)}],
        }
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c}"},
        "legend": {"top": 0},
        "grid": {"left": 16, "right": 24, "top": 28, "bottom": 24, "containLabel": True},
        "xAxis": {"type": "value", "scale": True, "inverse": item.direction == "lower"},
        "yAxis": {"type": "category", "data": [""], "show": False},
        "series": series,
    }


def trend_chart(item: IndicatorBenchmark) -> dict[str, Any]:
    code = item.indicator

    def line(name: str, values: tuple[float | None, ...], colour: str, dashed: bool) -> dict:
        return {
            "name": name,
            "type": "line",
            "connectNulls": False,
            "itemStyle": {"color": colour},
            "lineStyle": {"type": "dashed" if dashed else "solid"},
            "data": [_shown(code, v) for v in values],
        }

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 16, "right": 24, "top": 28, "bottom": 24, "containLabel": True},
        "xAxis": {"type": "category", "data": [p.label for p in item.periods]},
        "yAxis": {"type": "value", "scale": True, "inverse": item.direction == "lower"},
        "series": [
            line(_("Us"), item.ours_by_period, OURS_COLOUR, False),
            line(_("Best peer"), item.best_by_period, PEER_COLOUR, False),
            line(_("Peers' median"), item.median_by_period, "#7f8c8d", True),
        ],
    }


TREND_LABELS = {
    "closing": gettext_lazy("Gap closing"),
    "widening": gettext_lazy("Gap widening"),
    "steady": gettext_lazy("Gap steady"),
    "leading": gettext_lazy("We lead"),
    "unknown": gettext_lazy("Not enough periods"),
}


def trend_label(status: str) -> str:
    return str(TREND_LABELS.get(status, status))


def benchmark_table(report: BenchmarkReport) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Indicator"),
        _("Scope"),
        _("Direction"),
        _("Period"),
        _("Our value"),
        _("Our n"),
        _("Peers"),
        _("Best peer"),
        _("Peers' median"),
        _("Percentile"),
        _("Rank"),
        _("Gap to best"),
        _("Gap to median"),
        _("Target"),
        _("Gap to target"),
        _("Trend"),
        _("Note"),
    ]
    rows = []
    for item in report.indicators:
        pos = item.position
        rows.append(
            [
                item.label,
                item.scope_label,
                _("Higher is better") if item.direction == "higher" else _("Lower is better"),
                item.period.label if item.period else "",
                item.ours,
                item.ours_n,
                pos.n_peers,
                pos.best,
                pos.median,
                None if pos.percentile is None else round(pos.percentile, 4),
                pos.rank,
                pos.gap_to_best,
                pos.gap_to_median,
                item.target,
                pos.gap_to_target,
                trend_label(item.trend.status),
                item.ours_note,
            ]
        )
    return headers, rows


def offering_rows(table: OfferingTable) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Table"),
        _("Code"),
        _("Offering"),
        _("Offering (English)"),
        _("Peers"),
        _("Share of peers"),
        _("Which peers"),
    ]
    rows = [
        [
            _("They have, we do not"),
            r.code,
            r.name,
            r.name_en,
            r.peer_count,
            round(r.share, 4),
            "、".join(r.peers),
        ]
        for r in table.they_have
    ] + [
        [
            _("We have, they do not"),
            r.code,
            r.name,
            r.name_en,
            r.peer_count,
            round(r.share, 4),
            "、".join(r.peers),
        ]
        for r in table.we_have
    ]
    return headers, rows


def indicator_cards(report: BenchmarkReport) -> list[dict[str, Any]]:
    """What the page shows per indicator, formatted."""
    cards = []
    for item in report.indicators:
        pos, code = item.position, item.indicator
        cards.append(
            {
                "item": item,
                "ours": format_value(code, item.ours),
                "best": format_value(code, pos.best),
                "median": format_value(code, pos.median),
                "target": format_value(code, item.target),
                "gap_to_best": format_gap(code, pos.gap_to_best),
                "gap_to_target": format_gap(code, pos.gap_to_target),
                "percentile": None if pos.percentile is None else round(pos.percentile * 100),
                "trend": trend_label(item.trend.status),
                "strip_chart": strip_chart(item) if item.peers else None,
                "trend_chart": trend_chart(item) if len(item.periods) > 1 else None,
                "chart_id": f"bench-{code}-{item.scope}",
            }
        )
    return cards
