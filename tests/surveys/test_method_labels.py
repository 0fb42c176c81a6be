"""Survey figures name their estimation method in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from yuqi.domain import estimates
from yuqi.surveys.method_labels import method_label


@pytest.mark.parametrize(
    "method",
    [
        estimates.proportion(3, 10).method,
        estimates.mean([1.0, 2.0, 4.0]).method,
        estimates.csat_top2([5, 4, 2, 1]).method,
        estimates.ces_mean([2, 3, 5]).method,
        estimates.nps([10, 9, 0, 7]).method,
        "stratified mean, normal",
        "stratified proportion, normal",
        "stratified NPS, normal",
        "post-stratified mean, normal",
        "post-stratified proportion, normal",
        "post-stratified NPS, normal",
    ],
)
def test_every_method_the_analysis_writes_is_chinese_in_zh(method):
    with translation.override("zh-hans"):
        label = method_label(method)
    words = label.replace("NPS", "").replace("CSAT", "").replace("CES", "").split()
    assert not any(w.isascii() and w.isalpha() and w not in ("Wilson", "Wald", "t") for w in words)
    assert label


def test_english_and_unknown_methods():
    with translation.override("en"):
        assert method_label("CSAT top-2-box, Wilson score") == (
            "CSAT top-2-box; Wilson score interval"
        )
        assert method_label("") == ""
        assert method_label("bootstrap") == "bootstrap"


def test_a_label_kept_for_one_language_is_not_shown_in_another():
    method = "CSAT top-2-box, Wilson score"
    with translation.override("en"):
        english = method_label(method)
    with translation.override("zh-hans"):
        chinese = method_label(method)
    with translation.override("en"):
        assert method_label(method) == english
    assert chinese != english
    assert "Wilson score interval" not in chinese
