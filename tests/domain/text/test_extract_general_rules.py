"""General rules added after held-out rounds 4 and 5, each on sentences of its own (not the
labelled sets' sentences)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqi.domain.text.extract import extract_expectation

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone(timedelta(hours=8)))


def kinds(text: str) -> set[str]:
    return {o.kind for o in extract_expectation(text, NOW).outcomes}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("开了个来电铃声业务我根本不知道，退钱", {"refund"}),  # a product, not a call
        ("补偿我已经收到了，网什么时候能修好", {"repair"}),  # received: no longer asked
        ("今晚之前网络必须通", {"repair"}),
        ("我下个月搬家，宽带帮我移过去", {"redelivery"}),
        ("账单发我一张，我要报销", {"redelivery"}),
        ("过户的事拖了半个月，赶紧给我办", {"redelivery"}),
        ("光纤啥时候才能来装？", {"redelivery"}),
        ("我不是来听解释的，退钱", {"refund"}),
        ("怎么开通以后就自动收费了", {"explanation"}),
    ],
)
def test_outcomes(text, wanted):
    assert kinds(text) == wanted


def test_the_extra_part_of_a_dearer_plan_is_the_amount():
    found = extract_expectation("换的套餐比原来贵了十五块，差价退我", NOW)
    assert [(o.kind, o.amount) for o in found.outcomes] == [("refund", 15)]


def test_a_clock_time_said_as_the_time_now_is_no_deadline():
    found = extract_expectation("说好上午修，都下午四点了还没来", NOW)
    assert found.wanted_time is None


def test_asking_for_a_guarantee_is_no_quoted_promise():
    found = extract_expectation("把多收的钱退我，你们要保证下个月不再多收", NOW)
    assert found.quoted_promise is None


def test_a_sum_said_per_item_is_the_amount_of_the_one_asked_back():
    found = extract_expectation("同一个会员扣了两笔，各三十，重复的那笔退了", NOW)
    assert [(o.kind, o.amount) for o in found.outcomes] == [("refund", 30)]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("道歉我就不要了，尽快退钱", {"refund"}),
        ("少送的流量帮我补上", {"redelivery"}),
    ],
)
def test_refused_after_and_made_good(text, wanted):
    assert kinds(text) == wanted
