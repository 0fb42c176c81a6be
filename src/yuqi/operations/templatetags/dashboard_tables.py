"""The dashboard's cards and queue lines (``operations/partials/dashboard_body.html``), written
in one pass instead of template loops of a dozen nodes per card and per queue: the live page
is asked for again every minute by every open dashboard.

``{% dashboard_cards cards %}`` and ``{% dashboard_queue_rows queues %}`` give the same HTML
as the loops they replaced: the figures as ``{% kpi_value %}`` prints them, the target as
``{% widthratio target 1 100 %}``, every value escaped as in the template
(``tests/operations/test_dashboard_tables.py`` compares them in Chinese and English)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.core.templatetags.yuqi_format import kpi_label, kpi_value
from yuqi.operations.templatetags._template_urls import template_url

register = template.Library()


def _percent(value: Any) -> str:
    """What ``{% widthratio value 1 100 %}`` prints."""
    try:
        return str(round(float(value) / 1.0 * 100))
    except (ValueError, TypeError, OverflowError):
        return ""


@register.simple_tag(takes_context=True)
def dashboard_cards(context: template.Context, cards: Sequence[Any]) -> SafeString:
    """A card per KPI: its value today, the previous seven days' and the target if any."""
    # ``{% translate "literal" %}`` is the template's own text: not escaped (nor here)
    previous, target = gettext("previous 7 days"), gettext("target")

    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    parts = []
    for card in cards:
        code = card.kpi
        aimed = ""
        if card.target is not None:
            aimed = f" · {target}: {v(kpi_value(code, card.target))}"
        parts.append(
            f'\n  <div class="card kpi kpi-{v(card.status)}">\n'
            f'    <div class="kpi-name">{v(kpi_label(code))}</div>\n'
            f'    <div class="kpi-value">{v(kpi_value(code, card.value))}</div>\n'
            f'    <div class="kpi-sub">{previous}: '
            f"{v(kpi_value(code, card.week_average))}{aimed}</div>\n"
            "  </div>\n  "
        )
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag(takes_context=True)
def dashboard_queue_rows(context: template.Context, queues: Sequence[Any]) -> SafeString:
    """A row per queue (or the empty table's row): its counts, service level against its
    target, ASA, AHT and its wallboard's link."""

    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    if not queues:
        return mark_safe(
            f'\n    <tr><td colspan="9">{gettext("No contacts on this day.")}</td></tr>\n  '
        )
    open_text = gettext("open")
    parts = []
    for line in queues:
        values = line.values
        met = "bad" if line.meets_target is False else ("ok" if line.meets_target else "")
        wallboard = template_url(context, "operations:wallboard", line.code)
        parts.append(
            "\n    <tr>\n"
            f'      <td>{v(line.name)}</td><td class="num">{v(values.offered)}</td>'
            f'<td class="num">{v(values.answered)}</td><td class="num">{v(values.abandoned)}</td>\n'
            f'      <td class="num {met}">'
            f"{v(kpi_value('service_level', values.service_level))}</td>\n"
            f"      <td>{_percent(line.sl_target)}/{v(line.sl_seconds)}</td>\n"
            f'      <td class="num">{v(kpi_value("asa", values.asa))}</td>'
            f'<td class="num">{v(kpi_value("aht", values.aht))}</td>\n'
            f'      <td><a href="{wallboard}">{open_text}</a></td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))  # every value escaped above
