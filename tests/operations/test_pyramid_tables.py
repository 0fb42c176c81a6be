"""``{% pyramid_table %}`` draws the pyramid page's tables exactly as the included template it
replaced: header cells, row headers, dashes for empty values, the empty table's text,
escaping and number formats, in Chinese and English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

INCLUDED = """<table class="table">
  <thead><tr>{% for header in table.0 %}<th{% if not forloop.first %} class="num"{% endif %}>{{ header }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in table.1 %}
    <tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>{% else %}<td class="num">{{ cell|default_if_none:"–" }}</td>{% endif %}{% endfor %}</tr>
  {% empty %}
    <tr><td colspan="{{ table.0|length }}" class="muted">{{ empty }}</td></tr>
  {% endfor %}
  </tbody>
</table>
"""  # noqa: E501 (operations/pyramid_table.html as it was)

TABLES = [
    (["细分 <段>", "Customers", "Share", "Score"], [
        ["顶端 1% & co", 1234567, 0.125, Decimal("3.40")],
        ["Low", 0, None, 2.0],
        ['"wait"', None, 12.5, None],
    ]),
    (["From \\ to", "A", "B"], []),
    (["Tier"], None),
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("empty", ["", "No contacts <in> this period."])
def test_the_tag_equals_the_included_template(language, table, empty):
    engine = engines["django"]
    context = {"table": table, "empty": empty}
    with translation.override(language):
        expected = engine.from_string(INCLUDED).render(context)
        drawn = "{% load pyramid_tables %}{% pyramid_table table empty %}"
        assert engine.from_string(drawn).render(context) == expected
        if not empty:  # the page's first two tables pass no text for an empty table
            drawn = "{% load pyramid_tables %}{% pyramid_table table %}"
            assert engine.from_string(drawn).render({"table": table}) == expected
