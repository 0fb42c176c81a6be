"""Install the starter content and keep generated articles in step with their sources.

Generated articles (``generated_from``) are rewritten from their source whenever it differs:

* ``service_standards``: the promise guard's service standards (``commitments.facade``), as
  a 口径 table, so the wording agents read and the guard that checks promises cannot disagree;
* ``guidance``: each C-grade expectation's guidance script (``insights.facade``) becomes an
  expectation-setting script article.

``sync_generated()`` runs at seed time, when such an article is opened and every 10 minutes
(job ``knowledge-sync-generated``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import translation

from yuqi.knowledge import starter
from yuqi.knowledge.choices import ArticleKind, ArticleStatus, Audience
from yuqi.knowledge.models import Article, Category, SynonymGroup
from yuqi.knowledge.services import (
    Content,
    article_create,
    article_publish_builtin,
    article_update,
)

STANDARDS_KEY = "policy-service-standards"


def seed_categories() -> dict[str, Category]:
    out: dict[str, Category] = {}
    for order, (code, parent, name, name_en, topic) in enumerate(starter.CATEGORIES):
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "parent": out.get(parent) if parent else None,
                "name": name,
                "name_en": name_en,
                "topic": topic,
                "order": order * 10,
            },
        )
        out[code] = category
    return out


def seed_synonyms() -> int:
    if SynonymGroup.objects.exists():
        return 0
    SynonymGroup.objects.bulk_create([SynonymGroup(words=words) for words in starter.SYNONYMS])
    return len(starter.SYNONYMS)


def _ensure(key: str, *, kind: str, content: Content, **meta) -> Article:
    """Create and publish the built-in article ``key`` unless it exists (edits are kept)."""
    article = Article.objects.filter(key=key).first()
    if article is None:
        article = article_create(by=None, kind=kind, content=content, key=key, **meta)
        article_publish_builtin(article)
    return article


def _sync(key: str, *, kind: str, content: Content, generated_from: str, **meta) -> Article:
    """Create, or rewrite and republish, the generated article ``key`` from ``content``."""
    article = Article.objects.filter(key=key).first()
    if article is None:
        article = article_create(
            by=None, kind=kind, content=content, key=key, generated_from=generated_from, **meta
        )
        return article_publish_builtin(article)
    if article.status == ArticleStatus.RETIRED:  # retired by hand: left alone
        return article
    published = article.published_version
    current = (
        (published.title, published.title_en, published.body, published.body_en)
        if published
        else None
    )
    wanted = (content.title, content.title_en, content.body, content.body_en)
    if current != wanted or article.status != ArticleStatus.PUBLISHED:
        article_update(by=None, article=article, content=content, note="generated")
        article.refresh_from_db()
        article_publish_builtin(article)
    return article


def _amount(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}"


def standards_content() -> Content:
    """The service standards as a Markdown table (Chinese and English)."""
    from yuqi.commitments.facade import service_standard_lines

    bodies = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            lines = service_standard_lines()
            if language == "en":
                head = (
                    "The promise guard checks every promise against these standards: promise "
                    "no faster than the achievable time; the suggested due adds the buffer.\n\n"
                    "| Kind | Tier | Achievable | Buffer | Unit | Amount limit (yuan) |\n"
                )
            else:
                head = (
                    "承诺守卫按下表核查每一个承诺：承诺时限不得快于可达时限，建议时限另加缓冲。\n\n"
                    "| 类型 | 等级 | 可达时限 | 缓冲 | 单位 | 金额上限（元） |\n"
                )
            rows = [head + "|---|---|---|---|---|---|"]
            for line in lines:
                tier = line.tier_label or ("all tiers" if language == "en" else "所有等级")
                rows.append(
                    f"| {line.kind_label} | {tier} | {_amount(line.achievable)} | "
                    f"{_amount(line.buffer)} | {line.unit_label} | {_amount(line.amount_limit)} |"
                )
            bodies[language] = "\n".join(rows) + "\n"
    return Content(
        title="服务标准（承诺时限与金额上限）",
        title_en="Service standards (promise times and amount limits)",
        body=bodies["zh-hans"],
        body_en=bodies["en"],
        tags=("服务标准", "承诺", "时限"),
    )


@transaction.atomic
def sync_generated() -> int:
    """Rewrite generated articles whose source changed; returns how many exist."""
    categories = {c.code: c for c in Category.objects.all()}
    count = 0
    _sync(
        STANDARDS_KEY,
        kind=ArticleKind.POLICY,
        content=standards_content(),
        generated_from="service_standards",
        category=categories.get("standards"),
        topics=["promise"],
        effective_from=starter.POLICY_EFFECTIVE,
    )
    count += 1
    from yuqi.insights.facade import live_expectations

    for expectation in live_expectations(grade="C"):
        if not expectation.script.strip():
            continue
        content = Content(
            title=f"期望管理话术：{expectation.statement}"[:200],
            title_en=(
                f"Expectation-setting script: {expectation.statement_en}"[:200]
                if expectation.statement_en
                else ""
            ),
            body=expectation.script,
            body_en=expectation.script_en,
            tags=("话术", "C级期望"),
        )
        _sync(
            f"guidance-{expectation.code}"[:80],
            kind=ArticleKind.SCRIPT,
            content=content,
            generated_from="guidance",
            category=categories.get("scripts"),
            topics=[expectation.category] if expectation.category else [],
            expectations=[expectation.code],
        )
        count += 1
    return count


@transaction.atomic
def seed_all() -> dict[str, int]:
    """Install everything missing (never overwrites an edit) and sync generated articles."""
    categories = seed_categories()
    synonyms = seed_synonyms()
    before = Article.objects.count()
    _ensure(
        "playbook-six-steps",
        kind=ArticleKind.PLAYBOOK,
        content=Content(
            title="降低客户期望值的六个步骤",
            title_en="Six steps to lower a customer's expectation",
            body=starter.SIX_STEPS_ZH,
            body_en=starter.SIX_STEPS_EN,
            tags=("期望值", "话术", "达成协议"),
        ),
        category=categories["scripts"],
        outcomes=["refund", "compensation", "waiver", "redelivery"],
    )
    _ensure(
        "playbook-complaint-levels",
        kind=ArticleKind.PLAYBOOK,
        content=Content(
            title="三级投诉的处理原则",
            title_en="Handling principles of the three complaint levels",
            body=starter.LEVELS_ZH,
            body_en=starter.LEVELS_EN,
            tags=("越级投诉", "工信部申诉", "规范处理"),
        ),
        category=categories["handling"],
    )
    _ensure(
        "policy-promise-margin",
        kind=ArticleKind.POLICY,
        content=Content(
            title="承诺口径：留有余地，杜绝空头支票",
            title_en="Promise wording: keep a margin, no empty cheques",
            body=starter.PROMISE_ZH,
            body_en=starter.PROMISE_EN,
            tags=("承诺", "口径"),
        ),
        category=categories["standards"],
        topics=["promise"],
        effective_from=starter.POLICY_EFFECTIVE,
    )
    for code, title, title_en, body, body_en in starter.COMPLAINER_SCRIPTS:
        _ensure(
            f"script-complainer-{code}",
            kind=ArticleKind.SCRIPT,
            content=Content(
                title=title, title_en=title_en, body=body, body_en=body_en, tags=("话术",)
            ),
            category=categories["scripts"],
            complainer_types=[code],
        )
    for row in starter.FAQS:
        key, kind, category, audience, tiers, topics, outcomes = row[:7]
        title, title_en, tags, body, body_en = row[7:]
        _ensure(
            key,
            kind=kind,
            content=Content(
                title=title, title_en=title_en, body=body, body_en=body_en, tags=tuple(tags)
            ),
            category=categories[category],
            audience=audience or Audience.INTERNAL,
            tiers=list(tiers),
            topics=list(topics),
            outcomes=list(outcomes),
        )
    generated = sync_generated()
    return {
        "categories": len(categories),
        "synonym_groups": synonyms,
        "articles_added": Article.objects.count() - before,
        "generated": generated,
    }
