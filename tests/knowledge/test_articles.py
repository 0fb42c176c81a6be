"""Articles: workflow, versions and diff, the second person on policies, safe Markdown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from yuqi.core.errors import DomainError
from yuqi.knowledge import selectors
from yuqi.knowledge.models import Article
from yuqi.knowledge.rendering import plain_text, render_markdown
from yuqi.knowledge.services import (
    Content,
    article_approve,
    article_create,
    article_retire,
    article_submit,
    article_update,
)

pytestmark = pytest.mark.django_db


def test_draft_review_published_retired(make_article, manager):
    article = make_article("复机流程", "缴清欠费后自动复机", publish=False)
    assert article.status == "draft"
    assert article.published_version is None
    assert selectors.rank("复机") == []
    article = make_article("停机怎么复机", "缴费后自动复机")
    assert article.status == "published"
    assert [i for i, _ in selectors.rank("复机")] == [article.pk]
    article_retire(by=manager, article=article)
    assert selectors.rank("复机") == []


def test_an_edit_is_a_new_version_and_the_published_one_stays_in_use(make_article, supervisor):
    article = make_article("退费多久到账", "3 个工作日")
    article_update(
        by=supervisor, article=article, content=Content(title="退费多久到账", body="5 个工作日")
    )
    article.refresh_from_db()
    assert article.status == "draft"
    assert article.published_version.number == 1
    assert article.latest_version.number == 2
    assert [i for i, _ in selectors.rank("退费")] == [article.pk]  # v1 still answers
    lines = selectors.version_diff(article.versions.get(number=1), article.versions.get(number=2))
    assert ("-", "3 个工作日") in lines
    assert ("+", "5 个工作日") in lines


def test_a_policy_needs_a_second_person(supervisor, manager):
    policy = article_create(
        by=manager,
        kind="policy",
        content=Content(title="赔偿口径", body="按标准赔偿"),
        effective_from=date(2026, 1, 1),
    )
    article_submit(by=manager, article=policy)
    with pytest.raises(DomainError) as refused:
        article_approve(by=manager, article=policy)
    assert refused.value.code == "four_eyes"
    supervisor_policy = article_approve(by=supervisor, article=policy)
    assert supervisor_policy.status == "published"


def test_an_agent_may_not_approve(make_article, agent):
    article = make_article("草稿", publish=False)
    article_submit(by=agent, article=article)
    with pytest.raises(DomainError):
        article_approve(by=agent, article=article)


def test_a_policy_needs_its_date_and_only_the_one_in_force_is_seen(make_article):
    with pytest.raises(DomainError):
        make_article("无日期口径", kind="policy")
    old = make_article(
        "宽带赔偿口径", "旧口径：减免一天月租", kind="policy", effective_from=date(2020, 1, 1)
    )
    new = make_article(
        "宽带赔偿口径（新）",
        "新口径：减免三天月租",
        kind="policy",
        effective_from=date(2099, 1, 1),
        replaces=old,
    )
    found = [i for i, _ in selectors.rank("宽带赔偿口径")]
    assert found == [old.pk]  # the new wording is not in force yet
    old.refresh_from_db()
    assert old.effective_until == date(2099, 1, 1)
    assert selectors.visible(
        {f: getattr(new, f) for f in selectors._META_FIELDS}, on=date(2099, 1, 2)
    )
    assert not selectors.visible(
        {f: getattr(old, f) for f in selectors._META_FIELDS}, on=date(2099, 1, 2)
    )


HOSTILE = (
    "<script>alert(1)</script>\n\n"
    '<img src=x onerror="alert(2)">\n\n'
    "[click](javascript:alert(3))\n\n"
    '<a href="https://evil.example" onclick="x()">a</a>\n\n'
    "**bold** and [ok](https://example.com)"
)


def test_markdown_with_script_and_html_is_rendered_inert():
    html = str(render_markdown(HOSTILE))
    assert "<script" not in html
    assert "<img" not in html
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html)  # no tag carries a handler
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html
    assert "noopener" in html


def test_hostile_body_on_the_article_page_is_inert(make_article, as_user, agent):
    article = make_article("危险正文", HOSTILE)
    page = as_user(agent).get(f"/knowledge/articles/{article.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_plain_text_for_a_note():
    assert plain_text("1. **先**重启\n2. 再报修") == "• 先重启\n• 再报修"


def test_control_characters_and_oversized_titles_are_refused(supervisor):
    with pytest.raises(DomainError):
        article_create(by=supervisor, kind="answer", content=Content(title="a\x00b", body="x"))
    with pytest.raises(DomainError):
        article_create(by=supervisor, kind="answer", content=Content(title="长" * 201, body="x"))
    assert Article.objects.count() == 0
