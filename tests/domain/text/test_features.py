"""The NumPy character n-gram featurizer against a plain Python reading of the same rules."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuqi.domain.text.features import CharNgramVectorizer
from yuqi.domain.text.normalize import to_halfwidth


def reference_counts(text: str, size: int = 3) -> Counter:
    """The rules of ``features`` written the slow, obvious way (no traditional characters in
    the generated texts, so the table's zhconv part is not needed here)."""
    text = to_halfwidth(text).replace("\x00", " ").lower()
    text = re.sub(r"\d", "0", text)
    text = re.sub(r"\s+", " ", text)
    grams = Counter(text[i : i + n] for n in range(1, size + 1) for i in range(len(text) - n + 1))
    grams.update("w:" + w.lower() for w in re.findall(r"[a-z][a-z']+", text, re.I))
    return grams


def as_counters(vectorizer: CharNgramVectorizer, texts: list[str]) -> list[Counter]:
    names = vectorizer.get_feature_names_out()
    matrix = vectorizer.transform(texts).tocsr()
    rows = []
    for i in range(matrix.shape[0]):
        row = matrix.getrow(i)
        rows.append(Counter({names[j]: int(v) for j, v in zip(row.indices, row.data, strict=True)}))
    return rows


ALPHABET = "话费扣了退款宽带断网 ,，!！ABCabc0123456789１２Ａ"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=6))
def test_counts_equal_the_slow_reading_of_the_rules(texts):
    vectorizer = CharNgramVectorizer().fit(texts)
    for text, counts in zip(texts, as_counters(vectorizer, texts), strict=True):
        assert counts == reference_counts(text)


def test_normalisation_folds_width_script_case_and_digits():
    vectorizer = CharNgramVectorizer(ngram_max=2, words=False).fit(["話費ＡＢ１２3"])
    names = set(vectorizer.get_feature_names_out())
    assert {"话费", "费a", "ab", "00"} <= names
    assert not names & {"話", "Ａ", "1", "2", "3"}


def test_n_grams_never_cross_from_one_text_to_the_next():
    vectorizer = CharNgramVectorizer(ngram_max=2, words=False).fit(["ab", "cd"])
    assert "bc" not in set(vectorizer.get_feature_names_out())


def test_unknown_text_empty_text_and_nul_give_rows_of_their_own():
    vectorizer = CharNgramVectorizer().fit(["话费", "宽带"])
    matrix = vectorizer.transform(["完全没见过", "", "话\x00费", "宽带"])
    assert matrix.shape == (4, len(vectorizer.get_feature_names_out()))
    assert matrix[0].nnz == 0
    assert matrix[1].nnz == 0
    assert matrix[3].sum() == 3  # 宽, 带, 宽带


def test_min_and_max_document_frequency():
    texts = ["甲乙", "甲丙", "甲丁"]
    names = set(CharNgramVectorizer(min_df=2, words=False).fit(texts).get_feature_names_out())
    assert names == {"甲"}
    names = set(CharNgramVectorizer(max_df=0.5, words=False).fit(texts).get_feature_names_out())
    assert "甲" not in names
    assert "乙" in names


def test_one_string_instead_of_a_batch_is_refused():
    with pytest.raises(ValueError, match="iterable of texts"):
        CharNgramVectorizer().fit("话费")


def test_an_empty_fit_transforms_to_no_columns():
    matrix = CharNgramVectorizer().fit([""]).transform(["话费"])
    assert matrix.shape == (1, 0)
    assert np.asarray(matrix.sum()) == 0
