"""``{% servqual_dimension_rows %}`` and ``{% servqual_item_rows %}`` draw the survey
analysis page's SERVQUAL tables exactly as the template loops they replaced: gaps below and
above zero, missing intervals, importance, missing figures, escaping and number formats,
in Chinese and English."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

DIMENSION_LOOP = """    {% for label, d in dimension_rows %}
      <tr><td>{{ label }}</td><td class="num">{{ d.expectation|floatformat:2 }}</td><td class="num">{{ d.perception|floatformat:2 }}</td>
        <td class="num {% if d.gap.value < 0 %}bad{% else %}ok{% endif %}">{{ d.gap.value|floatformat:2 }}</td>
        <td class="num">{% if d.gap.ci_low is not None %}{{ d.gap.ci_low|floatformat:2 }} – {{ d.gap.ci_high|floatformat:2 }}{% else %}—{% endif %}</td>
        <td class="num">{{ d.n }}</td><td class="num">{% if d.importance is not None %}{% widthratio d.importance 1 100 %}%{% else %}—{% endif %}</td></tr>
    {% endfor %}"""  # noqa: E501 (the template as it was)
ITEM_LOOP = """    {% for dimension, i in item_rows %}
      <tr><td><code>{{ i.key }}</code></td><td>{{ dimension }}</td><td>{{ i.label }}</td><td class="num">{{ i.expectation|floatformat:2 }}</td><td class="num">{{ i.perception|floatformat:2 }}</td>
        <td class="num {% if i.gap.value < 0 %}bad{% else %}ok{% endif %}">{{ i.gap.value|floatformat:2 }}</td>
        <td class="num">{% if i.gap.ci_low is not None %}{{ i.gap.ci_low|floatformat:2 }} – {{ i.gap.ci_high|floatformat:2 }}{% else %}—{% endif %}</td><td class="num">{{ i.n }}</td></tr>
    {% endfor %}"""  # noqa: E501


def _gap(value, low=None, high=None):
    return SimpleNamespace(value=value, ci_low=low, ci_high=high)


ROWS = [
    SimpleNamespace(key="t1", label="设施 <现代> & 整洁", expectation=6.123456, perception=5.5,
                    gap=_gap(-0.623456, -0.9, -0.35), n=1234, importance=0.2345),
    SimpleNamespace(key="r2", label='"Reliable"', expectation=5, perception=6.999,
                    gap=_gap(1.999, 1.5, 2.5), n=0, importance=None),
    SimpleNamespace(key="a3", label="x", expectation=None, perception=None, gap=_gap(None),
                    n=3, importance=0.005),
    SimpleNamespace(key="e4", label="y", expectation=4.0, perception=4.0, gap=_gap(0.0, 0.0),
                    n=12, importance=1),
    SimpleNamespace(key="e5", label="z", expectation=4.0, perception=4.0, gap=None, n=1,
                    importance=0.0),
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tags_equal_the_template_loops(language):
    engine = engines["django"]
    context = {
        "dimension_rows": [(f"维度 <{r.key}>", r) for r in ROWS],
        "item_rows": [(f"Dimension & {r.key}", r) for r in ROWS],
    }
    with translation.override(language):
        for loop, tag in (
            (DIMENSION_LOOP, "{% servqual_dimension_rows dimension_rows %}"),
            (ITEM_LOOP, "{% servqual_item_rows item_rows %}"),
        ):
            expected = engine.from_string(loop).render(context)
            drawn = engine.from_string("{% load servqual_tables %}    " + tag).render(context)
            assert drawn == expected
            assert "bad" in expected
            assert "&lt;" in expected or "&amp;" in expected
