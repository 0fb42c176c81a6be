"""``{% benchmark_rows cards %}`` and ``{% benchmark_charts cards %}``: the benchmarks page's
indicator table rows and chart cards, written in one pass instead of template loops of a
dozen cells and conditions per indicator (the page's rendering was most of its time); and
``{% offering_rows rows n_peers LANGUAGE_CODE %}`` and ``{% queue_checkboxes options
queues %}``, the offering tables' rows and the queue filter's boxes likewise. The same HTML as
the loops they replaced: every value escaped and localised as ``{{ value }}`` would be, the
charts' JSON as ``json_script`` writes it (``tests/insights/test_benchmark_table.py`` compares
the two in Chinese and English)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.core.template_values import shown

register = template.Library()


@register.simple_tag(takes_context=True)
def benchmark_rows(context: template.Context, cards: Sequence[dict[str, Any]]) -> SafeString:
    """The ``<tr>`` of each indicator card (and its note's row), as the table's loop drew."""

    def v(value: Any) -> str:
        if type(value) is str and context.autoescape:  # what the general path gives a text
            return escape(value)
        return render_value_in_context(value, context)

    no_data = conditional_escape(gettext("No data yet"))
    parts: list[str] = []
    for card in cards:
        item = card["item"]
        pos = item.position
        arrow = "↓" if item.direction == "lower" else "↑"
        period = item.period.label if item.period is not None else ""
        if item.ours is None:
            title = v(item.ours_note)
            ours = f'\n        <td class="num muted" title="{title}">{no_data}</td>\n      '
        else:
            n = (
                f'<br><small class="muted">n = {v(item.ours_n)}</small>'
                if item.ours_n is not None
                else ""
            )
            ours = f'<td class="num" data-value="{v(item.ours)}">{v(card["ours"])}{n}</td>'
        percentile = "–" if card["percentile"] is None else v(card["percentile"])
        rank = f"{v(pos.rank)} / {v(int(pos.n_peers) + 1)}" if pos.rank else "–"
        parts.append(
            f'\n    <tr data-indicator="{v(item.indicator)}" data-scope="{v(item.scope)}">\n'
            f'      <td>{v(item.label)} <span class="muted">{arrow}</span>\n'
            f'        <br><small class="badge muted">{v(item.scope_label)}</small></td>\n'
            f"      <td>{v(period) if period else '–'}</td>\n"
            f"      {ours}\n"
            f'      <td class="num">{v(pos.n_peers)}</td>\n'
            f'      <td class="num">{v(card["best"])}</td>'
            f'<td class="num">{v(card["median"])}</td>\n'
            f'      <td class="num">{percentile}</td>\n'
            f'      <td class="num">{rank}</td>\n'
            f'      <td class="num">{v(card["gap_to_best"])}</td>'
            f'<td class="num">{v(card["target"])}</td>\n'
            f'      <td class="num">{v(card["gap_to_target"])}</td><td>{v(card["trend"])}</td>\n'
            "    </tr>\n    "
        )
        if item.ours_note:
            parts.append(
                f'<tr><td colspan="12" class="hint">{v(item.label)} ({v(item.scope_label)}): '
                f"{v(item.ours_note)}</td></tr>"
            )
        parts.append("\n  ")
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag(takes_context=True)
def benchmark_charts(context: template.Context, cards: Sequence[dict[str, Any]]) -> SafeString:
    """The chart card (``<section>``) of each indicator, as the charts' loop drew."""

    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    no_peers = conditional_escape(gettext("No peer values in this range."))
    parts: list[str] = []
    for card in cards:
        item = card["item"]
        parts.append(
            '\n  <section class="card">\n'
            f'    <h3>{v(item.label)} <small class="muted">{v(item.scope_label)}</small></h3>\n    '
        )
        if card["strip_chart"]:
            parts.append(
                '\n      <div class="chart" data-height="140" data-echarts>'
                f"{json_script(card['strip_chart'], card['chart_id'])}</div>\n    "
            )
        else:
            parts.append(f'<p class="muted">{no_peers}</p>')
        parts.append("\n    ")
        if card["trend_chart"]:
            parts.append(
                '\n      <div class="chart" data-echarts>'
                f"{json_script(card['trend_chart'], '')}</div>\n    "
            )
        parts.append("\n  </section>\n")
    return mark_safe("".join(parts))  # every value escaped above, the JSON by json_script


@register.simple_tag
def offering_rows(rows: Sequence[Any], n_peers: int, language: str) -> SafeString:
    """The ``<tr>`` of each offering row (他有我无 or 我有他无), as the table's loop drew (its
    ``{% empty %}`` row stays in the template); the English name first where there is one."""
    total = shown(n_peers)
    parts: list[str] = []
    for row in rows:
        if language == "en" and row.name_en:
            name = f'{shown(row.name_en)} <span class="muted">{shown(row.name)}</span>'
        else:
            name = shown(row.name)
        peers = "、".join(conditional_escape(peer) for peer in row.peers)  # |join:"、"
        parts.append(
            f'\n    <tr data-offering="{shown(row.code)}"><td>{name}</td>\n'
            f'      <td class="num">{shown(row.peer_count)} / {total}</td><td>{peers}</td></tr>\n  '
        )
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag
def queue_checkboxes(options: Sequence[tuple[Any, Any]], queues: Collection[Any]) -> SafeString:
    """The queue filter's check boxes, ``queues`` ticked, as the form's loop drew."""
    return mark_safe(  # every value escaped
        "".join(
            f'<label><input type="checkbox" name="queue" value="{shown(code)}"'
            f"{' checked' if code in queues else ''}> {shown(name)}</label>"
            for code, name in options
        )
    )
