"""``{% staffing_days %}`` draws the staffing plan's days exactly as the template loop it
replaced: the open day's rows through ``operations/staffing_plan_day.html``, the closed days'
links, the interval counts (singular and plural), the under- and over-staffed counts, the
empty plan's text and escaping, in Chinese and English."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation
from django.utils.safestring import mark_safe

from yuqi.operations.staffing.views import Table, TableDay, TableRow

LOOP = """{% load i18n %}
{% for day in days %}
<details class="section staffing-day"{% if day.body is not None %} open{% else %} hx-get="{% url 'operations:staffing_plan_day' %}?{{ query }}&amp;day={{ day.day }}" hx-trigger="toggle once" hx-target="find .staffing-day-rows"{% endif %} data-day="{{ day.day }}"><summary>{{ day.day }} <span class="muted">· {% blocktranslate count n=day.count %}{{ n }} interval{% plural %}{{ n }} intervals{% endblocktranslate %}{% if day.under or day.over %} · {% blocktranslate with under=day.under over=day.over %}{{ under }} under-staffed, {{ over }} over-staffed{% endblocktranslate %}{% endif %}</span></summary>
{% if day.body is not None %}{% include "operations/staffing_plan_day.html" %}{% else %}<div class="staffing-day-rows"><p class="muted"><a href="{% url 'operations:staffing_plan' %}?{{ query }}&amp;open={{ day.day }}">{% translate "Show this day's intervals" %}</a></p></div>{% endif %}
</details>
{% empty %}
<p class="card">{% translate "No calls and nobody working in this range." %}</p>
{% endfor %}
"""  # noqa: E501 (operations/staffing_plan_results.html's loop as it was)

TAG = """{% load staffing_days %}
{% staffing_days days query %}
"""

TABLE = Table(("Day", "Time <t>"), (TableRow(("2026-12-01", "08:00"), "under"),))
DAYS = [
    TableDay("2026-12-01", 1, mark_safe('<tr class="status-under"><td>1</td></tr>'), 1, 0),
    TableDay("2026-12-02", 48, None, 3, 7),
    TableDay("2026-12-03", 96, None),
    TableDay("<2026-12-04>", 0, None, 0, 2),
]
QUERY = "queue=Q%26A&shrinkage=30&x=<y>"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("days", [DAYS, DAYS[1:], []])
@pytest.mark.parametrize("with_request", [False, True])
def test_the_tag_equals_the_loop_it_replaced(language, days, with_request):
    engine = engines["django"]
    context = {"days": days, "query": QUERY, "table": TABLE}
    request = None
    if with_request:
        request = RequestFactory().get("/operations/staffing/")
        request.resolver_match = resolve("/operations/staffing/")
    with translation.override(language):
        expected = engine.from_string(LOOP).render(context, request)
        assert engine.from_string(TAG).render(context, request) == expected
        if days:
            assert "staffing-day" in expected
