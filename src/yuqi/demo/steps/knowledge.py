"""Demo step (after the register): the knowledge base's starter content, and the C-grade
expectations' guidance scripts as script articles (``yuqi knowledge seed``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnowledgeSummary:
    articles: int
    generated: int


def load_demo_knowledge() -> KnowledgeSummary:
    from yuqi.knowledge.models import Article
    from yuqi.knowledge.seed import seed_all

    counts = seed_all()
    return KnowledgeSummary(articles=Article.objects.count(), generated=counts["generated"])
