"""Starter content, generated articles, Chinese search with synonyms, filters, bad queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yuqi.knowledge import selectors
from yuqi.knowledge.models import Article, SearchLog, SynonymGroup
from yuqi.knowledge.seed import STANDARDS_KEY, seed_all, sync_generated

pytestmark = pytest.mark.django_db


def _top(query: str, **kwargs) -> str:
    ranked = selectors.rank(query, **kwargs)
    assert ranked, query
    return Article.objects.get(pk=ranked[0][0]).key


def test_seed_installs_the_six_steps_scripts_and_standards_once(seeded):
    assert seeded["articles_added"] == 24  # 3 playbooks/policies, 4 scripts, 16 FAQ, standards
    keys = set(Article.objects.values_list("key", flat=True))
    assert {"playbook-six-steps", STANDARDS_KEY} <= keys
    assert {f"script-complainer-{t}" for t in ("passive", "voicer", "irate", "activist")} <= keys
    six = Article.objects.get(key="playbook-six-steps").published_version.body
    assert all(f"{n}. " in six for n in range(1, 7))
    again = seed_all()
    assert again["articles_added"] == 0


def test_the_standards_article_follows_the_promise_guard_source(seeded):
    from yuqi.commitments.facade import service_standard_lines
    from yuqi.commitments.models import ServiceStandard

    article = Article.objects.get(key=STANDARDS_KEY)
    body = article.published_version.body
    lines = service_standard_lines()
    assert lines
    rows = [line for line in body.splitlines() if line.startswith("| ")]
    assert len(rows) - 1 == len(lines)  # a header, then one row per standard
    repair = ServiceStandard.objects.get(kind="repair", tier__isnull=True)
    repair.achievable_amount = Decimal("36")
    repair.save()
    sync_generated()
    article.refresh_from_db()
    assert article.published_version.number == 2
    assert "| 36 |" in article.published_version.body


def test_customers_words_find_the_answer(seeded):
    assert _top("家里网断了一天了") == "faq-broadband-down"
    assert _top("网速特别慢") == "faq-broadband-slow"
    assert _top("这个月扣钱扣多了") == "faq-overcharge"
    assert _top("欠费停机了怎么开机") == "faq-reconnect"
    assert _top("改套餐啥时候生效") == "faq-plan-change"


def test_synonyms_are_edited_without_reindexing(seeded):
    assert selectors.rank("手机开不了机", limit=1)
    SynonymGroup.objects.all().delete()
    no_synonym = [i for i, _ in selectors.rank("开机")]
    SynonymGroup.objects.create(words="复机 开机")
    with_synonym = [i for i, _ in selectors.rank("开机")]
    reconnect = Article.objects.get(key="faq-reconnect").pk
    assert reconnect not in no_synonym
    assert reconnect in with_synonym


def test_filters_by_kind_and_category(seeded):
    scripts = selectors.rank("客户 投诉 话术", kind="script")
    assert scripts
    assert {Article.objects.get(pk=i).kind for i, _ in scripts} == {"script"}
    from yuqi.knowledge.models import Category

    billing = Category.objects.get(code="billing")
    found = selectors.rank("费用", category=billing.pk, limit=20)
    codes = {Article.objects.get(pk=i).category.code for i, _ in found}
    assert codes <= {"billing", "billing-overcharge", "billing-plan"}


def test_public_search_never_returns_internal_or_tier_limited(seeded):
    found = [
        Article.objects.get(pk=i)
        for i, _ in selectors.rank("VIP 优先抢修 专属客户经理", public=True, limit=50)
    ]
    assert all(a.audience == "public" and not a.tiers for a in found)
    assert "faq-vip-perks" not in {a.key for a in found}
    assert _top("VIP 优先抢修 专属客户经理") == "faq-vip-perks"  # agents see it


def test_empty_and_2000_character_queries(seeded):
    assert selectors.rank("") == []
    assert selectors.rank("   ？？ ") == []
    long = ("宽带断网了好几天一直没人来修" * 150)[:2000]
    ranked = selectors.rank(long)
    assert ranked
    assert Article.objects.get(pk=ranked[0][0]).key == "faq-broadband-down"


def test_searches_are_logged_for_the_gap_list(seeded, as_user, agent):
    client = as_user(agent)
    client.get("/knowledge/", {"q": "量子纠缠套餐怎么退"})
    client.get("/knowledge/", {"q": "宽带断网"})
    gaps = [g.query for g in selectors.gap_queries()]
    assert "量子纠缠套餐怎么退" in gaps
    assert "宽带断网" not in gaps
    assert SearchLog.objects.count() == 2


def test_the_database_ranks_as_the_domain_formula_does(seeded):
    """The SQL sum (SQLite or PostgreSQL) equals ``bm25_rank`` over the same postings."""
    from yuqi.domain.text.search import bm25_rank, prune_common, query_terms
    from yuqi.knowledge.models import SearchPosting

    for query in ("宽带断网了怎么办", "话费扣多了要退钱", "客户很生气要投诉到工信部"):
        weights = query_terms(query, selectors.synonym_table())
        documents, average = selectors._stats()
        df = selectors._document_frequencies(list(weights))
        kept = prune_common(df, documents=documents)
        postings: dict[str, dict[int, float]] = {}
        lengths: dict[int, float] = {}
        for term, article_id, weight, length in SearchPosting.objects.filter(
            term__in=kept
        ).values_list("term", "article_id", "weight", "length"):
            postings.setdefault(term, {})[article_id] = weight
            lengths[article_id] = length
        expected = bm25_rank(
            {t: weights[t] for t in kept},
            postings,
            lengths,
            documents=documents,
            average_length=average,
            limit=10,
        )
        got = selectors.rank(query, limit=10)
        assert [i for i, _ in got] == [i for i, _ in expected]
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], abs=1e-5)


def test_c_grade_guidance_scripts_become_script_articles(db, seeded):
    from yuqi.core import clock
    from yuqi.insights.models import Expectation, GuidancePlan

    expectation = Expectation.objects.create(
        code="refund-same-day",
        statement="客户期望当天退款",
        statement_en="Refund the same day",
        category="billing",
        grade="C",
        status="guided",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    GuidancePlan.objects.create(
        expectation=expectation,
        script="退款需核实，3 个工作日内到账，我们会短信通知您。",
        updated_at=clock.now(),
    )
    sync_generated()
    article = Article.objects.get(key="guidance-refund-same-day")
    assert article.kind == "script"
    assert article.expectations == ["refund-same-day"]
    assert "3 个工作日" in article.published_version.body
    assert "refund-same-day" not in {e.code for e in selectors.uncovered_c_grade()}


def test_pages_speak_chinese(seeded, as_user, manager):
    client = as_user(manager)
    for url in ("/knowledge/", "/knowledge/health/", "/help/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "知识库" in page or "帮助中心" in page, url
        assert "gap_queries" not in page
        assert "not_helpful" not in page.split("hx-vals")[0]
