from __future__ import annotations

import pytest

# complaints opened and analysed in suggestion tests: the complaints fixtures (frozen clock,
# outbox, broken promises) and text mining's fresh model folder
from tests.complaints.conftest import broken_promises, frozen, outbox  # noqa: F401
from tests.textmining.conftest import model_folder  # noqa: F401
from yuqi.knowledge.services import Content, article_approve, article_create, article_submit


@pytest.fixture
def seeded(db):
    from yuqi.knowledge.seed import seed_all

    return seed_all()


@pytest.fixture
def make_article(db, supervisor, manager):
    """``make_article(title, body, **meta)``: written by the supervisor, approved by the
    manager (published)."""

    def make(title: str, body: str = "正文", *, publish: bool = True, kind: str = "answer", **meta):
        tags = meta.pop("tags", ())
        title_en = meta.pop("title_en", "")
        article = article_create(
            by=supervisor,
            kind=kind,
            content=Content(title=title, body=body, tags=tuple(tags), title_en=title_en),
            **meta,
        )
        if publish:
            article_submit(by=supervisor, article=article)
            article = article_approve(by=manager, article=article)
        article.refresh_from_db()
        return article

    return make
