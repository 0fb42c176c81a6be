"""Erasing a person from text (pure rules)."""

from __future__ import annotations

from yuqi.domain.erasure import ERASED, Identifiers, erase_text, erase_value, mentions

WHO = Identifiers(
    name="赵敏", phone="13812345678", email="ZhaoMin@Example.cn", id_number="11010519491231002X"
)


def test_the_name_and_every_way_of_writing_the_phone_are_erased():
    text = "赵敏来电，号码 138 1234 5678、+86-138-1234-5678 和 13812345678"
    assert erase_text(text, WHO) == f"{ERASED}来电，号码 {ERASED}、{ERASED} 和 {ERASED}"


def test_id_number_and_email_are_erased_in_any_case():
    text = "身份证 11010519491231002x 邮箱 zhaomin@example.CN"
    assert erase_text(text, WHO) == f"身份证 {ERASED} 邮箱 {ERASED}"


def test_other_personal_numbers_in_the_same_text_are_erased_not_masked():
    # a mask keeps the last four digits; erasure keeps nothing
    text = "家人电话 13900001111，银行卡 6222 0212 3456 7890"
    out = erase_text(text, WHO)
    assert "1111" not in out
    assert "7890" not in out
    assert out.count(ERASED) == 2


def test_json_values_are_walked_keys_included():
    value = {"赵敏": ["13812345678", {"note": "找赵敏"}], "n": 3}
    assert erase_value(value, WHO) == {ERASED: [ERASED, {"note": f"找{ERASED}"}], "n": 3}


def test_mentions_and_short_identifiers():
    assert mentions(["请联系赵敏"], WHO)
    assert not mentions(["请联系张三"], WHO)
    # a one-character name would match half the texts in Chinese: not searched
    assert Identifiers(name="敏").values() == []


def test_former_values_are_identifiers_too():
    who = Identifiers(name="赵敏", extra=("赵小敏",))
    assert erase_text("赵小敏 和 赵敏", who) == f"{ERASED} 和 {ERASED}"
