"""The measures as a table of cells: one source for the page, its chart and the downloads.

A cell is ``None`` when the measure has no data yet (its denominator is 0); the page shows
"no data yet" there and the download leaves the cell empty — never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from yuqi.complaints.choices import ClockKind
from yuqi.complaints.measures import CLOCK_KINDS, MeasureRow, PromiseMeasures

DIMENSION_LABELS = {
    "month": lambda: _("Month"),
    "week": lambda: _("Week"),
    "level": lambda: _("Level"),
    "team": lambda: _("Team"),
    "agent": lambda: _("Agent"),
    "tier": lambda: _("Tier"),
}


@dataclass(frozen=True)
class MeasureTable:
    headers: list[str]
    codes: list[str]  # a stable code per column (keys, then measures)
    rows: list[list[Any]]
    key_columns: int
    percent_columns: frozenset[int]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def measures_table(
    rows: Sequence[MeasureRow], by: Sequence[str], levels: Sequence[Any]
) -> MeasureTable:
    """Headers and cells: keys, then counts, rates (in %), costs."""
    clock_labels = dict(ClockKind.choices)
    columns: list[tuple[str, str, Any, bool]] = [
        ("opened", _("Complaints opened"), lambda m: m.opened, False),
    ]
    for kind in CLOCK_KINDS:
        columns.append(
            (
                f"sla_{kind}",
                _("SLA met: %(clock)s (%%)") % {"clock": clock_labels[kind]},
                lambda m, k=kind: _pct(m.sla_compliance(k)),
                True,
            )
        )
    columns += [
        (
            "sla_all",
            _("SLA met, all clocks due (%)"),
            lambda m: _pct(m.sla_compliance()),
            True,
        ),
        ("clocks_due", _("Clocks due in the period"), lambda m: m.clocks_due(), False),
        (
            "clocks_overdue",
            _("Of those, open and overdue"),
            lambda m: m.overdue(),
            False,
        ),
    ]
    for level in levels:
        columns.append(
            (
                f"escalated_{level.code}",
                _("Escalated from %(level)s (%%)") % {"level": level.label},
                lambda m, c=level.code: _pct(m.escalation_rate(c)),
                True,
            )
        )
    columns += [
        ("regulator", _("Regulator appeals"), lambda m: m.regulator if m.opened else None, False),
        (
            "regulator_per_10k",
            _("Regulator appeals per 10,000 customers"),
            lambda m: None if m.regulator_per_10k is None else round(m.regulator_per_10k, 2),
            False,
        ),
        ("reopen_rate", _("Reopen rate (%)"), lambda m: _pct(m.reopen_rate), True),
        (
            "recovery_cost",
            _("Recovery cost (yuan)"),
            lambda m: _money(m.recovery_cost_total),
            False,
        ),
        (
            "recovery_cost_per_complaint",
            _("Recovery cost per complaint (yuan)"),
            lambda m: _money(m.recovery_cost_per_complaint),
            False,
        ),
        ("solved_rate", _("Solved at callback, 对事 (%)"), lambda m: _pct(m.solved_rate), True),
        ("attitude_rate", _("Treated well, 对人 (%)"), lambda m: _pct(m.attitude_rate), True),
    ]
    headers = [str(DIMENSION_LABELS[key]()) for key in by] + [str(c[1]) for c in columns]
    codes = list(by) + [c[0] for c in columns]
    cells = [
        [row.labels.get(key, "") for key in by] + [c[2](row.measures) for c in columns]
        for row in rows
    ]
    percent = frozenset(len(by) + i for i, c in enumerate(columns) if c[3])
    return MeasureTable(headers, codes, cells, len(by), percent)


def promise_table(promises: PromiseMeasures) -> MeasureTable:
    """Promises due in the period: kept on time, late, broken, by agent then by kind."""
    headers = [
        _("Group"),
        _("Promises due"),
        _("Kept on time"),
        _("Fulfilled late"),
        _("Broken"),
        _("Open"),
        _("Kept-on-time rate (%)"),
    ]
    rows = []
    for title, group in ((_("Agent"), promises.by_agent), (_("Kind"), promises.by_kind)):
        for row in group:
            rows.append(
                [
                    f"{title}: {row.label}",
                    row.due,
                    row.kept_on_time,
                    row.fulfilled_late,
                    row.broken,
                    row.open,
                    _pct(row.kept_on_time_rate),
                ]
            )
    for row in promises.total:
        rows.append(
            [
                _("All promises"),
                row.due,
                row.kept_on_time,
                row.fulfilled_late,
                row.broken,
                row.open,
                _pct(row.kept_on_time_rate),
            ]
        )
    codes = ["group", "due", "kept", "late", "broken", "open", "kept_rate"]
    return MeasureTable([str(h) for h in headers], codes, rows, 1, frozenset({6}))


def chart_option(table: MeasureTable, by: Sequence[str]) -> dict[str, Any]:
    """An ECharts option: complaints opened (bars) and the SLA/satisfaction rates (lines)."""
    column = {code: i for i, code in enumerate(table.codes)}
    categories = [
        " · ".join(str(c) for c in row[: table.key_columns]) or _("All") for row in table.rows
    ]

    def series(code: str, kind: str, axis: int) -> dict[str, Any]:
        return {
            "name": table.headers[column[code]],
            "type": kind,
            "yAxisIndex": axis,
            "data": [row[column[code]] for row in table.rows],
            **({"connectNulls": False} if kind == "line" else {}),
        }

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 48, "right": 48, "top": 40, "bottom": 40},
        "xAxis": {"type": "category", "data": categories},
        "yAxis": [
            {"type": "value", "name": _("Complaints"), "minInterval": 1},
            {"type": "value", "name": "%", "min": 0, "max": 100},
        ],
        "series": [
            series("opened", "bar", 0),
            series("sla_resolution", "line", 1),
            series("solved_rate", "line", 1),
            series("attitude_rate", "line", 1),
        ],
        "color": ["#9bb7d4", "#0b6e4f", "#d98c1f", "#c0392b"],
    }
