"""``{% pyramid_table table empty %}``: one of the pyramid page's tables (headers and rows,
``table`` as ``(headers, rows)``), written in one pass instead of an included template with a
loop of cells per row. The same HTML as ``operations/pyramid_table.html`` included with
``table`` (and ``empty``, the text of a table without rows): the first cell of a row is its
header, an empty value a dash, every value escaped and localised as ``{{ cell }}`` would be
(``tests/operations/test_pyramid_tables.py`` compares the two)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def pyramid_table(context: template.Context, table: Sequence[Any], empty: Any = "") -> SafeString:
    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    headers, rows = table[0], table[1]
    parts = ['<table class="table">\n  <thead><tr>']
    for position, header in enumerate(headers):
        parts.append(f'<th class="num">{v(header)}</th>' if position else f"<th>{v(header)}</th>")
    parts.append("</tr></thead>\n  <tbody>\n  ")
    for row in rows or ():
        parts.append("\n    <tr>")
        for position, cell in enumerate(row):
            if position == 0:
                parts.append(f'<th scope="row">{v(cell)}</th>')
            else:
                parts.append(f'<td class="num">{"–" if cell is None else v(cell)}</td>')
        parts.append("</tr>\n  ")
    if not rows:
        parts.append(
            f'\n    <tr><td colspan="{v(len(headers))}" class="muted">{v(empty)}</td></tr>\n  '
        )
    parts.append("\n  </tbody>\n</table>\n")
    return mark_safe("".join(parts))  # every value escaped above
