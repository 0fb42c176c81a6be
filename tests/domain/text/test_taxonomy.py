"""The expectation taxonomy as data, and its cold-start rules."""

from __future__ import annotations

import pytest

from yuqi.domain.text.taxonomy import classify_by_rules, default_taxonomy, load_taxonomy

ROOTS = (
    "access_wait",
    "fcr",
    "callback",
    "attitude",
    "accuracy",
    "timeliness",
    "promise",
    "billing",
    "quality",
    "compensation",
    "privacy",
    "other",
)


def test_shipped_taxonomy_has_the_twelve_top_categories_with_labels():
    taxonomy = default_taxonomy()
    assert taxonomy.roots == ROOTS
    assert taxonomy.get("access_wait").zh == "接通/等待"
    assert taxonomy.get("billing.overcharge").parent == "billing"
    assert taxonomy.root_of("billing.overcharge") == "billing"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("排队等了40分钟还是打不通", "access_wait"),
        ("客服态度太差，直接挂我电话", "attitude"),
        ("说好回电结果一直没人联系", "callback"),
        ("无故扣了我20元话费", "billing"),
        ("家里没信号，经常断网", "quality"),
        ("我的个人信息被泄露了，天天接到骚扰电话", "privacy"),
        ("每个客服说的都不一样", "accuracy"),
    ],
)
def test_rules_find_the_expected_category_first(text, code):
    hits = classify_by_rules(text, top_level=True)
    assert hits[0].code == code
    assert 0 < hits[0].score < 1
    assert hits[0].matched


def test_child_hit_rolls_up_to_its_parent():
    codes = {hit.code: hit for hit in classify_by_rules("无故扣费，乱收费")}
    assert "billing.overcharge" in codes
    assert codes["billing"].score >= codes["billing.overcharge"].score


def test_traditional_and_fullwidth_text_matches():
    assert classify_by_rules("態度太差")[0].code == "attitude"


def test_text_without_rule_gets_no_hit():
    assert classify_by_rules("今天天气不错") == []


def test_a_centre_can_load_its_own_taxonomy(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'version = 2\n[[category]]\ncode = "parking"\nzh = "停车"\nen = "Parking"\n'
        'keywords = ["停车"]\n',
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.roots == ("parking", "other")
    assert classify_by_rules("营业厅门口没地方停车", taxonomy)[0].code == "parking"


def test_bad_pattern_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[category]]\ncode = "x"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'x'"):
        load_taxonomy(path)
