"""Suggestions on the ticket and the 360 (category, wanted outcome, tier), insert into a
note, and the public help centre (public articles only, never a tier-limited one)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.textmining.factories import analysed, customer
from yuqi.knowledge import selectors
from yuqi.knowledge.models import Article, ArticleUse
from yuqi.knowledge.panels import complaint_articles, complaint_context, customer_articles
from yuqi.knowledge.services import article_set_meta

pytestmark = pytest.mark.django_db

BILLING = "上个月账单多扣了30元流量费，要求退还多扣的费用"
NETWORK = "家里宽带断网两天了，要求尽快上门维修"


def _keys(panel) -> list[str]:
    ids = [s.id for s in panel.context["suggestions"]]
    return list(Article.objects.filter(pk__in=ids).values_list("key", flat=True))


def test_a_billing_complaint_gets_billing_and_refund_articles(seeded, supervisor, frozen):
    complaint = analysed(by=supervisor, text=BILLING, customer=customer("ordinary"))
    found = complaint_context(complaint.pk)
    assert "refund" in found["outcomes"]
    assert any(code.startswith("billing") for code in found["topics"])
    keys = _keys(complaint_articles(complaint.pk, supervisor))
    assert "faq-overcharge" in keys
    assert "faq-refund-time" in keys


def test_vip_perks_are_suggested_only_for_their_tiers(seeded, supervisor, frozen):
    vip = Article.objects.get(key="faq-vip-perks")
    article_set_meta(by=supervisor, article=vip, topics=["quality.broadband"])
    ordinary = analysed(by=supervisor, text=NETWORK, customer=customer("ordinary"))
    gold = analysed(by=supervisor, text=NETWORK, customer=customer("gold"))
    assert "faq-vip-perks" not in _keys(complaint_articles(ordinary.pk, supervisor))
    assert "faq-vip-perks" in _keys(complaint_articles(gold.pk, supervisor))


def test_the_complaint_page_shows_suggestions_with_insert_and_feedback(
    seeded, supervisor, as_user, frozen
):
    complaint = analysed(by=supervisor, text=BILLING, customer=customer("ordinary"))
    page = as_user(supervisor).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="kb-suggestion"' in page
    assert "data-knowledge-insert" in page
    assert "yuqi/knowledge.js" in page
    faq = Article.objects.get(key="faq-overcharge")
    as_user(supervisor).post(
        f"/knowledge/articles/{faq.pk}/feedback/",
        {"kind": "inserted", "complaint_id": complaint.pk},
        HTTP_HX_REQUEST="true",
    )
    assert ArticleUse.objects.filter(kind="inserted", complaint_id=complaint.pk).exists()


def test_the_customer_360_suggests_from_past_complaints(seeded, supervisor, frozen):
    person = customer("ordinary")
    analysed(by=supervisor, text=BILLING, customer=person)
    panel = customer_articles(person.pk, supervisor)
    assert panel is not None
    assert "faq-overcharge" in _keys(panel)


def test_the_customer_360_page_shows_the_panel(seeded, supervisor, as_user, frozen):
    person = customer("ordinary")
    analysed(by=supervisor, text=BILLING, customer=person)
    page = as_user(supervisor).get(f"/customers/{person.external_id}/").content.decode()
    assert 'data-testid="kb-suggestion"' in page
    assert "话费扣费有疑问如何核查" in page


def test_no_panel_without_permission(seeded, frozen, supervisor):
    from tests.accounts.factories import UserFactory

    complaint = analysed(by=supervisor, text=BILLING, customer=customer("ordinary"))
    assert complaint_articles(complaint.pk, UserFactory(username="x", roles=[])) is None


# --- the help centre ------------------------------------------------------------------------


def test_help_centre_lists_public_articles_only(seeded):
    page = Client().get("/help/").content.decode()
    assert "宽带断网了怎么办" in page
    assert "降低客户期望值的六个步骤" not in page  # internal
    assert "VIP 专属客户经理与优先抢修" not in page  # limited to gold and diamond
    vip = Article.objects.get(key="faq-vip-perks")
    assert Client().get(f"/help/a/{vip.pk}/").status_code == 404
    internal = Article.objects.get(key="playbook-six-steps")
    assert Client().get(f"/help/a/{internal.pk}/").status_code == 404


def test_help_search_never_shows_a_tier_limited_article(seeded):
    page = Client().get("/help/", {"q": "VIP 专属客户经理 优先抢修"}).content.decode()
    assert "VIP 专属客户经理与优先抢修" not in page


def test_help_centre_in_english(seeded):
    page = Client().get("/help/", {"lang": "en"}).content.decode()
    assert "My broadband is down: what to do" in page
    assert 'lang="en"' in page


def test_a_tier_limit_added_while_suggested_removes_it_from_the_help_centre_at_once(
    seeded, supervisor, frozen
):
    complaint = analysed(by=supervisor, text=BILLING, customer=customer("gold"))
    faq = Article.objects.get(key="faq-overcharge")
    assert "faq-overcharge" in _keys(complaint_articles(complaint.pk, supervisor))
    client = Client()
    assert client.get(f"/help/a/{faq.pk}/").status_code == 200
    article_set_meta(by=supervisor, article=faq, tiers=["diamond"])
    assert client.get(f"/help/a/{faq.pk}/").status_code == 404
    assert "话费扣费有疑问如何核查" not in client.get("/help/").content.decode()
    assert faq.pk not in [i for i, _ in selectors.rank("话费扣费有疑问", public=True)]
    assert "faq-overcharge" not in _keys(complaint_articles(complaint.pk, supervisor))
    article_set_meta(by=supervisor, article=faq, tiers=[], audience="internal")
    assert client.get(f"/help/a/{faq.pk}/").status_code == 404


def test_did_this_answer_your_question_is_counted(seeded):
    faq = Article.objects.get(key="faq-reconnect")
    client = Client()
    response = client.post(f"/help/a/{faq.pk}/answered/", {"answer": "yes", "lang": "en"})
    assert response.status_code == 302
    client.post(f"/help/a/{faq.pk}/answered/", {"answer": "no"})
    assert client.post(f"/help/a/{faq.pk}/answered/", {"answer": "maybe"}).status_code == 400
    kinds = sorted(ArticleUse.objects.filter(article=faq).values_list("kind", flat=True))
    assert kinds == ["public_no", "public_yes"]
    assert all(u.user_id is None for u in ArticleUse.objects.filter(article=faq))


def test_help_search_with_hostile_and_long_queries(seeded):
    client = Client()
    assert client.get("/help/", {"q": "<script>alert(1)</script>"}).status_code == 200
    page = client.get("/help/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert client.get("/help/", {"q": "宽" * 5000}).status_code == 200
