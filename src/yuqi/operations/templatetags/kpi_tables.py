"""The KPI explorer's table (``operations/kpi_results.html``), written in one pass instead of
a template loop over every cell: a week by day is over a hundred cells, a month by queue and
day thousands, each a few template nodes.

``{% kpi_table_headers table by %}`` gives the header cells, ``{% kpi_table_rows table by %}``
the body's rows (or the empty table's row): the same HTML as the loops they replaced, every
value localised and escaped as ``{{ cell }}`` would be (``tests/operations/test_kpi_tables.py``
compares them in Chinese and English)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def kpi_table_headers(context: template.Context, table: Any, by: Sequence[str]) -> SafeString:
    """``<th>`` per header; the measures' (after the ``by`` keys) right-aligned."""
    keys = len(by)
    return mark_safe(  # every header escaped
        "".join(
            f'<th class="num">{render_value_in_context(header, context)}</th>'
            if position >= keys
            else f"<th>{render_value_in_context(header, context)}</th>"
            for position, header in enumerate(table.headers)
        )
    )


@register.simple_tag(takes_context=True)
def kpi_table_rows(context: template.Context, table: Any, by: Sequence[str]) -> SafeString:
    """A ``<tr>`` per row: the keys (a dash for none), then the numbers (a dash titled "no
    data" where the measure's denominator is zero)."""

    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    if not table.rows:
        # ``{% translate "literal" %}`` is the template's own text: not escaped (nor here)
        text = gettext("No contacts in this period.")
        return mark_safe(  # the count escaped
            f'\n      <tr><td colspan="{v(len(table.headers))}">{text}</td></tr>\n    '
        )
    keys = len(by)
    # every cell of a dash is the same text: rendered once
    no_data = f'<td class="num"><span title="{gettext("no data")}">—</span></td>'
    parts = []
    for row in table.rows:
        cells = [f"<td>{v(cell or '—')}</td>" for cell in row[:keys]]
        cells.extend(
            no_data if cell is None else f'<td class="num">{v(cell)}</td>' for cell in row[keys:]
        )
        parts.append(f"\n      <tr>{''.join(cells)}</tr>\n    ")
    return mark_safe("".join(parts))  # every value escaped above
