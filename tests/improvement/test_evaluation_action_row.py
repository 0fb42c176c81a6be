"""``{% evaluation_action_row %}`` draws the evaluation table's action line exactly as the
included ``improvement/partials/evaluation_row.html`` did: open actions, verified ones with
and without a measured effect, both together, none, escaping and number formats, in Chinese
and English."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from yuqi.improvement.selectors import ExpectationActions
from yuqi.improvement.templatetags.improvement import _MEMO


def _action(pk, number, title, *, status="计划", outcome="", outcome_label=""):
    return SimpleNamespace(
        pk=pk,
        number=number,
        title=title,
        outcome=outcome,
        get_status_display=lambda: status,
        get_outcome_display=lambda: outcome_label,
    )


def _check(difference, before=0.8125, after=0.91, low=0.02, high=0.18):
    return SimpleNamespace(
        difference=difference, value_before=before, value_after=after, low=low, high=high
    )


MEMO = {
    "open-only": ExpectationActions(
        open=[_action(1, "IA-0001", "回拨 <智能> & more"), _action(2, "IA-0002", '"Fast"')]
    ),
    "verified-only": ExpectationActions(
        verified=[
            (_action(3, "IA-0003", "x", outcome="effective", outcome_label="有效"), _check(0.1)),
            (_action(4, "IA-0004", "y", outcome="none", outcome_label="No <effect>"), None),
            (_action(5, "IA-0005", "z", outcome="effective", outcome_label="ok"), _check(None)),
        ]
    ),
    "both": ExpectationActions(
        open=[_action(6, "IA-0006", "open one")],
        verified=[(_action(7, "IA-0007", "w"), _check(-12.345, 1234.5, 1222.155, -20.5, -4))],
    ),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("code", [*MEMO, "none"])
def test_the_tag_equals_the_included_row(language, code):
    engine = engines["django"]
    request = SimpleNamespace()
    setattr(request, _MEMO, MEMO)
    context = {
        "user": SimpleNamespace(has_perm=lambda perm: True),
        "request": request,
        "snap": SimpleNamespace(code=code),
        "table": SimpleNamespace(headers=["a"] * 14),
        "lines": [],
    }
    with translation.override(language):
        expected = engine.get_template("improvement/partials/evaluation_row.html").render(context)
        drawn = "{% load improvement %}{% evaluation_action_row snap table.headers|length %}"
        assert engine.from_string(drawn).render(context) == expected
    assert ("ia-eval-row" in expected) == (code != "none")


def test_nothing_without_the_permission():
    engine = engines["django"]
    context = {
        "user": SimpleNamespace(has_perm=lambda perm: False),
        "request": SimpleNamespace(),
        "snap": SimpleNamespace(code="both"),
        "table": SimpleNamespace(headers=["a"]),
    }
    drawn = "{% load improvement %}{% evaluation_action_row snap table.headers|length %}"
    assert engine.from_string(drawn).render(context) == "\n"
