"""Pages and API: access declared and checked before the body; feedback logged; health."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yuqi.knowledge.models import Article, ArticleUse
from yuqi.knowledge.services import article_log_use

pytestmark = pytest.mark.django_db


def test_agent_searches_and_reads(seeded, as_user, agent):
    client = as_user(agent)
    page = client.get("/knowledge/", {"q": "欠费停机了怎么开机"}).content.decode()
    reconnect = Article.objects.get(key="faq-reconnect")
    assert f"/knowledge/articles/{reconnect.pk}/" in page
    assert client.get(f"/knowledge/articles/{reconnect.pk}/").status_code == 200
    assert ArticleUse.objects.filter(article=reconnect, kind="viewed").count() == 1


def test_agent_may_not_edit_or_see_health(seeded, as_user, agent):
    client = as_user(agent)
    assert client.get("/knowledge/articles/new/").status_code == 403
    assert client.post("/knowledge/articles/new/", {"title": "x"}).status_code == 403
    assert client.get("/knowledge/health/").status_code == 403


def test_anonymous_is_sent_to_sign_in(seeded):
    response = Client().get("/knowledge/")
    assert response.status_code == 302


def test_supervisor_writes_a_draft_and_manager_publishes(as_user, supervisor, manager):
    response = as_user(supervisor).post(
        "/knowledge/articles/new/",
        {"kind": "answer", "title": "积分怎么兑换", "body": "登录App兑换", "audience": "internal"},
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.status == "draft"
    as_user(supervisor).post(f"/knowledge/articles/{article.pk}/workflow/", {"action": "submit"})
    as_user(manager).post(f"/knowledge/articles/{article.pk}/workflow/", {"action": "approve"})
    article.refresh_from_db()
    assert article.status == "published"
    page = as_user(manager).get(f"/knowledge/articles/{article.pk}/diff/?from=1&to=1")
    assert page.status_code == 200


def test_health_page_lists_gaps_and_uncovered_categories(seeded, as_user, manager, agent):
    as_user(agent).get("/knowledge/", {"q": "火星移民签证"})
    faq = Article.objects.get(key="faq-invoice")
    for kind in ("not_helpful", "wrong", "not_helpful"):
        article_log_use(article=faq, kind=kind, by=agent)
    page = as_user(manager).get("/knowledge/health/").content.decode()
    assert "火星移民签证" in page
    assert "一次解决" in page  # the fcr taxonomy category has no article
    assert "如何开具发票和下载电子账单" in page  # least helpful


def test_one_click_feedback_from_a_suggestion(seeded, as_user, agent):
    faq = Article.objects.get(key="faq-broadband-down")
    response = as_user(agent).post(
        f"/knowledge/articles/{faq.pk}/feedback/",
        {"kind": "helpful", "complaint_id": "7"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    use = ArticleUse.objects.get(kind="helpful")
    assert use.complaint_id == 7
    assert use.user == agent
    bad = as_user(agent).post(f"/knowledge/articles/{faq.pk}/feedback/", {"kind": "viewed"})
    assert bad.status_code == 400


def test_api_search_returns_ranked_hits(seeded, as_user, agent):
    response = as_user(agent).get("/api/v1/knowledge/search", {"q": "话费扣多了", "limit": 3})
    assert response.status_code == 200
    rows = response.json()
    assert 1 <= len(rows) <= 3
    assert rows[0]["score"] >= rows[-1]["score"]
    assert Article.objects.get(pk=rows[0]["id"]).key == "faq-overcharge"


def test_api_checks_permission_before_the_body(seeded, db):
    from tests.accounts.factories import UserFactory

    nobody = UserFactory(username="noroles", roles=[])
    client = Client()
    client.force_login(nobody, backend="yuqi.accounts.backends.KeptPermissionsBackend")
    faq = Article.objects.get(key="faq-broadband-down")
    response = client.post(
        f"/api/v1/knowledge/articles/{faq.pk}/feedback",
        data=json.dumps({"kind": 123, "junk": "x" * 10}),
        content_type="application/json",
    )
    assert response.status_code == 403
    search = client.get("/api/v1/knowledge/search", {"limit": "not-a-number"})
    assert search.status_code == 403


def test_api_feedback_validates_the_body_for_a_reader(seeded, as_user, agent):
    faq = Article.objects.get(key="faq-broadband-down")
    url = f"/api/v1/knowledge/articles/{faq.pk}/feedback"
    bad = as_user(agent).post(
        url, data=json.dumps({"kind": "x" * 50}), content_type="application/json"
    )
    assert bad.status_code == 422
    good = as_user(agent).post(
        url, data=json.dumps({"kind": "used"}), content_type="application/json"
    )
    assert good.status_code == 201


def test_api_search_bad_input(seeded, as_user, agent):
    client = as_user(agent)
    assert client.get("/api/v1/knowledge/search", {"q": ""}).json() == []
    long = client.get("/api/v1/knowledge/search", {"q": "宽带断网" * 500})
    assert long.status_code == 200  # 2,000 characters: accepted, bounded
    assert client.get("/api/v1/knowledge/search", {"q": "宽" * 2001}).status_code == 422


def test_the_scorecard_reads_knowledge_use(seeded, agent):
    from datetime import date

    from yuqi.core.measures import measure_source

    source = measure_source("knowledge_use")
    assert source is not None
    reading = source(date(2026, 1, 1), date(2026, 1, 31))
    assert reading.value is None  # no complaints in the period
    assert reading.link == "/knowledge/health/"
