"""``{% evaluation_row %}`` draws the evaluation table's row exactly as the template loop it
replaced: the row's code, links, line breaks, dashes for empty values, escaping and number
formats, in Chinese and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

LOOP = (
    '<tr data-code="{{ snap.code }}">'
    '{% for cell in row %}<td>{% if forloop.counter == 2 %}<a href="{% url '
    "'insights:expectation' snap.expectation_id_at_run %}\">{{ cell }}</a>{% elif "
    'forloop.counter == 5 %}{{ cell|linebreaksbr }}{% else %}{{ cell|default_if_none:"–" }}'
    "{% endif %}</td>{% endfor %}</tr>"
)
TAG = "{% load evaluation_table %}{% evaluation_row row snap %}"

ROWS = [
    [1, "E-001", "等待 <太久>", "服务", "CSAT 4.2\nNPS 31 & more", 87.5, Decimal("0.823"),
     0.9, 0.077, "A", 71.25, "张三", "复盘", "2026-12-31"],
    [12, "E-012", "Wait & \"see\"", "", "", None, None, None, None, "", None, "", "", ""],
    [3, "E'3", "x", "y", "one\r\ntwo", 1234567.891, -0.5, 0, 10**7, "C", 0.0, None, None,
     date(2026, 1, 2)],
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("row", ROWS)
def test_cells_equal_the_template_loop(language, row):
    engine = engines["django"]
    context = {"row": row, "snap": SimpleNamespace(expectation_id_at_run=42, code=row[1])}
    with translation.override(language):
        expected = engine.from_string(LOOP).render(context)
        assert engine.from_string(TAG).render(context) == expected
    assert 'href="/' in expected
