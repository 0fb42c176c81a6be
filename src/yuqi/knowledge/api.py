"""REST endpoints of the knowledge context (mounted under /api/v1/ in yuqi.config.api).

Every operation checks its permission before ninja parses the query or body
(``api_requires``), so a caller without it learns nothing of the fields from a 422.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id
from yuqi.core.errors import DomainError
from yuqi.knowledge import selectors, services
from yuqi.knowledge.choices import AGENT_FEEDBACK, ArticleKind, SearchChannel
from yuqi.knowledge.models import Article
from yuqi.knowledge.rendering import render_markdown

router = Router(tags=["knowledge"])

VIEW = "knowledge.view_article"


class SearchQuery(Schema):
    q: str = Field("", max_length=2000, description="the question, in the customer's words")
    limit: int = Field(10, ge=1, le=selectors.MAX_LIMIT)
    kind: ArticleKind | None = None
    category: Id | None = Field(None, description="category id (its subtree)")


class HitOut(Schema):
    id: int
    title: str
    score: float
    kind: str
    excerpt: str


class ArticleOut(Schema):
    id: int
    kind: str
    status: str
    audience: str
    tiers: list[str]
    version: int | None
    title: str
    body: str = Field(description="Markdown, in the requested language")
    body_html: str = Field(description="rendered and sanitised")


class ArticleFeedbackIn(Schema):
    kind: str = Field(max_length=12, description="used, inserted, helpful, not_helpful or wrong")
    complaint_id: Id | None = None
    customer_id: Id | None = None


class ArticleFeedbackOut(Schema):
    id: int
    kind: str


@router.get("/knowledge/search", response=list[HitOut])
@api_requires(VIEW)
def knowledge_search(request: HttpRequest, params: Query[SearchQuery]) -> list[dict]:
    """Published articles in force, best first (BM25 over jieba words, bigrams, synonyms)."""
    found = selectors.ranking(
        params.q,
        limit=params.limit,
        kind=params.kind.value if params.kind else None,
        category=params.category,
    )
    services.search_log(
        query=params.q, channel=SearchChannel.AGENT, results=found.results, quality=found.quality
    )
    return [hit.__dict__ for hit in selectors.hits(found.results)]


def _readable(article_id: int) -> Article:
    article = get_object_or_404(Article.objects.select_related("published_version"), pk=article_id)
    meta = {f: getattr(article, f) for f in selectors._META_FIELDS}
    if not selectors.visible(meta):
        raise HttpError(404, "Not found")
    return article


@router.get("/knowledge/articles/{article_id}", response=ArticleOut)
@api_requires(VIEW)
def knowledge_article(request: HttpRequest, article_id: Id) -> dict:
    """A published article in force (its published version)."""
    article = _readable(article_id)
    version = article.published_version
    assert version is not None  # _readable
    body = selectors.version_body(version)
    return {
        "id": article.pk,
        "kind": article.kind,
        "status": article.status,
        "audience": article.audience,
        "tiers": list(article.tiers or []),
        "version": version.number,
        "title": selectors.version_title(version),
        "body": body,
        "body_html": str(render_markdown(body)),
    }


@router.post("/knowledge/articles/{article_id}/feedback", response={201: ArticleFeedbackOut})
@api_requires(VIEW)
def knowledge_feedback(request: HttpRequest, article_id: Id, payload: ArticleFeedbackIn) -> Status:
    """One click: used, inserted, helpful, not helpful or wrong (logged with the ticket)."""
    if payload.kind not in AGENT_FEEDBACK:
        raise HttpError(422, "Unknown feedback kind.")
    article = _readable(article_id)
    try:
        use = services.article_log_use(
            article=article,
            kind=payload.kind,
            by=caller(request),
            complaint_id=payload.complaint_id,
            customer_id=payload.customer_id,
        )
    except DomainError as exc:
        raise HttpError(422, exc.message) from exc
    return Status(201, {"id": use.pk, "kind": use.kind})
