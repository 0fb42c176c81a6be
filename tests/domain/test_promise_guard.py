"""The promise guard: each flag with its boundary, the suggested due with its margin, reminders.

Calendar: the default 08:30–12:00, 13:30–17:30 week with China's holidays. 2026 Spring Festival
(国务院办公厅 2025-11-04): 2月15日–23日 off, 2月14日 (Sat) a make-up working day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from yuqi.domain.calendar import BusinessCalendar
from yuqi.domain.promise_guard import (
    Authority,
    Duration,
    DurationUnit,
    PerkRule,
    Proposal,
    Standard,
    calendar_due_function,
    check_promise,
    reminder_time,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar()
H = dt.timedelta(hours=1)

REPAIR_ORDINARY = Standard(
    "repair", Duration(24, DurationUnit.CALENDAR_HOURS), Duration(12, DurationUnit.CALENDAR_HOURS)
)
REFUND = Standard(
    "refund", Duration(3, DurationUnit.WORKING_DAYS), Duration(1, DurationUnit.WORKING_DAYS)
)
CALLBACK = Standard(
    "callback", Duration(2, DurationUnit.BUSINESS_HOURS), Duration(1, DurationUnit.BUSINESS_HOURS)
)
COMPENSATION = Standard(
    "compensation",
    Duration(3, DurationUnit.WORKING_DAYS),
    Duration(1, DurationUnit.WORKING_DAYS),
    amount_limit=Decimal("200"),
)
PERKS = {"priority_repair": PerkRule("priority_repair", min_tier_rank=2)}  # gold and above
AGENT = Authority(Decimal("50"))
ORDINARY, SILVER, GOLD, DIAMOND = 4, 3, 2, 1


def sh(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def check(proposal: Proposal, *, standard=REPAIR_ORDINARY, authority=AGENT, tier=ORDINARY):
    return check_promise(
        proposal, standard=standard, authority=authority, tier_rank=tier, perks=PERKS, calendar=CAL
    )


START = sh(2026, 3, 10, 10, 0)  # a Tuesday


# ------------------------------------------------------------------ too fast
def test_a_repair_promised_faster_than_the_standard_is_flagged_too_fast():
    result = check(Proposal("repair", START, due=START + 12 * H))
    assert result.codes == ("too_fast",)
    assert result.needs_approval
    params = result.flags[0].params
    assert (params["kind"], params["standard"], params["unit"]) == (
        "repair",
        "24",
        "calendar_hours",
    )
    assert params["achievable_due"] == (START + 24 * H).astimezone(dt.UTC).isoformat()


def test_a_promise_exactly_at_the_achievable_time_is_not_too_fast():
    assert check(Proposal("repair", START, due=START + 24 * H)).flags == ()


def test_one_minute_faster_than_the_standard_is_too_fast():
    due = START + 24 * H - dt.timedelta(minutes=1)
    assert check(Proposal("repair", START, due=due)).codes == ("too_fast",)


def test_the_standard_of_the_customers_tier_decides_what_is_too_fast():
    vip_repair = Standard(
        "repair",
        Duration(12, DurationUnit.CALENDAR_HOURS),
        Duration(6, DurationUnit.CALENDAR_HOURS),
    )
    proposal = Proposal("repair", START, due=START + 12 * H)
    assert check(proposal, standard=vip_repair, tier=GOLD).flags == ()
    assert check(proposal, standard=REPAIR_ORDINARY, tier=ORDINARY).codes == ("too_fast",)


def test_a_duration_is_turned_into_a_due_time_on_the_calendar():
    proposal = Proposal("refund", START, duration=Duration(2, DurationUnit.WORKING_DAYS))
    result = check(proposal, standard=REFUND)
    assert result.due == sh(2026, 3, 12, 17, 30)
    assert result.codes == ("too_fast",)


def test_no_standard_means_no_time_check_and_no_suggestion():
    result = check(Proposal("other", START, due=START + H), standard=None)
    assert (result.flags, result.suggested_due, result.due) == ((), None, START + H)


# ------------------------------------------------------------ over authority
@pytest.mark.parametrize(
    ("amount", "flagged"),
    [(Decimal("0"), False), (Decimal("50"), False), (Decimal("50.01"), True)],
)
def test_an_amount_beyond_the_agents_authority_is_flagged(amount, flagged):
    result = check(Proposal("compensation", START, amount=amount), standard=COMPENSATION)
    assert ("over_authority" in result.codes) is flagged


def test_the_flag_states_the_amount_and_the_limit():
    result = check(Proposal("compensation", START, amount=Decimal(80)), standard=COMPENSATION)
    assert dict(result.flags[0].params) == {"amount": "80.00", "limit": "50.00"}


def test_someone_without_authority_cannot_promise_any_money():
    result = check(Proposal("refund", START, amount=Decimal(1)), standard=REFUND, authority=None)
    assert result.codes == ("over_authority",)


def test_an_amount_beyond_the_standards_limit_is_flagged_even_within_authority():
    manager = Authority(Decimal("5000"))
    result = check(
        Proposal("compensation", START, amount=Decimal(300)),
        standard=COMPENSATION,
        authority=manager,
    )
    assert result.codes == ("over_standard_amount",)


# ----------------------------------------------------------- perk above tier
@pytest.mark.parametrize(
    ("tier", "flagged"),
    [(DIAMOND, False), (GOLD, False), (SILVER, True), (ORDINARY, True), (None, True)],
)
def test_a_vip_perk_promised_below_its_tier_is_flagged(tier, flagged):
    proposal = Proposal("repair", START, due=START + 30 * H, perk="priority_repair")
    result = check(proposal, tier=tier)
    assert ("perk_above_tier" in result.codes) is flagged


def test_an_unknown_perk_is_an_input_error_not_a_flag():
    with pytest.raises(KeyError):
        check(Proposal("repair", START, perk="free_phone"))


# --------------------------------------------------------------------- fine
def test_a_promise_within_every_limit_needs_no_approval():
    proposal = Proposal("compensation", START, amount=Decimal(30))
    result = check(proposal, standard=COMPENSATION, tier=GOLD)
    assert result.flags == ()
    assert not result.needs_approval
    assert result.due == result.suggested_due


def test_several_problems_give_several_flags():
    proposal = Proposal("repair", START, due=START + H, amount=Decimal(100), perk="priority_repair")
    assert check(proposal).codes == ("too_fast", "over_authority", "perk_above_tier")


# ------------------------------------------------------------ suggested due
def test_the_suggested_due_keeps_a_margin_over_the_achievable_time():
    result = check(Proposal("repair", START))
    assert result.achievable_due == START + 24 * H
    assert result.suggested_due == START + 36 * H
    assert result.due == result.suggested_due


def test_working_days_skip_the_spring_festival_and_count_the_make_up_saturday():
    # Thu 12 Feb 10:00: working days Fri 13, Sat 14 (调休), Tue 24, Wed 25.
    result = check(Proposal("refund", sh(2026, 2, 12, 10, 0)), standard=REFUND)
    assert result.achievable_due == sh(2026, 2, 24, 17, 30)
    assert result.suggested_due == sh(2026, 2, 25, 17, 30)


def test_business_hours_skip_the_weekend():
    # Fri 6 Mar 16:30: one hour on Friday, two on Monday morning.
    result = check(Proposal("callback", sh(2026, 3, 6, 16, 30)), standard=CALLBACK)
    assert result.achievable_due == sh(2026, 3, 9, 9, 30)
    assert result.suggested_due == sh(2026, 3, 9, 10, 30)


def test_business_hours_skip_the_lunch_break():
    result = check(Proposal("callback", sh(2026, 3, 10, 11, 0)), standard=CALLBACK)
    assert result.suggested_due == sh(2026, 3, 10, 15, 30)


def test_billing_cycles_end_at_the_first_of_a_later_month():
    due_after = calendar_due_function(CAL)
    cycle = Duration(1, DurationUnit.BILLING_CYCLES)
    assert due_after(sh(2026, 11, 15, 10), cycle) == sh(2026, 12, 1)
    assert due_after(sh(2026, 12, 31, 23), cycle) == sh(2027, 1, 1)


def test_zero_working_days_is_close_of_business_of_the_next_open_day():
    due_after = calendar_due_function(CAL)
    today = Duration(0, DurationUnit.WORKING_DAYS)
    assert due_after(sh(2026, 3, 10, 10), today) == sh(2026, 3, 10, 17, 30)
    assert due_after(sh(2026, 3, 7, 10), today) == sh(2026, 3, 9, 17, 30)  # Saturday


def test_any_callable_can_stand_in_for_the_calendar():
    def plain_days(start: dt.datetime, duration: Duration) -> dt.datetime:
        return start + dt.timedelta(days=float(duration.amount))

    result = check_promise(
        Proposal("refund", START),
        standard=REFUND,
        authority=AGENT,
        tier_rank=ORDINARY,
        perks=PERKS,
        calendar=plain_days,
    )
    assert result.suggested_due == START + dt.timedelta(days=4)


# -------------------------------------------------------------- durations
def test_working_days_must_be_whole():
    with pytest.raises(ValueError, match="whole"):
        Duration(Decimal("1.5"), DurationUnit.WORKING_DAYS)


def test_a_duration_cannot_be_negative():
    with pytest.raises(ValueError, match="negative"):
        Duration(-1, DurationUnit.CALENDAR_HOURS)


def test_durations_of_different_units_do_not_add():
    with pytest.raises(ValueError, match="cannot add"):
        Duration(1, DurationUnit.WORKING_DAYS) + Duration(1, DurationUnit.CALENDAR_HOURS)


# -------------------------------------------------------------- reminders
def test_the_reminder_comes_two_business_hours_before_a_long_promise_is_due():
    at = reminder_time(CAL, start=sh(2026, 3, 9, 9, 0), due=sh(2026, 3, 12, 17, 30))
    assert at == sh(2026, 3, 12, 15, 30)


def test_the_reminder_skips_the_lunch_break_backwards():
    at = reminder_time(CAL, start=sh(2026, 3, 9, 9, 0), due=sh(2026, 3, 12, 14, 30))
    assert at == sh(2026, 3, 12, 11, 0)


def test_a_short_promise_is_reminded_at_three_quarters_of_its_window():
    # Two business hours from 09:00: remind 30 minutes before, at 10:30.
    at = reminder_time(CAL, start=sh(2026, 3, 9, 9, 0), due=sh(2026, 3, 9, 11, 0))
    assert at == sh(2026, 3, 9, 10, 30)


def test_a_promise_entirely_outside_working_hours_is_reminded_on_elapsed_time():
    at = reminder_time(CAL, start=sh(2026, 3, 7, 10, 0), due=sh(2026, 3, 7, 18, 0))
    assert at == sh(2026, 3, 7, 16, 0)
