"""The evaluation table's actions per expectation, read as columns through two kept reads
(``selectors.actions_for_expectations``), answer what the models read through the ORM showed:
the same actions in the same order, their labels in both languages, each closed action's
latest check; and the table asks the permission and reverses the action's address once per
request, not per row."""

from __future__ import annotations

import datetime as dt
from datetime import date
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from yuqi.improvement import selectors, services
from yuqi.improvement.models import ActionLink, EffectCheck, ImprovementAction, LinkKind, Status

pytestmark = pytest.mark.django_db


def _action(manager, title, due, codes, **closed):
    action = services.action_create(
        by=manager,
        title=title,
        plan="计划",
        owner=manager,
        due_date=due,
        measure_kind="complaint_rate",
        baseline_start=date(2026, 9, 1),
        baseline_end=date(2026, 9, 30),
        links=[("expectation", code) for code in codes],
    )
    if closed:
        ImprovementAction.objects.filter(pk=action.pk).update(status=Status.CLOSED, **closed)
    return action


def _check(action, at, difference, before=0.5):
    day = date(2026, 10, 1)
    return EffectCheck.objects.create(
        action=action,
        checked_at=dt.datetime(2026, 11, at, 9, tzinfo=dt.UTC),
        measure_kind="complaint_rate",
        before_start=day,
        before_end=day,
        after_start=day,
        after_end=day,
        value_before=before,
        value_after=0.75,
        difference=difference,
        low=-0.1,
        high=0.3,
        verdict="improved",
        warnings=["x"],
    )


def _as_the_models_did(codes):
    """The former read: the links with their actions (and owners) as models, the latest
    check of each closed action as a model; here as (code, [action columns …], check's)."""
    out = {}
    links = (
        ActionLink.objects.filter(kind=LinkKind.EXPECTATION, ref__in=codes)
        .select_related("action__owner")
        .order_by("action__due_date", "action__number")
    )
    for link in links:
        a = link.action
        check = None
        if a.status == Status.CLOSED:
            check = EffectCheck.objects.filter(action=a).order_by("-checked_at", "-pk").first()
        shown = (
            a.pk,
            a.number,
            a.title,
            a.status,
            a.outcome,
            a.get_status_display(),
            a.get_outcome_display(),
        )
        checked = (
            None
            if check is None
            else (check.value_before, check.value_after, check.difference, check.low, check.high)
        )
        entry = out.setdefault(link.ref, ([], []))
        if a.status == Status.CLOSED:
            entry[1].append((shown, checked))
        else:
            entry[0].append(shown)
    return out


def _as_read(found):
    def shown(a):
        return (
            a.pk,
            a.number,
            a.title,
            a.status,
            a.outcome,
            a.get_status_display(),
            a.get_outcome_display(),
        )

    return {
        code: (
            [shown(a) for a in entry.open],
            [
                (
                    shown(a),
                    None
                    if c is None
                    else (c.value_before, c.value_after, c.difference, c.low, c.high),
                )
                for a, c in entry.verified
            ],
        )
        for code, entry in found.items()
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_read_answers_as_the_models(manager, language):
    _action(manager, "后到期", date(2027, 3, 1), ["e-1", "e-2"])
    _action(manager, "先到期", date(2027, 1, 1), ["e-1"])
    checked = _action(manager, "已验证", date(2026, 12, 1), ["e-1"], outcome="effective")
    _check(checked, 2, 0.1)
    _check(checked, 5, 0.2, before=0.25)  # the latest
    _check(checked, 5, None)  # the same moment, a later key: the latest of all
    _action(manager, "无检查", date(2026, 12, 2), ["e-2"], outcome="no_effect")
    _action(manager, "别的", date(2026, 12, 3), ["e-other"])
    selectors.EXPECTATION_LINKS_READ.forget()
    selectors.CHECKS_READ.forget()
    codes = ["e-1", "e-2", "e-none"]
    with translation.override(language):
        for _ in range(2):  # compiled on the first call, kept on the second
            found = _as_read(selectors.actions_for_expectations(codes))
            assert found == _as_the_models_did(codes)
    assert list(found) == ["e-1", "e-2"]
    assert len(found["e-1"][0]) == 2
    assert found["e-1"][1][0][1][2] is None
    assert all(selectors.EXPECTATION_LINKS_READ.kept().values())
    assert all(selectors.CHECKS_READ.kept().values())
    assert selectors.actions_for_expectations([]) == {}


def test_the_table_asks_the_permission_and_reverses_once_per_request(manager, monkeypatch):
    from yuqi.core import id_links
    from yuqi.improvement.templatetags import improvement as tags

    first = _action(manager, "甲", date(2027, 1, 1), ["e-1"])
    second = _action(manager, "乙", date(2027, 1, 2), ["e-2"])
    asked = []
    user = SimpleNamespace(has_perm=lambda perm: asked.append(perm) or True)
    reversed_ = []
    monkeypatch.setattr(
        id_links, "reverse", lambda *a, **k: reversed_.append(a) or reverse(*a, **k)
    )
    lines = [(None, SimpleNamespace(code=code)) for code in ("e-1", "e-2", "e-3")]
    context = {"user": user, "request": SimpleNamespace(), "lines": lines}
    drawn = engines["django"].from_string(
        "{% load improvement %}{% for row, snap in lines %}"
        "{% evaluation_action_row snap 3 %}{% endfor %}"
    )
    html = drawn.render(context)
    assert asked == [tags.PERMISSION]
    assert len(reversed_) == 1
    for action in (first, second):
        assert f'href="{reverse("improvement:detail", args=[action.pk])}"' in html
