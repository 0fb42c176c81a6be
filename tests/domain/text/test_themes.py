"""Emerging themes on a tiny corpus (deterministic with a seed)."""

from __future__ import annotations

from yuqi.domain.text.themes import discover_themes, suggest_k

TEXTS = [
    "宽带断网好几天了",
    "宽带又断网了没人修",
    "宽带断网，师傅不上门",
    "5G套餐降速太严重",
    "5G套餐限速了，降速很明显",
    "套餐降速，5G没用",
    "积分兑换的礼品一直没发货",
    "积分兑换礼品没收到",
    "礼品积分兑换失败",
]


def test_three_themes_each_with_its_own_texts():
    report = discover_themes(TEXTS, k=3, seed=0)
    assert report.k == 3
    groups = sorted(sorted(report.assignments[i] for i in range(j, j + 3)) for j in (0, 3, 6))
    assert all(len(set(group)) == 1 for group in groups)
    assert sorted(theme.share for theme in report.themes) == [0.3333, 0.3333, 0.3333]


def test_top_terms_and_examples_describe_the_theme():
    report = discover_themes(TEXTS, k=3, seed=0)
    points = next(theme for theme in report.themes if "积分兑换" in theme.top_terms)
    assert set(points.example_indices) == {6, 7, 8}
    assert points.examples[0] in TEXTS


def test_theme_unknown_to_the_taxonomy_is_flagged_new():
    report = discover_themes(TEXTS, k=3, seed=0)
    flagged = {theme.top_terms[0]: theme.new_expectation for theme in report.themes}
    points = next(theme for theme in report.themes if "积分兑换" in theme.top_terms)
    broadband = next(theme for theme in report.themes if "断网" in theme.top_terms)
    assert points.new_expectation
    assert not broadband.new_expectation
    assert broadband.rule_coverage == 1.0
    assert len(flagged) == 3


def test_same_seed_same_themes():
    assert discover_themes(TEXTS, k=3, seed=4) == discover_themes(TEXTS, k=3, seed=4)


def test_default_k_heuristic():
    assert suggest_k(9) == 2
    assert suggest_k(200) == 10
    assert suggest_k(100_000) == 12


def test_too_few_texts_gives_an_empty_report_with_a_note():
    report = discover_themes(["宽带断网"], k=3)
    assert report.themes == ()
    assert report.notes
