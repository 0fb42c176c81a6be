"""Normalisation and masking of personal numbers before derived text is stored."""

from __future__ import annotations

import pytest

from yuqi.domain.pii import find_pii, mask_pii
from yuqi.domain.text.normalize import (
    chinese_number,
    normalize,
    to_halfwidth,
    to_simplified,
)


def test_fullwidth_letters_digits_and_space_become_halfwidth():
    assert to_halfwidth("ＡＢＣ　１２３！？") == "ABC 123!?"


def test_traditional_chinese_becomes_simplified():
    assert to_simplified("寬帶報裝，電話費帳單") == "宽带报装，电话费账单"


def test_simplified_text_is_returned_unchanged():
    text = "宽带报装一直没人管"
    assert to_simplified(text) is text


def test_normalize_collapses_whitespace_and_thousands_separators():
    assert normalize("  多扣了\t1,000 元\n\n话费 ") == "多扣了 1000 元 话费"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("我的手机13812345678打不通", "我的手机138****5678打不通"),
        ("电话 +86 138-1234-5678", "电话 +86 138****5678"),
        ("座机0755-12345678", "座机0755-****5678"),
        ("身份证号110101199003071234", "身份证号110101********1234"),
        ("身份证11010119900307123X", "身份证110101********123X"),
        ("卡号6222021234567890123", "卡号6222***********0123"),
        ("邮箱zhao.min@example.com", "邮箱z***@example.com"),
    ],
)
def test_personal_numbers_are_masked_with_a_recognisable_shape(raw, masked):
    assert normalize(raw) == masked


def test_fullwidth_mobile_is_masked_after_halfwidth_conversion():
    assert "138****5678" in normalize("我的号码是１３８１２３４５６７８")


def test_order_numbers_and_amounts_are_not_masked():
    text = "订单号20261129 退款 13800 元"
    assert mask_pii(text) == text


def test_find_pii_reports_kinds_in_order():
    kinds = [m.kind for m in find_pii("13812345678 和 zhao@example.com 和 010-87654321")]
    assert kinds == ["mobile", "email", "landline"]


def test_masking_can_be_switched_off_for_rule_matching():
    assert normalize("13812345678", mask=False) == "13812345678"


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三", 3), ("十五", 15), ("两百", 200), ("两百五", 250), ("一千零五", 1005), ("3万", 30000)],
)
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_non_numeral_is_none():
    assert chinese_number("退款") is None
