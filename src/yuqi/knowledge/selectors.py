"""Reads: search, what a reader may see, suggestions, versions and their diff, health.

Visibility (one function, :func:`visible`, used by search, suggestions, the help centre):

* only articles with a published version, not retired (an edit waiting for review leaves the
  published version in use); a policy (口径) only while in force
  (``effective_from`` ≤ today < ``effective_until``), so agents always see the wording in force;
* the help centre (``public=True``): audience *public* **and** no tier limit — an article
  limited to some tiers (VIP perks) is never shown publicly ([seed-000]);
* for a known customer (``tier=...``): articles without a tier limit or listing that tier.

Everything is read on each request, so a change of audience or tiers applies at once.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from yuqi.core import clock
from yuqi.core.compiled_reads import CompiledRead
from yuqi.domain.text.search import (
    K1,
    B,
    SynonymTable,
    idf,
    match_quality,
    prune_common,
    query_terms,
)
from yuqi.knowledge.choices import ArticleKind, ArticleStatus, Audience, UseKind
from yuqi.knowledge.models import (
    Article,
    ArticleUse,
    ArticleVersion,
    Category,
    SearchDocument,
    SearchLog,
    SynonymGroup,
)

MAX_LIMIT = 50
#: a best result answering less than this share of the query (``match_quality``) counts as
#: "no good result" for the gap list
GOOD_QUALITY = 0.5

_META_FIELDS = (
    "id",
    "kind",
    "status",
    "audience",
    "tiers",
    "category_id",
    "effective_from",
    "effective_until",
    "published_version_id",
)


def today() -> date:
    return timezone.localdate(clock.now())


def visible(
    meta: dict[str, Any],
    *,
    public: bool = False,
    tier: str | None = None,
    on: date | None = None,
) -> bool:
    if meta["status"] == ArticleStatus.RETIRED or meta["published_version_id"] is None:
        return False
    if meta["kind"] == ArticleKind.POLICY:
        day = on or today()
        start, end = meta["effective_from"], meta["effective_until"]
        if (start is not None and start > day) or (end is not None and end <= day):
            return False
    tiers = meta["tiers"] or []
    if public:
        return meta["audience"] == Audience.PUBLIC and not tiers
    if tier is not None and tiers:
        return tier in tiers
    return True


def visible_articles(*, public: bool = False, tier: str | None = None):
    """Published articles the reader may see (a queryset; Python filter for JSON tiers)."""
    rows = (
        Article.objects.exclude(status=ArticleStatus.RETIRED)
        .filter(published_version__isnull=False)
        .values(*_META_FIELDS)
    )
    if public:
        rows = rows.filter(audience=Audience.PUBLIC)
    day = today()
    return [row["id"] for row in rows if visible(row, public=public, tier=tier, on=day)]


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    score: float
    kind: str
    excerpt: str


@lru_cache(maxsize=8)
def _synonym_table(groups: tuple[str, ...]) -> SynonymTable:
    return SynonymTable(g.replace(",", " ").replace("，", " ").split() for g in groups)


def synonym_table() -> SynonymTable:
    groups = tuple(SynonymGroup.objects.filter(active=True).values_list("words", flat=True))
    return _synonym_table(groups)


def _document_frequencies(terms: list[str]) -> dict[str, int]:
    marks = ", ".join(["%s"] * len(terms))
    sql = (
        f"SELECT term, COUNT(*) FROM knowledge_searchposting WHERE term IN ({marks}) GROUP BY term"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, terms)
        return {term: int(count) for term, count in cursor.fetchall()}


def _stats() -> tuple[int, float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), AVG(length) FROM knowledge_searchdocument")
        count, average = cursor.fetchone()
    return int(count or 0), float(average or 0.0)


@dataclass(frozen=True)
class Ranking:
    results: list[tuple[int, float]]
    quality: float  # share of the query the best result answers (0 without a result)


def rank(query: str, **filters: Any) -> list[tuple[int, float]]:
    """(article id, score) of the best visible matches, best first (BM25, see the domain)."""
    return ranking(query, **filters).results


def ranking(
    query: str,
    *,
    limit: int = 10,
    public: bool = False,
    tier: str | None = None,
    kind: str | None = None,
    category: int | None = None,
) -> Ranking:
    limit = max(1, min(int(limit), MAX_LIMIT))
    weights = query_terms(query or "", synonym_table())
    if not weights:
        return Ranking([], 0.0)
    documents, average = _stats()
    df = _document_frequencies(list(weights))
    kept = prune_common(df, documents=documents)
    if not kept:
        return Ranking([], 0.0)
    coefficients = {
        term: round(weights[term] * idf(df[term], documents), 9) for term in sorted(kept)
    }
    categories = _category_subtree(category) if category else None
    out: list[tuple[int, float]] = []
    day = today()
    fetch = max(limit * 4, 40)
    while True:
        ranked = _scored(coefficients, average, fetch)
        metas = {
            m["id"]: m
            for m in Article.objects.filter(pk__in=[i for i, _ in ranked]).values(*_META_FIELDS)
        }
        out = []
        for article_id, score in ranked:
            meta = metas.get(article_id)
            if meta is None or not visible(meta, public=public, tier=tier, on=day):
                continue
            if kind and meta["kind"] != kind:
                continue
            if categories is not None and meta["category_id"] not in categories:
                continue
            out.append((article_id, score))
            if len(out) >= limit:
                break
        if len(out) >= limit or len(ranked) < fetch or fetch >= 5_000:
            break
        fetch *= 4  # filters took most of the best: look further down the list
    quality = match_quality(out[0][1], query, df, documents=documents) if out else 0.0
    return Ranking(out, quality)


def _scored(coefficients: dict[str, float], average: float, fetch: int) -> list[tuple[int, float]]:
    """BM25 summed by the database over the postings of the kept terms (the domain's
    ``bm25_rank`` formula, term by term: ``q·tf·(k1+1) / (tf + k1·(1−b) + k1·b·|d|/avgdl)``);
    only the best ``fetch`` rows come back. The query's terms and coefficients are a
    ``VALUES`` list joined to the postings; scores are ordered at 6 decimals, ties by article
    id, so SQLite and PostgreSQL sort alike."""
    values = ", ".join(["(%s, %s)"] * len(coefficients))
    params: list[Any] = []
    for term, coefficient in coefficients.items():
        params += [term, coefficient]
    c1 = K1 * (1 - B)
    c2 = K1 * B / (average or 1.0)
    score = f"SUM(q.coef * p.weight * {K1 + 1.0!r} / (p.weight + {c1!r} + {c2!r} * p.length))"
    sql = (
        f"WITH q(term, coef) AS (VALUES {values}) "
        f"SELECT p.article_id, {score} AS score "
        "FROM knowledge_searchposting p JOIN q ON q.term = p.term "
        "GROUP BY p.article_id "
        f"ORDER BY ROUND({score} * 1000000) DESC, p.article_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, fetch])
        return [
            (int(article_id), round(float(value), 6)) for article_id, value in cursor.fetchall()
        ]


def _category_subtree(category_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [category_id]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        stack.extend(children.get(node, []))
    return found


def _english() -> bool:
    return (get_language() or "").startswith("en")


def version_title(version: ArticleVersion) -> str:
    return (version.title_en or version.title) if _english() else version.title


def version_body(version: ArticleVersion) -> str:
    return (version.body_en or version.body) if _english() else version.body


def hits(ranked: list[tuple[int, float]]) -> list[Hit]:
    """Titles (in the active language) and excerpts of ranked ids, in rank order."""
    rows = {
        a.pk: a
        for a in Article.objects.filter(pk__in=[i for i, _ in ranked]).select_related(
            "published_version"
        )
    }
    out = []
    for article_id, score in ranked:
        article = rows.get(article_id)
        if article is None or article.published_version is None:
            continue
        version = article.published_version
        body = " ".join(version_body(version).split())
        out.append(
            Hit(
                id=article_id,
                title=version_title(version),
                score=score,
                kind=article.kind,
                excerpt=body[:140] + ("…" if len(body) > 140 else ""),
            )
        )
    return out


# --- suggestions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    id: int
    title: str
    kind: str
    kind_label: str
    reasons: tuple[str, ...]
    body: str  # Markdown in the active language
    body_html: Any  # rendered and sanitised
    text: str  # plain text for a note


#: The articles' list columns (JSON) a suggestion reads: as their text, parsed by
#: :func:`_json_list` (decoding five JSON columns of every article was three quarters of the read).
_LIST_FIELDS = ("tiers", "topics", "outcomes", "expectations", "complainer_types")
_AS_TEXT = "__text"

#: What a suggestion reads of each article besides ``_META_FIELDS`` and the list columns.
_SUGGESTION_FIELDS = (
    "category__topic",
    "published_version__title",
    "published_version__title_en",
    "published_version__body",
    "published_version__body_en",
)


def _topic_match(article_topics: list[str], codes: list[str]) -> bool:
    for topic in article_topics or []:
        for code in codes:
            if code == topic or code.startswith(topic + ".") or topic.startswith(code + "."):
                return True
    return False


def _suggestable() -> QuerySet[Article, dict[str, Any]]:
    return (
        Article.objects.exclude(status=ArticleStatus.RETIRED)
        .filter(published_version__isnull=False)
        .values(
            *(name for name in _META_FIELDS if name not in _LIST_FIELDS),
            *_SUGGESTION_FIELDS,
            **{name + _AS_TEXT: Cast(name, TextField()) for name in _LIST_FIELDS},
        )
    )


#: The articles the suggestions score, compiled once per database (building and compiling
#: the three-table read of twenty columns was about half a millisecond of every ticket and
#: 360).
SUGGESTABLE_READ = CompiledRead(_suggestable, model=Article)


@lru_cache(maxsize=1024)
def _json_strings(text: str) -> tuple[str, ...] | None:
    """A JSON list of strings as a tuple (kept per text: a text always decodes alike, and
    a tuple cannot be changed by a reader), None for anything else."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(value, list) and all(type(item) is str for item in value):
        return tuple(value)
    return None


def _json_list(text: str | None) -> Any:
    """What the JSON field answers for its column's ``text`` (``JSONField.from_db_value``):
    a list of strings as a tuple, decoded once per process; anything else decoded afresh."""
    if text is None:
        return None
    found = _json_strings(text)
    if found is not None:
        return found
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # as the field answers a text it cannot decode


def suggestable_articles() -> list[dict[str, Any]]:
    """One dict per article the suggestions may score: ``_META_FIELDS``, the list columns
    (tuples where the field holds a list of strings) and ``_SUGGESTION_FIELDS``."""
    out = []
    for row in SUGGESTABLE_READ.rows():
        article = row.copy()  # the read's own rows left as read
        for name in _LIST_FIELDS:
            article[name] = _json_list(article.pop(name + _AS_TEXT))
        out.append(article)
    return out


def suggestions(
    *,
    topics: list[str],
    outcomes: list[str],
    expectations: list[str],
    complainer_type: str = "",
    tier: str | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """Articles for a complaint or a customer: scored on the predicted category (3), each
    known expectation (3), each wanted outcome (2), the complainer type (2); the article
    kind breaks ties (script and policy first, the words to use)."""
    from yuqi.knowledge.rendering import plain_text, render_markdown

    if not (topics or outcomes or expectations or complainer_type):
        return []
    rows = suggestable_articles()  # one dict per article: the scoring needs no instances
    day = today()
    order: dict[str, int] = {
        ArticleKind.SCRIPT.value: 0,
        ArticleKind.POLICY.value: 1,
        ArticleKind.PLAYBOOK.value: 2,
    }
    scored = []
    for article in rows:
        if not visible(article, tier=tier, on=day):
            continue
        score, reasons = 0, []
        article_topics = list(article["topics"] or [])
        if article["category__topic"]:
            article_topics.append(article["category__topic"])
        if topics and _topic_match(article_topics, topics):
            score += 3
            reasons.append("topic")
        shared = set(article["expectations"] or []) & set(expectations)
        if shared:
            score += 3 * len(shared)
            reasons.append("expectation")
        wanted = set(article["outcomes"] or []) & set(outcomes)
        if wanted:
            score += 2 * len(wanted)
            reasons.append("outcome")
        if complainer_type and complainer_type in (article["complainer_types"] or []):
            score += 2
            reasons.append("complainer")
        if score:
            scored.append((-score, order.get(article["kind"], 3), article["id"], article, reasons))
    scored.sort(key=lambda item: item[:3])
    english = _english()
    kinds = dict(ArticleKind.choices)
    out = []
    for _, _, _, article, reasons in scored[:limit]:
        # as version_title / version_body of the published version
        title, body = article["published_version__title"], article["published_version__body"]
        if english:
            title = article["published_version__title_en"] or title
            body = article["published_version__body_en"] or body
        out.append(
            Suggestion(
                id=article["id"],
                title=title,
                kind=article["kind"],
                kind_label=str(kinds.get(article["kind"], article["kind"])),
                reasons=tuple(reasons),
                body=body,
                body_html=render_markdown(body),
                text=plain_text(body),
            )
        )
    return out


# --- versions ----------------------------------------------------------------------------


def version_diff(older: ArticleVersion, newer: ArticleVersion) -> list[tuple[str, str]]:
    """Line diff of two versions (title, tags and both bodies): (op, line), op in
    ``" "``, ``"-"``, ``"+"``; unchanged stretches shortened to 2 lines of context."""

    def lines(v: ArticleVersion) -> list[str]:
        return [
            f"# {v.title}",
            f"# {v.title_en}",
            "tags: " + ", ".join(v.tags or []),
            "",
            *v.body.splitlines(),
            "",
            *v.body_en.splitlines(),
        ]

    out: list[tuple[str, str]] = []
    for line in difflib.unified_diff(lines(older), lines(newer), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(("@", "…"))
            continue
        out.append((line[:1], line[1:]))
    return out


# --- health ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapQuery:
    query: str
    searches: int
    best_score: float | None
    last_at: Any


def gap_queries(*, days: int = 90, limit: int = 50) -> list[GapQuery]:
    since = clock.now() - timedelta(days=days)
    rows = (
        SearchLog.objects.filter(at__gte=since)
        .filter(Q(results=0) | Q(quality__lt=GOOD_QUALITY))
        .values("query")
        .annotate(n=Count("id"), best=Max("top_score"), last=Max("at"))
        .order_by("-n", "-last")[:limit]
    )
    return [GapQuery(r["query"], r["n"], r["best"], r["last"]) for r in rows]


def _published_topics() -> list[str]:
    out: list[str] = []
    day = today()
    for article in Article.objects.filter(published_version__isnull=False).select_related(
        "category"
    ):
        meta = {f: getattr(article, f) for f in _META_FIELDS}
        if not visible(meta, on=day):
            continue
        out.extend(article.topics or [])
        if article.category and article.category.topic:
            out.append(article.category.topic)
    return out


def uncovered_categories() -> list[tuple[str, str]]:
    """Complaint taxonomy categories (code, label) no published article covers (the same
    code or a parent; a child article covers only that child)."""
    from yuqi.textmining.facade import taxonomy_labels

    topics = set(_published_topics())
    out = []
    for code, label in sorted(taxonomy_labels().items()):
        parts = code.split(".")
        prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
        if not (prefixes & topics) and not any(t.startswith(code + ".") for t in topics):
            out.append((code, label))
    return out


def uncovered_c_grade() -> list[Any]:
    """C-grade expectations with no published article naming them (scripts included)."""
    from yuqi.insights.facade import live_expectations

    covered: set[str] = set()
    day = today()
    for article in Article.objects.filter(published_version__isnull=False):
        meta = {f: getattr(article, f) for f in _META_FIELDS}
        if visible(meta, on=day):
            covered.update(article.expectations or [])
    return [e for e in live_expectations(grade="C") if e.code not in covered]


def past_review() -> list[Article]:
    return list(
        Article.objects.filter(published_version__isnull=False, review_by__lt=today())
        .exclude(status=ArticleStatus.RETIRED)
        .select_related("published_version", "owner")
        .order_by("review_by")[:100]
    )


@dataclass(frozen=True)
class UseRow:
    article_id: int
    title: str
    used: int
    helpful: int
    unhelpful: int

    @property
    def feedback(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def helpful_share(self) -> float | None:
        return self.helpful / self.feedback if self.feedback else None


_HELPFUL = (UseKind.HELPFUL, UseKind.PUBLIC_YES)
_UNHELPFUL = (UseKind.NOT_HELPFUL, UseKind.WRONG, UseKind.PUBLIC_NO)
_USED = (UseKind.USED, UseKind.INSERTED)


def use_rows(*, days: int = 90) -> list[UseRow]:
    since = clock.now() - timedelta(days=days)
    rows = (
        ArticleUse.objects.filter(at__gte=since)
        .values("article_id")
        .annotate(
            used=Count("id", filter=Q(kind__in=_USED)),
            helpful=Count("id", filter=Q(kind__in=_HELPFUL)),
            unhelpful=Count("id", filter=Q(kind__in=_UNHELPFUL)),
        )
    )
    titles = {
        a.pk: str(a)
        for a in Article.objects.filter(pk__in=[r["article_id"] for r in rows]).select_related(
            "published_version", "latest_version"
        )
    }
    return [
        UseRow(
            r["article_id"],
            titles.get(r["article_id"], ""),
            r["used"],
            r["helpful"],
            r["unhelpful"],
        )
        for r in rows
    ]


def most_used(*, days: int = 90, limit: int = 10) -> list[UseRow]:
    rows = [r for r in use_rows(days=days) if r.used]
    return sorted(rows, key=lambda r: (-r.used, r.article_id))[:limit]


def least_helpful(*, days: int = 90, limit: int = 10, minimum: int = 3) -> list[UseRow]:
    rows = [r for r in use_rows(days=days) if r.feedback >= minimum]
    return sorted(rows, key=lambda r: (r.helpful_share or 0.0, -r.feedback, r.article_id))[:limit]


def knowledge_use(date_from: date, date_to: date) -> tuple[int, int]:
    """(complaints opened in the period on which an article was used, complaints opened)."""
    from yuqi.complaints.facade import complaint_ids
    from yuqi.core.clock import day_start

    ids = complaint_ids(
        opened_from=day_start(date_from), opened_to=day_start(date_to + timedelta(days=1))
    )
    if not ids:
        return 0, 0
    used = set(
        ArticleUse.objects.filter(complaint_id__isnull=False, kind__in=(*_USED, UseKind.HELPFUL))
        .values_list("complaint_id", flat=True)
        .distinct()
    )
    return len(used & set(ids)), len(ids)


def all_documents() -> int:
    return SearchDocument.objects.count()
