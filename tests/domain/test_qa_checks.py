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


def _old_find_phrases(text: str, phrases: list[str]) -> list[str]:
    """The rule as it was: every phrase normalised again for every text."""
    from yuqi.domain.qa_checks import normalise

    haystack = normalise(text or "")
    return [p for p in dict.fromkeys(phrases) if p.strip() and normalise(p) in haystack]


@pytest.mark.parametrize(
    "phrases",
    [
        DEFAULTS,
        ["不知道", "  ", "", "不知道", "ＩＤＯＮ'Ｔ　ＫＮＯＷ", "i don’t know", "没 办 法"],
        [],
    ],
)
def test_phrases_normalised_once_find_what_they_found_before(phrases: list[str]) -> None:
    texts = [
        "客户问了，我说 不 知 道，这不归我们管。",
        "I DON'T　KNOW",
        "i don't know, 没办法",
        "",
        None,
        "已为客户办理",
    ]
    for text in texts:
        assert find_phrases(text, phrases) == _old_find_phrases(text, phrases)  # type: ignore[arg-type]
        assert find_phrases(text, iter(phrases)) == _old_find_phrases(text, phrases)  # type: ignore[arg-type]


def test_a_scan_of_many_texts_normalises_the_phrases_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from yuqi.domain import qa_checks

    qa_checks._needles.cache_clear()
    calls = []
    real = qa_checks.normalise
    monkeypatch.setattr(qa_checks, "normalise", lambda text: calls.append(text) or real(text))
    phrases = ["不知道", "没办法", "这不归我们管", "无可奉告"]
    for n in range(50):
        find_phrases(f"第{n}通：不知道", phrases)
    assert len(calls) == 50 + len(phrases)  # each text, and each phrase once
