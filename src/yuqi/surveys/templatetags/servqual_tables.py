"""``{% servqual_dimension_rows rows %}`` and ``{% servqual_item_rows rows %}``: the survey
analysis page's SERVQUAL gap tables (a row per dimension, a row per item), written in one
pass instead of template loops of some ten filtered cells per row. The same HTML as the
loops they replaced: numbers through the same ``floatformat`` and ``widthratio`` arithmetic,
every value escaped and localised as ``{{ value }}`` would be
(``tests/surveys/test_servqual_tables.py`` compares the two)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _gap_cells(context: template.Context, row: Any) -> str:
    """Expectation, perception, the gap (``bad`` below zero) and its interval, as drawn."""
    gap = getattr(row, "gap", None)
    value = getattr(gap, "value", None)
    try:
        below = value is not None and value < 0
    except TypeError:
        below = False
    low = getattr(gap, "ci_low", None)
    interval = (
        f"{floatformat(low, 2)} – {floatformat(getattr(gap, 'ci_high', None), 2)}"
        if low is not None
        else "—"
    )
    return (
        f'<td class="num">{floatformat(row.expectation, 2)}</td>'
        f'<td class="num">{floatformat(row.perception, 2)}</td>\n'
        f'        <td class="num {"bad" if below else "ok"}">{floatformat(value, 2)}</td>\n'
        f'        <td class="num">{interval}</td>'
    )


def _percent(value: Any) -> str:
    """``{% widthratio value 1 100 %}``."""
    try:
        return str(round(float(value) / 1.0 * 100))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""


@register.simple_tag(takes_context=True)
def servqual_dimension_rows(context: template.Context, rows: Iterable[Any]) -> SafeString:
    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    parts = []
    for label, d in rows or ():
        importance = f"{_percent(d.importance)}%" if d.importance is not None else "—"
        parts.append(
            f"\n      <tr><td>{v(label)}</td>{_gap_cells(context, d)}\n"
            f'        <td class="num">{v(d.n)}</td><td class="num">{importance}</td></tr>\n    '
        )
    return mark_safe("".join(parts))  # every value escaped above or a formatted number


@register.simple_tag(takes_context=True)
def servqual_item_rows(context: template.Context, rows: Iterable[Any]) -> SafeString:
    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    parts = []
    for dimension, i in rows or ():
        parts.append(
            f"\n      <tr><td><code>{v(i.key)}</code></td><td>{v(dimension)}</td>"
            f"<td>{v(i.label)}</td>{_gap_cells(context, i)}"
            f'<td class="num">{v(i.n)}</td></tr>\n    '
        )
    return mark_safe("".join(parts))  # every value escaped above or a formatted number
