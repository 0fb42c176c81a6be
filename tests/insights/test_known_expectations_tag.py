# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% known_expectation_items panel %}`` draws the known-expectations panel's items exactly
as the template loop it replaced did."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from yuqi.insights.facade import Guidance, LiveExpectation

#: The former loop of ``insights/panels/known_expectations.html``.
LOOP = (
    "{% load i18n yuqi_format %}"
    "{% for item in panel.known %}{% with e=item.expectation %}\n"
    "    <li>\n"
    '      <strong class="grade grade-{{ e.grade|default:\'none\' }}">{{ e.grade|default:"–" }}</strong>\n'
    "      {% if panel.may_open %}<a href=\"{% url 'insights:expectation' e.pk %}\">{{ e.statement }}</a>{% else %}{{ e.statement }}{% endif %}\n"
    "      {% if item.guidance %}\n"
    '        <div class="guidance"><em>{% translate "Guidance to use" %}:</em>\n'
    '          <p>{% get_current_language as lang %}{% if lang == "en" and item.guidance.script_en %}{{ item.guidance.script_en }}{% else %}{{ item.guidance.script }}{% endif %}</p>\n'
    "        </div>\n"
    '      {% elif e.grade == "A" or e.grade == "B" %}\n'
    '        <div class="muted">{% translate "Being delivered" %}{% if e.due_date %} · {% translate "due" %} {{ e.due_date|day }}{% endif %}</div>\n'
    "      {% endif %}\n"
    "    </li>\n"
    "  {% endwith %}{% endfor %}"
)
NEW = "{% load known_expectations %}{% known_expectation_items panel %}"

HOSTILE = "<script>alert(1)</script> =1+1 {{ x }} & \"q\" 'a'"


def _expectation(pk: int, grade: str, **changes: object) -> LiveExpectation:
    values: dict = {
        "pk": pk,
        "code": f"E{pk}",
        "category": "billing.fee",
        "grade": grade,
        "statement": "话费 <争议> " + HOSTILE,
        "due_date": dt.date(2027, 1, 5),
        "guidance": None,
    }
    values.update(changes)
    return LiveExpectation(**values)


KNOWN = [
    {
        "expectation": _expectation(1, "C", guidance=Guidance(HOSTILE, "Say <b>sorry</b>")),
        "guidance": Guidance(HOSTILE, "Say <b>sorry</b>"),
    },
    {"expectation": _expectation(2, "C", guidance=Guidance("只说中文", "")), "guidance": Guidance("只说中文", "")},
    {"expectation": _expectation(3, "A"), "guidance": None},
    {"expectation": _expectation(45678, "B", due_date=None), "guidance": None},
    {"expectation": _expectation(5, "", statement=mark_safe("<i>safe</i>")), "guidance": None},
    {"expectation": _expectation(6, "D"), "guidance": None},
    {"expectation": _expectation(7, "C", statement=""), "guidance": None},
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("may_open", [True, False])
@pytest.mark.parametrize("known", [KNOWN, KNOWN[:1], []])
@pytest.mark.parametrize("with_request", [True, False])
def test_the_tag_draws_what_the_loop_drew(language, may_open, known, with_request):
    panel = {"known": known, "may_open": may_open}
    with translation.override(language):
        if with_request:
            request = RequestFactory().get("/")
            old = Template(LOOP).render(RequestContext(request, {"panel": panel}))
            new = Template(NEW).render(RequestContext(request, {"panel": panel}))
            again = Template(NEW).render(RequestContext(request, {"panel": panel}))
            assert again == new  # the address kept on the request
        else:
            old = Template(LOOP).render(Context({"panel": panel}))
            new = Template(NEW).render(Context({"panel": panel}))
    assert new == old
    assert "<script>" not in new
