"""Demo step (after the register): the knowledge base's starter content, the C-grade
expectations' guidance scripts as script articles (``yuqi knowledge seed``), and the
agents' use of it on the complaints they handled.

Agents differ in habit: some open an article on most tickets, some rarely, so the
scorecard's knowledge use and the article-use report show a spread a manager would see."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class KnowledgeSummary:
    articles: int
    generated: int
    uses: int = 0


def load_demo_knowledge(seed: int = 7) -> KnowledgeSummary:
    from yuqi.knowledge.models import Article
    from yuqi.knowledge.seed import seed_all

    counts = seed_all()
    return KnowledgeSummary(
        articles=Article.objects.count(), generated=counts["generated"], uses=_log_uses(seed)
    )


def _log_uses(seed: int) -> int:
    """Article uses on the demo's handled complaints: a view, then the article used or
    inserted into a note, sometimes rated (written in bulk; the service logs one at a time)."""
    from yuqi.complaints.models import Complaint
    from yuqi.knowledge.choices import ArticleStatus, UseKind
    from yuqi.knowledge.models import Article, ArticleUse

    if ArticleUse.objects.filter(complaint_id__isnull=False).exists():
        return 0  # built once: a second run of the step adds nothing
    articles = list(
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .select_related("published_version")
        .order_by("pk")
    )
    if not articles:
        return 0
    by_topic: dict[str, list[Article]] = {}
    for article in articles:
        for topic in article.topics or ():
            by_topic.setdefault(topic, []).append(article)
    rng = random.Random(seed * 7919 + 11)
    habit: dict[int, float] = {}
    uses: list[ArticleUse] = []
    tickets = (
        Complaint.objects.filter(owner__isnull=False)
        .values_list("pk", "owner_id", "customer_id", "opened_at", "category__code")
        .order_by("pk")
    )
    for pk, owner_id, customer_id, opened_at, topic in tickets:
        rate = habit.setdefault(owner_id, rng.uniform(0.25, 0.85))
        if rng.random() >= rate:
            continue
        article = rng.choice(by_topic.get(topic or "") or articles)
        version = article.published_version.number if article.published_version else None
        at = opened_at + timedelta(minutes=rng.randint(2, 40))

        kinds = [UseKind.VIEWED, UseKind.INSERTED if rng.random() < 0.4 else UseKind.USED]
        feedback = rng.random()
        if feedback < 0.3:
            kinds.append(UseKind.HELPFUL)
        elif feedback < 0.36:
            kinds.append(UseKind.NOT_HELPFUL)
        uses.extend(
            ArticleUse(
                article=article,
                version=version,
                kind=kind,
                user_id=owner_id,
                complaint_id=pk,
                customer_id=customer_id,
                at=at + timedelta(minutes=step),
            )
            for step, kind in enumerate(kinds)
        )
    ArticleUse.objects.bulk_create(uses, batch_size=2000)
    return len(uses)
