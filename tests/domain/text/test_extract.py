"""Expectation extraction from real-looking complaints, against a fixed reference time.

Reference: Wednesday 25 November 2026, 10:30 in Beijing (UTC+8). Expected deadlines follow
the conventions of ``yuqi.domain.text.extract`` (a day means its end, 23:59:59).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from yuqi.domain.text.extract import extract_expectation

BEIJING = timezone(timedelta(hours=8))
REFERENCE = datetime(2026, 11, 25, 10, 30, tzinfo=BEIJING)


def at(day: int, hour: int = 23, minute: int = 59, second: int = 59, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("宽带断网了，要求今天之内派人上门维修", at(25)),
        ("三天内给我回电话，否则投诉到工信部", at(28)),
        ("24小时内必须退费", at(26, 10, 30, 0)),
        ("两个小时内回电", at(25, 12, 30, 0)),
        ("明天下午前给个说法", at(26, 18, 0, 0)),
        ("下周一之前把多扣的钱退给我", at(30)),
        ("请于11月30日前解决", at(30)),
        ("2026-12-01之前必须修好", at(1, month=12)),
        ("周五前给我答复", at(27)),
        ("3个工作日内处理完", at(30)),
        ("I want my money back within 3 days", at(28)),
        ("Please call me back by Friday", at(27)),
    ],
)
def test_wanted_time_is_resolved_to_a_deadline(text, deadline):
    wanted = extract_expectation(text, REFERENCE).wanted_time
    assert wanted is not None
    assert wanted.deadline == deadline
    assert text[wanted.span[0] : wanted.span[1]].strip() == wanted.matched


def test_as_soon_as_possible_has_no_deadline():
    wanted = extract_expectation("请尽快处理", REFERENCE).wanted_time
    assert wanted.kind == "asap"
    assert wanted.deadline is None
    assert wanted.confidence < 0.7


def test_a_past_date_is_not_a_wanted_time():
    assert extract_expectation("我2026-11-03办的业务，到现在没人管", REFERENCE).wanted_time is None


@pytest.mark.parametrize(
    ("text", "kind", "amount"),
    [
        ("必须赔偿50元", "compensation", Decimal(50)),
        ("客服态度太差，要求道歉并补偿两百块话费", "compensation", Decimal(200)),
        ("把多扣的十五元退还给我", "refund", Decimal(15)),
        ("退我100块", "refund", Decimal(100)),
        ("至少赔我三百", "compensation", Decimal(300)),
        ("I want a refund of $50", "refund", Decimal(50)),
    ],
)
def test_amounts_next_to_money_outcomes(text, kind, amount):
    outcomes = {o.kind: o for o in extract_expectation(text, REFERENCE).outcomes}
    assert outcomes[kind].amount == amount
    assert outcomes[kind].confidence == 0.95


def test_several_outcomes_in_one_complaint():
    result = extract_expectation("要求道歉，给个说法，并派人上门维修，然后回电告诉我", REFERENCE)
    assert set(result.outcome_kinds) == {"apology", "explanation", "repair", "callback"}


def test_negated_outcome_is_ignored():
    assert extract_expectation("不需要道歉，只要退款", REFERENCE).outcome_kinds == ("refund",)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("那个客服态度太差，工号1234", "agent"),
        ("家里宽带信号太差，网络老是断", "product"),
        ("套餐资费乱收费，账单看不懂", "policy"),
        ("The representative was rude to me", "agent"),
    ],
)
def test_target_of_the_complaint(text, target):
    found = extract_expectation(text, REFERENCE).target
    assert found.kind == target
    assert 0.5 < found.confidence <= 0.95


def test_text_without_expectation_is_empty():
    result = extract_expectation("谢谢", REFERENCE)
    assert result.outcomes == ()
    assert result.wanted_time is None
    assert result.target is None
