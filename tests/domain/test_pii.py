"""Masking of personal data (yuqi.domain.pii): fields, free text, one rule for each kind.

The field cases are the ones ``tests/ingest/test_parse.py`` held when masking lived in
``ingest/parse.py``; the text cases where the two copies disagreed are marked.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.pii import (
    find_pii,
    mask_card,
    mask_email,
    mask_id_number,
    mask_phone,
    mask_pii,
)

# --- fields --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("010-12345678", "010****5678"),
        ("057187654321", "057*****4321"),
        ("95555123", "****5123"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("zhaomin@example.com", "z***@example.com"),
        ("ab@example.cn", "a***@example.cn"),
        ("a@example.cn", "***@example.cn"),
        ("not-an-email", "n***"),
        ("", ""),
    ],
)
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110101199001011234", "110101********1234"),
        ("11010119900101123X", "110101********123X"),
        ("110101900101123", "110101*****1123"),
        ("E12345678", "*****5678"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@given(st.from_regex(r"[1-9][0-9]{16}[0-9X]", fullmatch=True))
def test_id_masks_hide_the_birth_date(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[6:14] == "*" * 8
    assert (masked[:6], masked[-4:]) == (number[:6], number[-4:])


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("6222021234567890", "6222********7890"),
        ("6222 0212 3456 7890", "6222 **** **** 7890"),
        ("6222-0212-3456-7890-123", "6222-****-****-***0-123"),
        ("62220212", "****0212"),
        ("", ""),
    ],
)
def test_mask_card(value, masked):
    assert mask_card(value) == masked


@given(st.from_regex(r"[1-9][0-9]{15,18}", fullmatch=True))
def test_card_masks_keep_only_the_first_and_last_four(number):
    masked = mask_card(number)
    assert (masked[:4], masked[-4:]) == (number[:4], number[-4:])
    assert set(masked[4:-4]) == {"*"}


# --- free text: the field rules applied to what is found -----------------------------------


def test_a_one_letter_email_in_text_is_masked_like_the_field():
    """Disagreed: the text copy gave ``a***@example.com``, showing the whole local part; the
    field rule (nothing of a one-character local part) now holds for both."""
    assert mask_pii("联系 a@example.com 谢谢") == "联系 ***@example.com 谢谢"
    assert mask_pii("a@example.com") == mask_email("a@example.com")


def test_a_bare_landline_in_text_is_masked_like_the_field():
    """Disagreed: the text copy guessed the area code of a bare number (``0101-****5678``
    for 010-12345678); a bare number is now masked by the field rule."""
    assert mask_pii("座机01012345678") == "座机" + mask_phone("01012345678")
    assert mask_pii("座机01012345678") == "座机010****5678"
    assert mask_pii("座机057187654321") == "座机057*****4321"


def test_a_landline_written_with_its_area_code_keeps_it():
    assert mask_pii("座机0755-12345678") == "座机0755-****5678"
    assert mask_pii("座机(010)12345678") == "座机(010)****5678"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_mobile_in_text_is_masked_like_the_field(mobile):
    assert mask_pii(f"电话{mobile}。") == f"电话{mask_phone(mobile)}。"


@given(
    st.from_regex(
        r"[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}[0-9X]",
        fullmatch=True,
    )
)
def test_an_id_number_in_text_is_masked_like_the_field(number):
    assert mask_pii(f"身份证 {number} 。") == f"身份证 {mask_id_number(number)} 。"


def test_find_pii_names_each_kind():
    text = "13812345678 110101199003071234 6222021234567890123 zhao@example.com 010-87654321"
    assert [m.kind for m in find_pii(text)] == [
        "mobile",
        "id_card",
        "bank_card",
        "email",
        "landline",
    ]
