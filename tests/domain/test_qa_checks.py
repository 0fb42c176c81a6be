"""Automatic QA checks (yuqi.domain.qa_checks): phrases, promises, repeated contacts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from yuqi.domain.qa_checks import ContactKey, find_phrases, find_promise, repeat_contacts

DEFAULTS = ["不知道", "没办法", "这不归我们管"]


def test_phrases_found_despite_spaces_and_width() -> None:
    assert find_phrases("客户问了，我说 不 知 道，这不归我们管。", DEFAULTS) == [
        "不知道",
        "这不归我们管",
    ]
    assert find_phrases("I DON'T　KNOW", ["i don't know"]) == ["i don't know"]
    assert find_phrases("已为客户办理", DEFAULTS) == []


@pytest.mark.parametrize(
    "text",
    ["已答应客户明天回电", "承诺3个工作日内处理", "两天内给您答复", "We will call back tomorrow"],
)
def test_promises_are_found(text: str) -> None:
    assert find_promise(text)


@pytest.mark.parametrize("text", ["查询话费，已解答", "客户咨询套餐", ""])
def test_no_promise_in_plain_notes(text: str) -> None:
    assert find_promise(text) is None


def test_repeat_contact_on_same_category_within_window() -> None:
    t0 = datetime(2026, 11, 1, 9)
    contacts = [
        ContactKey(1, 7, "账单", t0),
        ContactKey(2, 7, "账单", t0 + timedelta(days=6, hours=23)),
        ContactKey(3, 7, "账单", t0 + timedelta(days=20)),  # more than 7 days after 2
        ContactKey(4, 7, "宽带", t0 + timedelta(days=1)),  # other category
        ContactKey(5, 8, "账单", t0 + timedelta(days=1)),  # other customer
        ContactKey(6, 7, "", t0 + timedelta(days=1)),  # no category
    ]
    assert repeat_contacts(contacts, days=7) == {2: 1}


def test_repeat_window_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        repeat_contacts([], days=0)
