"""Expectation extraction from real-looking complaints, against a fixed reference time.

Reference: Wednesday 25 November 2026, 10:30 in Beijing (UTC+8). Expected deadlines follow
the conventions of ``yuqi.domain.text.extract`` (a day means its end, 23:59:59).
"""

from __future__ import annotations

import time
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
    assert set(result.outcome_kinds) == {"apology", "reply", "repair", "callback"}


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


# --- what the labelled set taught (one behaviour per test) ---------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("把钱还给我", "refund"),
        ("这个违约金必须给我免了", "waiver"),
        ("这个月的费用别扣了", "waiver"),
        ("新卡寄丢了，麻烦重新给我寄一张", "redelivery"),
        ("你们领导出来回个话", "reply"),
        ("让你们技术直接打我电话", "callback"),
        ("凭什么扣我钱", "explanation"),
    ],
)
def test_colloquial_ways_to_ask(text, kind):
    assert extract_expectation(text, REFERENCE).outcome_kinds == (kind,)


def test_an_amount_apart_from_the_verb_that_asks_for_it():
    result = extract_expectation("上个月扣了我58块……客服说查不到原因，给我退回来", REFERENCE)
    assert result.amount == Decimal(58)
    assert result.outcomes[0].confidence == 0.85  # found elsewhere in the text


def test_the_extra_part_beats_the_bill_and_a_price_is_never_the_amount():
    extra = extract_expectation("这个月扣了我六十八块五，比平时多了二十，多的给我退回来", REFERENCE)
    price = extract_expectation("给我把套餐改回原来的58元，多扣的钱退给我", REFERENCE)
    assert extra.amount == Decimal(20)
    assert price.amount is None


def test_the_rest_or_a_vague_figure_is_no_amount():
    assert extract_expectation("交了2880，剩下的钱退给我", REFERENCE).amount is None
    assert extract_expectation("损失你们得赔，少说两三百", REFERENCE).amount is None


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("下午三点半之前派人过来修", at(25, 15, 30, 0)),
        ("明早九点一刻以前把网弄好", at(26, 9, 15, 0)),
        ("明天下午三点三刻之前必须有人来修", at(26, 15, 45, 0)),
        ("明天上午十点前给我个答复", at(26, 10, 0, 0)),
        ("5点前给我打电话，我五点半下班", at(25, 17, 0, 0)),
    ],
)
def test_clock_times_in_chinese_numerals(text, deadline):
    assert extract_expectation(text, REFERENCE).wanted_time.deadline == deadline


def test_a_thing_that_cannot_be_fixed_is_still_a_repair_request():
    assert extract_expectation("宽带修了三次还是修不好", REFERENCE).outcome_kinds == ("repair",)


def test_refusing_is_not_asking():
    assert extract_expectation("道歉有什么用？网能修好吗", REFERENCE).outcome_kinds == ("repair",)
    assert extract_expectation("不需要回电话，短信告诉我结果就行", REFERENCE).outcome_kinds == (
        "reply",
    )


def test_the_last_word_on_an_outcome_decides():
    assert extract_expectation("修不好就别修了，直接给我退费", REFERENCE).outcome_kinds == (
        "refund",
    )


def test_a_quoted_promise_with_a_duration():
    result = extract_expectation("你们说好三天内修好的，现在都一个星期了", REFERENCE)
    promise = result.quoted_promise
    assert (promise.kind, promise.within, promise.within_unit) == ("repair", 3, "day")
    assert promise.deadline is None
    assert result.wanted_time is None  # the promise's time is not the customer's
    assert result.outcome_kinds == ("repair",)


def test_a_quoted_promise_keeps_a_past_deadline():
    promise = extract_expectation(
        "说好的上门时间是昨天下午两点，我等到五点也没人来", REFERENCE
    ).quoted_promise
    assert promise.kind == "repair"
    assert promise.deadline == at(24, 14, 0, 0)


def test_a_promise_and_the_customers_own_deadline_are_told_apart():
    result = extract_expectation("你们说好三天内修好的，今天必须给我修好", REFERENCE)
    assert result.quoted_promise.within == 3
    assert result.wanted_time.deadline == at(25)


def test_reported_speech_without_a_promise_is_none():
    text = "营业厅说是你们客服的问题，你们客服又说是营业厅的问题，到底怎么回事"
    assert extract_expectation(text, REFERENCE).quoted_promise is None


@pytest.mark.parametrize(
    "text",
    ["1" * 20_000, "明天" * 10_000, "说好三天内修好，" * 2_000, "扣了我58块" * 3_000],
)
def test_long_hostile_text_takes_linear_time(text):
    # Doubling the text must not quadruple the time (a quadratic scan would). Each length is
    # timed in this thread's CPU time (waiting for a busy machine's cores does not count), at
    # its best of five; no absolute budget.
    def best(sample: str) -> float:
        runs = []
        for _ in range(5):
            started = time.thread_time()
            extract_expectation(sample, REFERENCE)
            runs.append(time.thread_time() - started)
        return min(runs)

    half, whole = best(text[: len(text) // 2]), best(text)
    assert whole < 3.0 * half + 0.05, (half, whole)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("师傅来装机把我家地板刮花了，这个要赔的吧", {"compensation"}),  # the visit is the scene
        ("说了多少遍了，不需要什么补偿，我就要把宽带退掉", set()),  # a service given up
        ("没必要派人来了，我自己已经弄好了，就是想问下为什么会断", {"explanation"}),
        ("我没说要退款，我是要你们解释为什么扣这个费", {"explanation"}),
        ("我不是来要赔偿的，我就想让那个客服给我道个歉", {"apology"}),
        ("就为了这事我请了一天假，扣了两百块工资，这个你们是不是要补偿一下", {"compensation"}),
        ("不要给我发什么优惠短信了，烦死了", set()),
        ("到现在也没人给我回过电话", {"callback"}),
    ],
)
def test_scenes_denials_and_questions(text: str, kinds: set[str]) -> None:
    assert set(extract_expectation(text, REFERENCE).outcome_kinds) == kinds


def test_a_vague_amount_is_not_read_as_its_first_digit() -> None:
    found = extract_expectation("这个月话费比平时多了六十多块，多收的退回来", REFERENCE)
    assert found.amount is None  # "六十多" is vague, not 6


def test_a_quantity_promised_is_not_a_time() -> None:
    promise = extract_expectation(
        "营业员答应送我两百分钟通话，到现在也没送", REFERENCE
    ).quoted_promise
    assert promise.kind == "redelivery"
    assert promise.within is None


def test_a_promise_from_last_friday_counts_its_monday_from_then() -> None:
    text = "你们客服上周五说周一给我回电话，周一都过去两天了"
    promise = extract_expectation(text, REFERENCE).quoted_promise
    assert promise.kind == "callback"
    assert promise.deadline.strftime("%m-%d") == "11-23"
