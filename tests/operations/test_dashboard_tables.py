"""``{% dashboard_cards %}`` and ``{% dashboard_queue_rows %}`` draw the dashboard's cards and
queue lines exactly as the template loops they replaced: the figures as ``{% kpi_value %}``
prints them, targets and their absence, the service level's mark, the target as
``{% widthratio %}``, the wallboard links, the empty table's row and escaping, in Chinese
and English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from yuqi.domain.kpi import KpiCounts, kpi_values
from yuqi.operations.dashboard.selectors import Card, QueueLine

LOOPS = """{% load i18n yuqi_format %}<div class="cards">
  {% for card in cards %}
  <div class="card kpi kpi-{{ card.status }}">
    <div class="kpi-name">{% kpi_label card.kpi %}</div>
    <div class="kpi-value">{% kpi_value card.kpi card.value %}</div>
    <div class="kpi-sub">{% translate "previous 7 days" %}: {% kpi_value card.kpi card.week_average %}{% if card.target is not None %} · {% translate "target" %}: {% kpi_value card.kpi card.target %}{% endif %}</div>
  </div>
  {% endfor %}
</div>
  <tbody>
  {% for line in queues %}
    <tr>
      <td>{{ line.name }}</td><td class="num">{{ line.values.offered }}</td><td class="num">{{ line.values.answered }}</td><td class="num">{{ line.values.abandoned }}</td>
      <td class="num {% if line.meets_target is False %}bad{% elif line.meets_target %}ok{% endif %}">{% kpi_value "service_level" line.values.service_level %}</td>
      <td>{% widthratio line.sl_target 1 100 %}/{{ line.sl_seconds }}</td>
      <td class="num">{% kpi_value "asa" line.values.asa %}</td><td class="num">{% kpi_value "aht" line.values.aht %}</td>
      <td><a href="{% url 'operations:wallboard' line.code %}">{% translate "open" %}</a></td>
    </tr>
  {% empty %}
    <tr><td colspan="9">{% translate "No contacts on this day." %}</td></tr>
  {% endfor %}
  </tbody>"""  # noqa: E501 (operations/partials/dashboard_body.html's loops as they were)

TAGS = """{% load dashboard_tables %}<div class="cards">
  {% dashboard_cards cards %}
</div>
  <tbody>
  {% dashboard_queue_rows queues %}
  </tbody>"""

CARDS = [
    Card("service_level", 0.8234, 0.79, Decimal("0.80"), "ok"),
    Card("answer_rate", None, None, None, "none"),
    Card("asa", 12.5, 9.25, Decimal("20"), "warn"),
    Card("abandon_rate", 0.0, 0.031, Decimal("0.05"), "<bad>"),
    Card("fcr", 1, 0, None, "bad"),
]
BUSY = kpi_values(
    KpiCounts(
        offered=1234,
        answered=1200,
        abandoned=34,
        answered_within=1000,
        answered_wait_seconds=9000,
        talk_seconds=240_000,
        sl_offered=1234,
    )
)
EMPTY = kpi_values(KpiCounts(sl_offered=0))
QUEUES = [
    QueueLine("Q1", "售后 <VIP> & co", BUSY, Decimal("0.80"), 20, True),
    QueueLine("Q 2&x", 'Sales "west"', EMPTY, Decimal("0.855"), 30, None),
    QueueLine("Q3", "Billing", BUSY, Decimal("0.95"), 15, False),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("cards", "queues"), [(CARDS, QUEUES), ([], [])])
@pytest.mark.parametrize("with_request", [False, True])
def test_the_tags_equal_the_loops_they_replaced(language, cards, queues, with_request):
    engine = engines["django"]
    context = {"cards": cards, "queues": queues}
    request = None
    if with_request:
        request = RequestFactory().get("/operations/")
        request.resolver_match = resolve("/operations/")
    with translation.override(language):
        expected = engine.from_string(LOOPS).render(context, request)
        assert engine.from_string(TAGS).render(context, request) == expected
