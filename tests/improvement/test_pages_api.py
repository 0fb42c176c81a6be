"""The board, an action's page, the Pareto charts, the evaluation table's action line, and the
REST API (permission first, hostile input)."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import translation

from tests.complaints.factories import open_complaint, root_cause, sh
from tests.insights.factories import ExpectationFactory
from yuqi.complaints.models import Complaint
from yuqi.improvement import measures, services
from yuqi.improvement.models import EffectCheck, ImprovementAction

pytestmark = pytest.mark.django_db


def _action(manager, **kwargs):
    kwargs.setdefault("title", "账单解释话术优化")
    kwargs.setdefault("plan", "新增账单解释话术")
    kwargs.setdefault("owner", manager)
    kwargs.setdefault("due_date", date(2026, 12, 31))
    kwargs.setdefault("measure_kind", "complaint_rate")
    kwargs.setdefault("baseline_start", date(2026, 9, 1))
    kwargs.setdefault("baseline_end", date(2026, 9, 30))
    return services.action_create(by=manager, **kwargs)


def test_the_board_by_owner_grade_and_status(as_user, manager, agent):
    _action(manager, title="甲行动", grade="A")
    _action(manager, title="乙行动", grade="B", due_date=date(2020, 1, 1))
    client = as_user(manager)
    page = client.get("/improvement/")
    assert page.status_code == 200
    assert "甲行动" in page.text
    assert "乙行动" in page.text
    only_b = client.get("/improvement/", {"grade": "B"}, headers={"HX-Request": "true"})
    assert "乙行动" in only_b.text
    assert "甲行动" not in only_b.text
    overdue = client.get("/improvement/", {"overdue": "1", "owner": "999999999999"})
    assert overdue.status_code == 200
    assert as_user(agent).get("/improvement/").status_code == 403


def test_pages_are_in_chinese(as_user, manager):
    action = _action(manager, links=[("expectation", "gone-one")])
    client = as_user(manager)
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        page = client.get(f"/improvement/{action.pk}/", headers={"Accept-Language": "zh-hans"})
    text = page.text
    assert "改进行动" in text
    assert "已删除：系统中已不存在" in text
    for english in ("Before and after", "Next step", "Linked to", "Baseline window"):
        assert english not in text


def test_move_an_action_through_pdca_on_its_page(as_user, manager, monkeypatch):
    monkeypatch.setattr(
        measures,
        "sample",
        lambda kind, ref, window: (
            measures.Sample(120, 10_000, scale=10_000)
            if window.start.month == 9
            else measures.Sample(60, 10_000, scale=10_000)
        ),
    )
    action = _action(manager)
    client = as_user(manager)
    url = f"/improvement/{action.pk}/"
    assert client.post(url + "transition/", {"to": "do"}).status_code == 302
    services.action_transition(
        ImprovementAction.objects.get(pk=action.pk), to="check", by=manager, today=date(2026, 10, 1)
    )
    checked = client.post(url + "check/", {}, headers={"HX-Request": "true"})
    assert checked.status_code == 200
    assert "latest-check" in checked.text
    assert EffectCheck.objects.get(action=action).verdict == "improved"
    client.post(url + "transition/", {"to": "act"})
    client.post(url + "close/", {"outcome": "effective"})
    assert ImprovementAction.objects.get(pk=action.pk).outcome == "effective"


def test_a_supervisor_may_not_check_or_close(as_user, manager, supervisor):
    action = _action(manager)
    client = as_user(supervisor)
    assert client.post(f"/improvement/{action.pk}/check/").status_code == 403
    assert (
        client.post(f"/improvement/{action.pk}/close/", {"outcome": "effective"}).status_code == 403
    )


def test_the_root_cause_pareto_and_create_an_action_from_a_bar(as_user, manager, frozen):
    cause = root_cause()
    tickets = [open_complaint(by=manager) for _ in range(3)]
    Complaint.objects.filter(pk__in=[t.pk for t in tickets]).update(
        state="closed", closed_at=sh(2026, 11, 3, 10), root_cause=cause
    )
    client = as_user(manager)
    page = client.get("/improvement/pareto/", {"date_from": "2026-09-01", "date_to": "2026-11-16"})
    assert page.status_code == 200
    assert "root-cause-table" in page.text
    assert cause.label in page.text
    link = page.context["rc_rows"][0][1]
    query = parse_qs(urlparse(link).query)
    assert query["links"] == [f"root_cause:{cause.code}"]
    form = client.get(link)
    assert form.status_code == 200
    assert cause.label in form.text
    bad = client.get("/improvement/pareto/", {"date_from": "junk", "team": "x" * 500})
    assert bad.status_code == 200


def test_the_evaluation_table_shows_open_actions_and_verified_effect(as_user, manager, analyst):
    from yuqi.insights import evaluation

    ExpectationFactory(code="vip-15s", grade="B")
    _action(manager, title="VIP 专席扩容", links=[("expectation", "vip-15s")])
    run = evaluation.evaluation_run(
        period_start=date(2026, 5, 1), period_end=date(2026, 5, 31), by=analyst, collect=False
    )
    page = as_user(manager).get(f"/insights/evaluation/{run.pk}/")
    assert page.status_code == 200
    assert 'data-for="vip-15s"' in page.text
    assert "VIP 专席扩容" in page.text


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_api_checks_permission_before_the_body(as_user, agent):
    client = as_user(agent)
    assert _post(client, "/api/v1/improvement/actions", {"junk": 1}).status_code == 403
    assert client.get("/api/v1/improvement/actions", {"owner": "x"}).status_code == 403


def test_api_create_move_check_close(as_user, manager, monkeypatch):
    client = as_user(manager)
    created = _post(
        client,
        "/api/v1/improvement/actions",
        {
            "title": "投诉回访提速",
            "plan": "回访时限从 48 小时缩短到 24 小时",
            "due_date": "2026-12-31",
            "measure_kind": "complaint_rate",
            "baseline_start": "2026-09-01",
            "baseline_end": "2026-09-30",
            "links": [{"kind": "root_cause", "ref": "process"}],
        },
    )
    assert created.status_code == 201, created.text
    pk = created.json()["id"]
    moved = _post(client, f"/api/v1/improvement/actions/{pk}/transition", {"to": "do"})
    assert moved.json()["status"] == "do"
    refused = _post(client, f"/api/v1/improvement/actions/{pk}/transition", {"to": "act"})
    assert refused.status_code == 422
    _post(client, f"/api/v1/improvement/actions/{pk}/transition", {"to": "check"})
    check = _post(
        client,
        f"/api/v1/improvement/actions/{pk}/check",
        {"after_start": "2026-10-01", "after_end": "2026-10-10"},
    )
    assert check.status_code == 422  # 10 days against a 30-day baseline
    listed = client.get("/api/v1/improvement/actions", {"status": "check"}).json()
    assert [row["id"] for row in listed] == [pk]
    read = client.get(f"/api/v1/improvement/actions/{pk}").json()
    assert read["links"][0]["gone"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x" * 201, "due_date": "2026-12-31"},
        {"title": "x", "due_date": "0"},
        {"title": "x", "due_date": "2026-12-31", "links": [{"kind": "user", "ref": "1"}]},
        {"title": "x", "due_date": "2026-12-31", "grade": "Z"},
        {"title": "x", "due_date": "2026-12-31", "owner_id": 2**70},
        {"title": "x", "due_date": "2026-12-31", "links": [{"kind": "offering", "ref": "a"}] * 31},
    ],
)
def test_api_refuses_hostile_input(as_user, manager, body):
    response = _post(as_user(manager), "/api/v1/improvement/actions", body)
    assert response.status_code == 422
