"""``{% category_options %}`` draws the text panel's "correct category" options exactly as the
template loop it replaced did."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

#: The former loop of ``textmining/panels/complaint.html``.
LOOP = (
    '{% for code, label in panel.choices %}<option value="{{ code }}"'
    "{% if code == a.code %} selected{% endif %}>{{ label }}</option>{% endfor %}"
)
NEW = "{% load text_panel %}{% category_options panel.choices a.code %}"
CHOICES = [
    ("billing.fee", "话费 <争议>"),
    ("network", "网络 & 信号"),
    ("x\"y'z", mark_safe("<b>safe</b>")),
    ("7", 7),
]


@pytest.mark.parametrize("selected", ["network", "x\"y'z", "7", "", None, "missing"])
@pytest.mark.parametrize("choices", [CHOICES, [], CHOICES[:1]])
def test_the_tag_draws_what_the_loop_drew(selected, choices):
    context = {"panel": {"choices": choices}, "a": {"code": selected}}
    old = Template(LOOP).render(Context(context))
    assert Template(NEW).render(Context(context)) == old
    assert Template(NEW).render(Context({"panel": {"choices": choices}, "a": {}})) == (
        Template(LOOP).render(Context({"panel": {"choices": choices}, "a": {}}))
    )
