"""Writes: articles and their versions, the workflow, the search index, use and feedback.

Workflow: draft → review → published → retired. Anyone who may edit writes drafts and submits
them; a user with ``knowledge.publish_article`` approves. A policy wording (口径) needs a
*second person*: the approver may be neither the author of the version nor its submitter.
An edit makes a new version and sends the article back to draft; the published version stays
in use until the new one is approved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core import clock
from yuqi.core.errors import DomainError
from yuqi.core.text import has_control_characters
from yuqi.domain.text.search import MAX_TERM_LENGTH, index_terms
from yuqi.knowledge.choices import (
    ArticleKind,
    ArticleStatus,
    Audience,
    SearchChannel,
    UseKind,
)
from yuqi.knowledge.models import (
    BODY_MAX,
    TITLE_MAX,
    Article,
    ArticleUse,
    ArticleVersion,
    Category,
    SearchDocument,
    SearchLog,
    SearchPosting,
)

PUBLISH = "knowledge.publish_article"
EDIT = "knowledge.change_article"
MAX_TAGS = 20
MAX_TAG_LENGTH = 30
MAX_CODES = 20


@dataclass(frozen=True)
class Content:
    title: str
    body: str
    title_en: str = ""
    body_en: str = ""
    tags: tuple[str, ...] = ()


def _clean_text(value: str, *, field: str, limit: int, required: bool, multiline: bool) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise DomainError(_("This field is required."), field=field)
    if len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters, got %(count)d.")
            % {"limit": limit, "count": len(value)},
            field=field,
        )
    check = value.replace("\n", "").replace("\t", "") if multiline else value
    if has_control_characters(check):
        raise DomainError(_("Control characters are not allowed."), field=field)
    return value


def _clean_list(values: Iterable[str], *, field: str, limit: int, length: int) -> list[str]:
    out: list[str] = []
    for value in values or ():
        value = str(value).strip()
        if not value or value in out:
            continue
        if len(value) > length or has_control_characters(value):
            raise DomainError(_("Invalid value: %(value)s") % {"value": value[:40]}, field=field)
        out.append(value)
    if len(out) > limit:
        raise DomainError(_("At most %(limit)d values.") % {"limit": limit}, field=field)
    return out


def clean_content(content: Content) -> Content:
    return Content(
        title=_clean_text(
            content.title, field="title", limit=TITLE_MAX, required=True, multiline=False
        ),
        title_en=_clean_text(
            content.title_en, field="title_en", limit=TITLE_MAX, required=False, multiline=False
        ),
        body=_clean_text(content.body, field="body", limit=BODY_MAX, required=True, multiline=True),
        body_en=_clean_text(
            content.body_en, field="body_en", limit=BODY_MAX, required=False, multiline=True
        ),
        tags=tuple(_clean_list(content.tags, field="tags", limit=MAX_TAGS, length=MAX_TAG_LENGTH)),
    )


def _check_meta(kind: str, audience: str, effective_from: date | None) -> None:
    if kind not in ArticleKind.values:
        raise DomainError(_("Unknown article kind."), field="kind")
    if audience not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    if kind == ArticleKind.POLICY and effective_from is None:
        raise DomainError(
            _("A policy wording needs the date it is in force from."), field="effective_from"
        )


def _new_version(article: Article, content: Content, *, by: Any, note: str = "") -> ArticleVersion:
    last = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ArticleVersion.objects.create(
        article=article,
        number=last + 1,
        title=content.title,
        title_en=content.title_en,
        body=content.body,
        body_en=content.body_en,
        tags=list(content.tags),
        note=note[:200],
        created_by=by,
        created_at=clock.now(),
    )
    article.latest_version = version
    return version


@transaction.atomic
def article_create(
    *,
    by: Any,
    kind: str,
    content: Content,
    category: Category | None = None,
    audience: str = Audience.INTERNAL,
    tiers: Iterable[str] = (),
    topics: Iterable[str] = (),
    outcomes: Iterable[str] = (),
    expectations: Iterable[str] = (),
    complainer_types: Iterable[str] = (),
    review_by: date | None = None,
    effective_from: date | None = None,
    key: str | None = None,
    generated_from: str = "",
    replaces: Article | None = None,
) -> Article:
    content = clean_content(content)
    _check_meta(kind, audience, effective_from)
    now = clock.now()
    article = Article.objects.create(
        kind=kind,
        category=category,
        audience=audience,
        tiers=_clean_list(tiers, field="tiers", limit=MAX_CODES, length=30),
        topics=_clean_list(topics, field="topics", limit=MAX_CODES, length=60),
        outcomes=_clean_list(outcomes, field="outcomes", limit=MAX_CODES, length=30),
        expectations=_clean_list(expectations, field="expectations", limit=MAX_CODES, length=60),
        complainer_types=_clean_list(
            complainer_types, field="complainer_types", limit=4, length=20
        ),
        review_by=review_by,
        effective_from=effective_from,
        key=key,
        generated_from=generated_from,
        replaces=replaces,
        owner=by,
        created_at=now,
        updated_at=now,
    )
    _new_version(article, content, by=by, note=_("First version"))
    article.save(update_fields=["latest_version"])
    return article


@transaction.atomic
def article_update(*, by: Any, article: Article, content: Content, note: str = "") -> Article:
    """A new version if the content changed; the article goes back to draft for review."""
    content = clean_content(content)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == ArticleStatus.RETIRED:
        raise DomainError(_("A retired article cannot be edited."), code="retired")
    latest = article.latest_version
    if latest is not None and (
        latest.title,
        latest.title_en,
        latest.body,
        latest.body_en,
        tuple(latest.tags),
    ) == (content.title, content.title_en, content.body, content.body_en, content.tags):
        return article
    _new_version(article, content, by=by, note=note)
    article.status = ArticleStatus.DRAFT
    article.submitted_by = None
    article.updated_at = clock.now()
    article.save(update_fields=["latest_version", "status", "submitted_by", "updated_at"])
    return article


@transaction.atomic
def article_set_meta(*, by: Any, article: Article, **fields: Any) -> Article:
    """Audience, tiers, category, review date, topics …: in force at once (no review), so a
    tier limit added while the article is suggested removes it from the help centre now."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    allowed = {
        "audience",
        "tiers",
        "category",
        "review_by",
        "topics",
        "outcomes",
        "expectations",
        "complainer_types",
        "owner",
        "effective_from",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    for name in ("tiers", "topics", "outcomes", "expectations", "complainer_types"):
        if name in fields:
            fields[name] = _clean_list(fields[name], field=name, limit=MAX_CODES, length=60)
    for name, value in fields.items():
        setattr(article, name, value)
    _check_meta(article.kind, article.audience, article.effective_from)
    article.updated_at = clock.now()
    article.save()
    return article


def article_submit(*, by: Any, article: Article) -> Article:
    if article.status != ArticleStatus.DRAFT:
        raise DomainError(_("Only a draft can be sent for review."), code="state")
    article.status = ArticleStatus.REVIEW
    article.submitted_by = by
    article.updated_at = clock.now()
    article.save(update_fields=["status", "submitted_by", "updated_at"])
    return article


def _check_approver(by: Any, article: Article) -> None:
    if not by.has_perm(PUBLISH):
        raise DomainError(_("You may not publish articles."), code="forbidden")
    if article.kind == ArticleKind.POLICY:
        author_id = article.latest_version.created_by_id if article.latest_version else None
        if by.pk in {author_id, article.submitted_by_id}:
            raise DomainError(
                _("A policy wording is approved by a second person, not its author."),
                code="four_eyes",
            )


@transaction.atomic
def article_approve(*, by: Any, article: Article) -> Article:
    """Publish the latest version (from review; a policy needs a second person)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != ArticleStatus.REVIEW:
        raise DomainError(_("Only an article in review can be approved."), code="state")
    _check_approver(by, article)
    return _publish(article, by=by)


def _publish(article: Article, *, by: Any) -> Article:
    article.status = ArticleStatus.PUBLISHED
    article.published_version = article.latest_version
    article.approved_by = by
    article.updated_at = clock.now()
    article.save(update_fields=["status", "published_version", "approved_by", "updated_at"])
    if article.replaces_id and article.kind == ArticleKind.POLICY and article.effective_from:
        Article.objects.filter(pk=article.replaces_id).update(
            effective_until=article.effective_from
        )
        old = Article.objects.get(pk=article.replaces_id)
        index_article(old)
    index_article(article)
    return article


def article_publish_builtin(article: Article) -> Article:
    """Publish built-in or generated content (starter set, generated standards): no reviewer."""
    return _publish(article, by=None)


def article_reject(*, by: Any, article: Article) -> Article:
    if not by.has_perm(PUBLISH):
        raise DomainError(_("You may not publish articles."), code="forbidden")
    if article.status != ArticleStatus.REVIEW:
        raise DomainError(_("Only an article in review can be sent back."), code="state")
    article.status = ArticleStatus.DRAFT
    article.updated_at = clock.now()
    article.save(update_fields=["status", "updated_at"])
    return article


def article_retire(*, by: Any, article: Article) -> Article:
    if not by.has_perm(PUBLISH):
        raise DomainError(_("You may not retire articles."), code="forbidden")
    article.status = ArticleStatus.RETIRED
    article.updated_at = clock.now()
    article.save(update_fields=["status", "updated_at"])
    index_article(article)
    return article


# --- the search index --------------------------------------------------------------------


def is_searchable(article: Article) -> bool:
    """Has a published version and is not retired (dates are checked at search time)."""
    return article.status != ArticleStatus.RETIRED and article.published_version_id is not None


def index_article(article: Article) -> None:
    """(Re)write the article's postings from its published version; remove it if retired.

    Policies not yet (or no longer) in force stay indexed: the search filters them by date,
    so a wording comes into force at midnight without a re-index.
    """
    SearchPosting.objects.filter(article_id=article.pk).delete()
    SearchDocument.objects.filter(article_id=article.pk).delete()
    if not is_searchable(article):
        return
    version = article.published_version
    assert version is not None  # is_searchable
    indexed = index_terms(
        title=f"{version.title} {version.title_en}",
        tags=version.tags,
        body=f"{version.body}\n{version.body_en}",
    )
    SearchDocument.objects.create(article_id=article.pk, length=indexed.length)
    SearchPosting.objects.bulk_create(
        [
            SearchPosting(
                term=term[:MAX_TERM_LENGTH],
                article_id=article.pk,
                weight=weight,
                length=indexed.length,
            )
            for term, weight in indexed.frequencies.items()
        ],
        batch_size=1000,
    )


def reindex_all() -> int:
    count = 0
    for article in Article.objects.select_related("published_version").iterator():
        index_article(article)
        count += 1
    return count


# --- use, feedback and the search log ---------------------------------------------------


def article_log_use(
    *,
    article: Article,
    kind: str,
    by: Any = None,
    complaint_id: int | None = None,
    customer_id: int | None = None,
) -> ArticleUse:
    if kind not in UseKind.values:
        raise DomainError(_("Unknown feedback."), field="kind")
    version = article.published_version
    return ArticleUse.objects.create(
        article=article,
        version=version.number if version else None,
        kind=kind,
        user=by if getattr(by, "is_authenticated", False) else None,
        complaint_id=complaint_id,
        customer_id=customer_id,
        at=clock.now(),
    )


def search_log(
    *, query: str, channel: str, results: list[tuple[int, float]], quality: float = 0.0
) -> SearchLog | None:
    query = " ".join((query or "").split())[:200]
    if not query or channel not in SearchChannel.values:
        return None
    top = results[0] if results else None
    return SearchLog.objects.create(
        query=query,
        channel=channel,
        results=len(results),
        top_score=top[1] if top else None,
        top_article_id=top[0] if top else None,
        quality=quality,
        at=clock.now(),
    )


def today() -> date:
    return timezone.localdate(clock.now())
