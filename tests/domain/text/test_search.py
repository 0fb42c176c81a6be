"""yuqi.domain.text.search: terms, synonyms and BM25 against hand-computed values."""

from __future__ import annotations

import math

import pytest

from yuqi.domain.text.search import (
    BIGRAM_WEIGHT,
    MAX_QUERY_TERMS,
    SYNONYM_WEIGHT,
    SynonymTable,
    bm25_rank,
    index_terms,
    query_terms,
    terms,
)


def test_terms_are_words_then_bigrams_without_function_words():
    got = terms("我的宽带又断了！")
    assert "宽带" in got
    assert "的" not in got
    assert "我" not in got
    assert "！" not in got
    assert "#宽带" in got
    assert "#断了" in got


def test_full_width_and_traditional_text_give_the_same_terms():
    assert terms("寬帶ＷＩＦＩ") == terms("宽带wifi")


def test_index_terms_weigh_title_three_tags_two_body_one():
    indexed = index_terms(title="复机", tags=["复机"], body="复机")
    assert indexed.frequencies["复机"] == pytest.approx(6.0)
    assert indexed.frequencies["#复机"] == pytest.approx(5 * BIGRAM_WEIGHT)  # no body bigrams
    assert indexed.length == pytest.approx(6.0 + 5 * BIGRAM_WEIGHT)


def test_synonyms_expand_a_query_at_a_lower_weight():
    table = SynonymTable([["宽带", "网络", "上网"]])
    weights = query_terms("上网很慢", table)
    assert weights["宽带"] == pytest.approx(SYNONYM_WEIGHT)
    assert "#宽带" not in weights  # a synonym adds its words, not its bigrams
    assert "上网" in weights
    assert weights["上网"] == 1.0


def test_a_synonym_is_seen_inside_a_word_jieba_keeps_whole():
    table = SynonymTable([["复机", "开机"]])
    assert "复机" in query_terms("停机了怎么开机啊", table)


def test_empty_and_punctuation_queries_have_no_terms():
    assert query_terms("") == {}
    assert query_terms("？？！！ ...") == {}


def test_a_2000_character_query_is_bounded():
    weights = query_terms("宽带断网话费扣费复机投诉" * 200)
    assert 0 < len(weights) <= MAX_QUERY_TERMS


def test_bm25_matches_the_formula():
    postings = {"a": {1: 2.0, 2: 1.0}, "b": {2: 1.0}}
    lengths = {1: 4.0, 2: 2.0, 3: 6.0}
    ranked = bm25_rank({"a": 1.0, "b": 1.0}, postings, lengths, documents=3, average_length=4.0)

    def part(tf: float, df: int, length: float) -> float:
        idf = math.log(1 + (3 - df + 0.5) / (df + 0.5))
        return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / 4.0))

    expected_1 = part(2.0, 2, 4.0)
    expected_2 = part(1.0, 2, 2.0) + part(1.0, 1, 2.0)
    assert dict(ranked) == {
        1: pytest.approx(expected_1, abs=1e-5),
        2: pytest.approx(expected_2, abs=1e-5),
    }
    assert [doc for doc, _ in ranked] == [2, 1]


def test_bm25_ties_go_to_the_smaller_id_and_allowed_filters():
    postings = {"a": {5: 1.0, 3: 1.0}}
    lengths = {5: 1.0, 3: 1.0}
    assert [
        d for d, _ in bm25_rank({"a": 1}, postings, lengths, documents=2, average_length=1)
    ] == [3, 5]
    only = bm25_rank({"a": 1}, postings, lengths, documents=2, average_length=1, allowed={5})
    assert [d for d, _ in only] == [5]
