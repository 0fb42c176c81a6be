"""``{% staffing_days days query %}``: the staffing plan's days (``operations/
staffing_plan_results.html``), one ``<details>`` each, written in one pass instead of a
template loop: a plan of weeks is dozens of days, each two URLs and two translated counts.

The same HTML as the loop it replaced: the open day's rows (``TableDay.body``) through
``operations/staffing_plan_day.html`` as its ``{% include %}`` did, a closed day loading
them when opened, the empty plan's text; every value localised and escaped as in the
template (``tests/operations/test_staffing_days.py`` compares them in Chinese and
English)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.template import Engine
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from yuqi.operations.templatetags._template_urls import template_url

register = template.Library()

DAY_TEMPLATE = "operations/staffing_plan_day.html"


def _engine(context: template.Context) -> Engine:
    """The engine of the template being rendered (``{% include %}``'s), else the default."""
    return context.template.engine if context.template is not None else Engine.get_default()


@register.simple_tag(takes_context=True)
def staffing_days(context: template.Context, days: Sequence[Any], query: Any) -> SafeString:
    def v(value: Any) -> str:
        return render_value_in_context(value, context)

    if not days:
        text = gettext("No calls and nobody working in this range.")
        return mark_safe(f'\n<p class="card">{text}</p>\n')  # the template's own text
    query_text = v(query)
    day_url = f"{template_url(context, 'operations:staffing_plan_day')}?{query_text}&amp;day="
    plan_url = f"{template_url(context, 'operations:staffing_plan')}?{query_text}&amp;open="
    # ``{% translate "literal" %}`` is the template's own text: not escaped (nor here)
    show = gettext("Show this day's intervals")
    parts = []
    for day in days:
        name = v(day.day)
        if day.body is not None:
            opening = " open"
        else:
            opening = (
                f' hx-get="{day_url}{name}" hx-trigger="toggle once"'
                ' hx-target="find .staffing-day-rows"'
            )
        # {% blocktranslate count %}: the count's text put into the translated message
        count = ngettext("%(n)s interval", "%(n)s intervals", day.count) % {"n": v(day.count)}
        staffed = ""
        if day.under or day.over:
            staffed = " · " + gettext("%(under)s under-staffed, %(over)s over-staffed") % {
                "under": v(day.under),
                "over": v(day.over),
            }
        rows: str
        if day.body is not None:
            with context.push(day=day):  # as {% include %} renders it
                rows = _engine(context).get_template(DAY_TEMPLATE).render(context)
        else:
            rows = (
                f'<div class="staffing-day-rows"><p class="muted"><a href="{plan_url}{name}">'
                f"{show}</a></p></div>"
            )
        parts.append(
            f'\n<details class="section staffing-day"{opening} data-day="{name}">'
            f'<summary>{name} <span class="muted">· {count}{staffed}</span></summary>\n'
            f"{rows}\n</details>\n"
        )
    return mark_safe("".join(parts))  # every value escaped above
