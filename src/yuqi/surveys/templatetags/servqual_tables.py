"""``{% servqual_dimension_rows rows %}`` and ``{% servqual_item_rows rows %}``: the survey
analysis page's SERVQUAL gap tables (a row per dimension, a row per item), written in one
pass instead of template loops of some ten filtered cells per row. The same HTML as the
loops they replaced: numbers through the same ``floatformat`` and ``widthratio`` arithmetic
(:mod:`yuqi.surveys.shown_numbers`), every value escaped and localised as ``{{ value }}``
would be (``yuqi.core.template_values.shown``; ``tests/surveys/test_servqual_tables.py``
compares the two)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from yuqi.core.template_values import shown
from yuqi.surveys.shown_numbers import decimals, percent

register = template.Library()


def _gap_cells(fixed: Callable[[Any], str], row: Any) -> str:
    """Expectation, perception, the gap (``bad`` below zero) and its interval, as drawn
    (``fixed`` is ``floatformat:2``)."""
    gap = getattr(row, "gap", None)
    value = getattr(gap, "value", None)
    try:
        below = value is not None and value < 0
    except TypeError:
        below = False
    low = getattr(gap, "ci_low", None)
    interval = f"{fixed(low)} – {fixed(getattr(gap, 'ci_high', None))}" if low is not None else "—"
    return (
        f'<td class="num">{fixed(row.expectation)}</td>'
        f'<td class="num">{fixed(row.perception)}</td>\n'
        f'        <td class="num {"bad" if below else "ok"}">{fixed(value)}</td>\n'
        f'        <td class="num">{interval}</td>'
    )


@register.simple_tag
def servqual_dimension_rows(rows: Iterable[Any]) -> SafeString:
    fixed = decimals(2)
    parts = []
    for label, d in rows or ():
        importance = f"{percent(d.importance)}%" if d.importance is not None else "—"
        parts.append(
            f"\n      <tr><td>{shown(label)}</td>{_gap_cells(fixed, d)}\n"
            f'        <td class="num">{shown(d.n)}</td><td class="num">{importance}</td></tr>\n    '
        )
    return mark_safe("".join(parts))  # every value escaped above or a formatted number


@register.simple_tag
def servqual_item_rows(rows: Iterable[Any]) -> SafeString:
    fixed = decimals(2)
    parts = []
    for dimension, i in rows or ():
        parts.append(
            f"\n      <tr><td><code>{shown(i.key)}</code></td><td>{shown(dimension)}</td>"
            f"<td>{shown(i.label)}</td>{_gap_cells(fixed, i)}"
            f'<td class="num">{shown(i.n)}</td></tr>\n    '
        )
    return mark_safe("".join(parts))  # every value escaped above or a formatted number
