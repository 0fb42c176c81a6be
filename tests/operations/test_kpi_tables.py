"""``{% kpi_table_headers %}`` and ``{% kpi_table_rows %}`` draw the KPI explorer's table
exactly as the template loops they replaced: right-aligned measures, dashes for missing keys
and for no data (titled), the empty table's row, escaping and number formats, in Chinese and
English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from yuqi.operations.kpi.views import KpiTable

LOOPS = """{% load i18n %}<thead><tr>{% for header in table.headers %}<th{% if forloop.counter0 >= by|length %} class="num"{% endif %}>{{ header }}</th>{% endfor %}</tr></thead>
    <tbody>
    {% for row in table.rows %}
      <tr>{% for cell in row %}{% if forloop.counter0 < by|length %}<td>{{ cell|default:"—" }}</td>{% else %}<td class="num">{% if cell is None %}<span title="{% translate 'no data' %}">—</span>{% else %}{{ cell }}{% endif %}</td>{% endif %}{% endfor %}</tr>
    {% empty %}
      <tr><td colspan="{{ table.headers|length }}">{% translate "No contacts in this period." %}</td></tr>
    {% endfor %}
    </tbody>"""  # noqa: E501 (operations/kpi_results.html's loops as they were)

TAGS = """{% load kpi_tables %}<thead><tr>{% kpi_table_headers table by %}</tr></thead>
    <tbody>
    {% kpi_table_rows table by %}
    </tbody>"""

TABLES = [
    (["day"], KpiTable(["日", "Offered", "Rate (%)", "Occupancy (%)"], [
        ["2026-12-01", 1234567, 87.5, "needs agent states"],
        ["", 0, None, 0.0],
        [None, 3, -0.0, Decimal("12.30")],
    ], frozenset({2, 3}))),
    (["queue", "day"], KpiTable(["Queue <q>", "Day", "AHT (s)"], [
        ['售后 & "VIP"', "2026-12-02", 312.4],
        ["<script>", "2026-12-03", None],
    ], frozenset())),
    ([], KpiTable(["Offered", "Service level (%)"], [[12, 80.0]], frozenset({1}))),
    (["day"], KpiTable(["Day", "Offered"], [], frozenset())),
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("by", "table"), TABLES)
def test_the_tags_equal_the_loops_they_replaced(language, by, table):
    engine = engines["django"]
    context = {"table": table, "by": by}
    with translation.override(language):
        expected = engine.from_string(LOOPS).render(context)
        assert engine.from_string(TAGS).render(context) == expected
