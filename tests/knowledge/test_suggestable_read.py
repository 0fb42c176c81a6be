"""The articles the suggestions score (``selectors.suggestable_articles``) read their five
list columns as JSON text, each text decoded once per process: the rows equal the former
read's, whose JSON fields Django decoded (a list of strings as a tuple, any other JSON as
decoded), and the suggestions made from them are the former ones."""

from __future__ import annotations

import pytest
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from yuqi.knowledge import selectors
from yuqi.knowledge.choices import ArticleStatus
from yuqi.knowledge.models import Article

pytestmark = pytest.mark.django_db

LISTS = ("tiers", "topics", "outcomes", "expectations", "complainer_types")


def _former() -> list[dict]:
    """The former read: the JSON fields decoded by Django."""
    return list(
        Article.objects.exclude(status=ArticleStatus.RETIRED)
        .filter(published_version__isnull=False)
        .values(*selectors._META_FIELDS, *LISTS, *selectors._SUGGESTION_FIELDS)
    )


def _as_lists(row: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in row.items()}


@pytest.fixture
def articles(make_article):
    make_article(
        "多扣费怎么退",
        "先核对账单",
        kind="script",
        topics=["billing", "billing.overcharge"],
        outcomes=["refund"],
        expectations=["e-refund"],
        complainer_types=["rational"],
        title_en="Refunds",
    )
    make_article("金卡专享", "专享权益", tiers=["gold", "vip"], topics=["quality"])
    make_article("空的", "无")
    odd = make_article("异常的列", "x", topics=["network"])
    make_article("未发布", publish=False, topics=["billing"])
    # JSON the editor never writes, answered as Django's JSON field answers it
    Article.objects.filter(pk=odd.pk).update(
        outcomes=Value({"kind": "refund"}, output_field=Article._meta.get_field("outcomes")),
        expectations=[1, "two"],
        complainer_types=Value(None, output_field=Article._meta.get_field("complainer_types")),
    )


def test_the_rows_equal_the_former_read(articles):
    selectors.SUGGESTABLE_READ.forget()
    for _ in range(2):  # compiled, then kept
        rows = selectors.suggestable_articles()
        assert [_as_lists(row) for row in rows] == _former()
    assert all(selectors.SUGGESTABLE_READ.kept().values())
    by_title = {row["published_version__title"]: row for row in rows}
    assert by_title["金卡专享"]["tiers"] == ("gold", "vip")
    assert by_title["异常的列"]["outcomes"] == {"kind": "refund"}
    assert by_title["异常的列"]["expectations"] == [1, "two"]
    assert "未发布" not in by_title


def test_a_list_is_decoded_once_and_cannot_be_changed():
    selectors._json_strings.cache_clear()
    first = selectors._json_list('["a", "b"]')
    assert first == ("a", "b")
    assert selectors._json_list('["a", "b"]') is first
    assert selectors._json_list("[]") == ()
    assert selectors._json_list("null") is None
    assert selectors._json_list(None) is None
    assert selectors._json_list('{"a": [1]}') == {"a": [1]}
    assert selectors._json_list("not json") == "not json"
    assert selectors._json_strings.cache_info().currsize == 5


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_suggestions_are_the_former_ones(articles, monkeypatch, language):
    from django.utils import translation

    asks = [
        {"topics": ["billing.overcharge"], "outcomes": ["refund"], "expectations": ["e-refund"]},
        {"topics": ["quality"], "outcomes": [], "expectations": [], "tier": "gold"},
        {"topics": ["quality"], "outcomes": [], "expectations": [], "tier": "silver"},
        {"topics": ["network"], "outcomes": ["refund"], "expectations": ["two"]},
        {"topics": [], "outcomes": [], "expectations": [], "complainer_type": "rational"},
    ]
    with translation.override(language):
        new = [selectors.suggestions(**ask) for ask in asks]
        monkeypatch.setattr(selectors, "suggestable_articles", _former)
        former = [selectors.suggestions(**ask) for ask in asks]
    assert new == former
    assert [len(found) for found in new[:3]] == [1, 1, 0]  # the gold perk not for silver


def test_cast_is_the_text_the_field_decodes(articles):
    """The column read as text decodes to what the field answers (PostgreSQL's jsonb text,
    SQLite's stored text)."""
    import json

    for text, value in Article.objects.values_list(
        Cast("topics", output_field=TextField()), "topics"
    ):
        assert json.loads(text) == value
