"""The demo centre simulation (yuqi.demo.simulation): plain Python, no database.

Service level is computed here as the KPI engine defines it (issue 6): calls answered within
Y seconds ÷ (offered − short abandons), a short abandon being one under 5 seconds.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from yuqi.demo import names
from yuqi.demo.population import id_birth_date, id_check_char, id_number_is_valid
from yuqi.demo.roster import agents_needed, cover, erlang_c_service_level
from yuqi.demo.simulation import (
    SCALES,
    ZONE,
    Centre,
    InteractionSeed,
    build_centre,
)

END = date(2025, 6, 15)  # a Sunday: the small week runs Monday 9 June to Sunday 15 June
SHORT_ABANDON = 5


@pytest.fixture(scope="module")
def small() -> Centre:
    return build_centre(seed=11, scale="small", end_date=END)


@pytest.fixture(scope="module")
def small_records(small) -> list[InteractionSeed]:
    return list(small.interactions())


@pytest.fixture(scope="module")
def medium_records() -> list[InteractionSeed]:
    return list(build_centre(seed=3, scale="medium", end_date=date(2025, 3, 31)).interactions())


def service_level(records, seconds: int) -> float:
    offered = [r for r in records if not (r.abandoned and r.wait_seconds < SHORT_ABANDON)]
    within = sum(1 for r in offered if r.answered_at is not None and r.wait_seconds <= seconds)
    return within / len(offered)


def monday_morning(record: InteractionSeed) -> bool:
    return record.arrived_at.weekday() == 0 and 8 <= record.arrived_at.hour < 12


# ----------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_output(small, small_records):
    again = build_centre(seed=11, scale="small", end_date=END)
    assert again.customers == small.customers
    assert again.agents == small.agents
    assert again.shifts == small.shifts
    assert list(again.interactions()) == small_records


def test_different_seeds_differ(small, small_records):
    other = build_centre(seed=12, scale="small", end_date=END)
    assert other.customers != small.customers
    assert list(other.interactions())[:200] != small_records[:200]


def test_output_does_not_depend_on_the_hash_seed():
    script = (
        "import hashlib, datetime\n"
        "from yuqi.demo.simulation import build_centre\n"
        "c = build_centre(seed=5, scale='small', end_date=datetime.date(2025, 1, 5))\n"
        "h = hashlib.sha256(repr((c.customers, c.agents, c.shifts)).encode())\n"
        "for r in c.interactions(): h.update(repr(r).encode())\n"
        "print(h.hexdigest())\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": src}
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_batches_and_stream_agree(small, small_records):
    batches = list(small.interactions().batches())
    assert len(batches) == SCALES["small"].days
    assert [r for batch in batches for r in batch] == small_records


def test_days_and_days_simulated_ahead_are_the_records(small, small_records):
    """``days()`` (plain rows, times in seconds) and ``ahead()`` (the same, simulated in a
    second process from the centre's seed, scale and end date) give the records, in order."""
    in_process = list(small.interactions().days())
    ahead = small.interactions().ahead()
    assert list(ahead.days()) == in_process
    assert not ahead._process.is_alive()
    rebuilt = [
        InteractionSeed(
            row[1],
            f"{day.stamp}{k + 1:06d}",
            *row[2:9],
            day.start + timedelta(seconds=row[0]),
            None if row[9] is None else day.start + timedelta(seconds=row[9]),
            None if row[10] is None else day.start + timedelta(seconds=row[10]),
            *row[11:],
        )
        for day in in_process
        for k, row in enumerate(day.rows)
    ]
    assert rebuilt == small_records


def test_a_reader_that_stops_early_ends_the_simulation_process(small):
    ahead = small.interactions().ahead()
    days = ahead.days()
    first = next(days)
    assert first.rows
    days.close()  # the reader stops: the generator's finally closes the pipe and the child
    assert not ahead._process.is_alive()
    with pytest.raises(RuntimeError, match="read once"):
        next(ahead.days())


def test_a_failed_simulation_process_is_an_error_for_the_reader(small):
    """A centre the child cannot build again from its seed (here: one shift short) stops the
    reader with the child's error rather than leaving it waiting."""
    other = dataclasses.replace(small, shifts=small.shifts[:-1])
    ahead = other.interactions().ahead()
    with pytest.raises(RuntimeError, match="not the reader's"):
        next(ahead.days())
    assert not ahead._process.is_alive()


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="unknown scale"):
        build_centre(seed=1, scale="huge", end_date=END)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- counts


def test_small_scale_counts(small, small_records):
    assert len(small.customers) == 500
    assert (small.start_date, small.end_date) == (date(2025, 6, 9), END)
    assert 8_000 <= len(small_records) <= 14_000
    assert 60 <= len(small.agents) <= 90


def test_medium_scale_counts(medium_records):
    assert 85_000 <= len(medium_records) <= 120_000
    days = {r.arrived_at.date() for r in medium_records}
    assert len(days) == 60


def test_large_scale_streams_day_by_day():
    centre = build_centre(seed=1, scale="large", end_date=END)
    assert len(centre.customers) == 50_000
    first_day = next(iter(centre.interactions().batches()))  # no need to simulate 90 days
    assert 8_000 <= len(first_day) <= 16_000
    assert {r.arrived_at.date() for r in first_day} == {centre.start_date}


# ------------------------------------------------------------------------------- customers


def _iso7064_mod_11_2(digits: str) -> str:
    """The check character computed the ISO 7064 way (not the weighted sum of the module)."""
    p = 0
    for ch in digits:
        p = ((p + int(ch)) * 2) % 11
    value = (12 - p) % 11
    return "X" if value == 10 else str(value)


def test_id_check_character_golden_value():
    # The sample number of GB 11643-1999 (Beijing, born 31 December 1949): check char X.
    assert id_check_char("11010519491231002") == "X"
    assert id_number_is_valid("11010519491231002X")
    assert not id_number_is_valid("110105194912310021")
    assert not id_number_is_valid("11010519490231002X")  # 31 February


def test_id_numbers_are_valid_and_adult(small):
    with_id = [c for c in small.customers if c.id_number]
    assert len(with_id) >= 0.9 * len(small.customers)
    prefixes = {region.code for region in names.REGIONS}
    for customer in with_id:
        number = customer.id_number
        assert re.fullmatch(r"\d{17}[\dX]", number)
        assert number[17] == _iso7064_mod_11_2(number[:17])
        assert number[:4] in prefixes
        born = id_birth_date(number)
        age = (END - born).days / 365.25
        assert 18 <= age < 81
        assert customer.joined_on >= born + timedelta(days=18 * 365)


def test_names_are_chinese_and_not_famous(small):
    surnames = {s for s, _, _ in names.SURNAMES}
    people = [c.name for c in small.customers] + [a.name for a in small.agents]
    for name in people:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name)
        assert name[:1] in surnames or name[:2] in surnames
        assert name not in names.BLOCKED_NAMES
    top = Counter(name[0] for name in people).most_common(5)
    assert {s for s, _ in top} & {"王", "李", "张", "刘", "陈"}


def test_phones_and_emails(small):
    phones = [c.phone for c in small.customers]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    emails = [c.email for c in small.customers if c.email]
    assert 0.2 < len(emails) / len(phones) < 0.7
    assert all(re.fullmatch(r"[a-z0-9_]+@[a-z0-9]+\.(com|net)", e) for e in emails)


def test_tiers_values_regions_and_status(medium_centre_customers):
    customers = medium_centre_customers
    shares = Counter(c.tier for c in customers)
    n = len(customers)
    assert 0.01 < shares["diamond"] / n < 0.035
    assert 0.06 < shares["gold"] / n < 0.10
    assert 0.17 < shares["silver"] / n < 0.23
    assert 0.66 < shares["ordinary"] / n < 0.74
    medians = {}
    for tier in ("diamond", "gold", "silver", "ordinary"):
        values = sorted(c.monthly_value for c in customers if c.tier == tier)
        assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in values)
        medians[tier] = values[len(values) // 2]
    assert medians["diamond"] > medians["gold"] > medians["silver"] > medians["ordinary"] > 0
    regions = Counter(c.region for c in customers)
    assert regions.most_common(1)[0][0] == "湖北 武汉"
    assert sum(v for k, v in regions.items() if k.startswith("湖北")) > 0.5 * n
    assert len(regions) >= 20
    status = Counter(c.status for c in customers)
    assert status["active"] > 0.8 * n
    assert status["dormant"] > 0
    assert status["closed"] > 0
    end = date(2025, 3, 31)
    assert all(end - timedelta(days=3653) <= c.joined_on <= end for c in customers)
    assert [c.external_id for c in customers] == sorted(c.external_id for c in customers)


@pytest.fixture(scope="module")
def medium_centre_customers():
    return build_centre(seed=3, scale="medium", end_date=date(2025, 3, 31)).customers


# ----------------------------------------------------------------------- queues and staff


def test_queues_teams_and_agents(small):
    queues = {q.code: q for q in small.queues}
    assert {"general", "vip", "billing", "fault", "broadband"} <= set(queues)
    assert (queues["general"].sl_target, queues["general"].sl_seconds) == (Decimal("0.80"), 20)
    assert (queues["vip"].sl_target, queues["vip"].sl_seconds) == (Decimal("0.90"), 15)
    assert queues["vip"].vip
    assert not queues["general"].vip
    assert 4 <= len(small.teams) <= 6
    team_codes = {t.code for t in small.teams}
    codes = [a.code for a in small.agents]
    assert len(set(codes)) == len(codes)
    for agent in small.agents:
        assert agent.team in team_codes
        assert 1 <= agent.skill <= 5
        assert agent.queue in queues or agent.queue == ""
    assert {a.queue for a in small.agents} >= set(queues)


def test_shifts_are_plausible(small):
    week: Counter = Counter()
    by_agent_day: dict = defaultdict(list)
    for shift in small.shifts:
        assert shift.start.tzinfo is ZONE
        assert shift.start.hour >= 8
        assert shift.end.hour <= 22
        assert shift.end - shift.start in (timedelta(hours=8), timedelta(hours=4))
        if shift.break_start is not None:
            assert shift.start < shift.break_start < shift.break_end < shift.end
        week[(shift.agent, shift.start.isocalendar()[1])] += 1
        by_agent_day[(shift.agent, shift.start.date())].append(shift)
    assert max(week.values()) <= 5
    assert all(len(shifts) == 1 for shifts in by_agent_day.values())


# --------------------------------------------------------------------------- interactions


def test_times_are_consistent(small_records):
    arrivals = [r.arrived_at for r in small_records]
    assert arrivals == sorted(arrivals)
    for r in small_records:
        assert r.arrived_at.tzinfo is ZONE
        if r.answered_at is not None:
            assert r.arrived_at <= r.answered_at <= r.ended_at
            assert r.wait_seconds == (r.answered_at - r.arrived_at).total_seconds()
            assert r.talk_seconds == (r.ended_at - r.answered_at).total_seconds()
        elif r.ended_at is not None:
            assert r.arrived_at <= r.ended_at
        assert min(r.wait_seconds, r.talk_seconds, r.wrap_seconds) >= 0


def test_external_ids_are_unique_per_source(small_records):
    keys = [(r.source, r.external_id) for r in small_records]
    assert len(set(keys)) == len(keys)


def test_abandoned_calls_have_no_agent_and_no_talk(small_records):
    abandoned = [r for r in small_records if r.abandoned]
    assert abandoned
    for r in abandoned:
        assert r.agent is None
        assert r.team is None
        assert r.answered_at is None
        assert r.talk_seconds == r.wrap_seconds == 0
        assert r.ended_at == r.arrived_at + timedelta(seconds=r.wait_seconds)
        assert r.first_contact_resolved is None
        assert r.channel in ("phone", "web_chat", "app", "wechat")
    assert any(r.wait_seconds < SHORT_ABANDON for r in abandoned)


def test_an_agent_handles_one_call_at_a_time_within_a_shift(small, small_records):
    windows = defaultdict(list)
    for s in small.shifts:
        windows[s.agent].append(s)
    busy = defaultdict(list)
    for r in small_records:
        if r.agent is None or r.channel in ("web_chat", "app", "wechat"):
            continue
        start = r.arrived_at if r.direction == "outbound" else r.answered_at
        busy[r.agent].append((start, r.ended_at, r.wrap_seconds))
        assert any(
            s.start <= start < s.end
            and not (s.break_start is not None and s.break_start <= start < s.break_end)
            for s in windows[r.agent]
        ), r
    for spans in busy.values():
        spans.sort()
        for (_, end, wrap), (nxt, _, _) in pairwise(spans):
            assert end + timedelta(seconds=wrap) <= nxt


def test_customers_and_unidentified_callers(small, small_records):
    joined = {c.external_id: c.joined_on for c in small.customers}
    for r in small_records:
        if r.customer_external_id is not None:
            assert r.arrived_at.date() >= joined[r.customer_external_id]
    unknown_calls = [
        r for r in small_records if r.channel == "phone" and r.customer_external_id is None
    ]
    assert unknown_calls
    assert all(r.caller_number for r in unknown_calls)
    assert all(re.fullmatch(r"(1[3-9]\d{9}|0\d{9,11})", r.caller_number) for r in unknown_calls)


def test_channels_follow_their_own_patterns(small_records):
    by_channel = defaultdict(list)
    for r in small_records:
        by_channel[r.channel].append(r)
    assert set(by_channel) == {"phone", "ivr", "web_chat", "app", "wechat", "email", "sms"}
    assert len(by_channel["phone"]) > 0.5 * len(small_records)
    for r in by_channel["ivr"]:
        assert r.queue is None
        assert r.agent is None
        assert r.wait_seconds == 0
    assert any(r.arrived_at.hour < 6 for r in by_channel["ivr"])  # self-service at night
    assert all(8 <= r.arrived_at.hour < 22 for r in by_channel["phone"] if r.direction == "inbound")
    assert all(r.wait_seconds < 60 and r.agent is None for r in by_channel["sms"])
    email_waits = sorted(r.wait_seconds for r in by_channel["email"] if r.answered_at)
    assert email_waits[len(email_waits) // 2] > 3600  # e-mails wait hours, not seconds
    assert not any(r.abandoned for r in by_channel["email"])
    callbacks = [r for r in small_records if r.direction == "outbound"]
    assert callbacks
    assert all(r.queue is None for r in callbacks)
    assert all(r.agent and r.category == "回访" for r in callbacks)
    categories = {r.category for r in small_records}
    assert {
        "话费查询",
        "套餐变更",
        "故障报修",
        "宽带安装",
        "投诉",
        "账单异议",
        "业务咨询",
    } <= categories


def test_transfers_are_a_few_percent(small_records):
    answered = [
        r
        for r in small_records
        if r.channel == "phone" and r.answered_at and r.direction == "inbound"
    ]
    share = sum(r.transferred for r in answered) / len(answered)
    assert 0.01 < share < 0.08


def test_skill_shortens_handle_time(medium_records):
    # Agent codes are not enough to know skills, so use a centre built the same way.
    centre = build_centre(seed=3, scale="medium", end_date=date(2025, 3, 31))
    skill = {a.code: a.skill for a in centre.agents}
    handle = defaultdict(list)
    for r in medium_records:
        if r.queue == "general" and r.agent:
            handle[skill[r.agent]].append(r.talk_seconds + r.wrap_seconds)
    mean = {k: sum(v) / len(v) for k, v in handle.items() if len(v) > 200}
    assert mean[min(mean)] > 1.2 * mean[max(mean)]


def test_repeat_contacts_follow_unresolved_ones(medium_records):
    history = defaultdict(list)
    for r in medium_records:
        if r.customer_external_id and r.category and r.direction == "inbound":
            history[(r.customer_external_id, r.category)].append(r)
    unresolved = repeated = 0
    handled = [r for r in medium_records if r.first_contact_resolved is not None]
    for contacts in history.values():
        for first, nxt in pairwise(contacts):
            if first.first_contact_resolved is False:
                unresolved += 1
                repeated += nxt.arrived_at - first.arrived_at <= timedelta(days=5)
    assert unresolved > 1000
    assert repeated / unresolved > 0.4
    recorded_fcr = sum(r.first_contact_resolved for r in handled) / len(handled)
    assert 0.65 < recorded_fcr < 0.9


# ------------------------------------------------------------------------------ the story


def test_vip_meets_its_target_while_general_misses_it(medium_records):
    vip = [r for r in medium_records if r.queue == "vip"]
    general = [r for r in medium_records if r.queue == "general"]
    assert service_level(vip, 15) >= 0.9
    assert service_level(general, 20) < 0.8


def test_monday_morning_is_understaffed_on_the_general_queue(medium_records):
    general = [r for r in medium_records if r.queue == "general"]
    mornings = [r for r in general if monday_morning(r)]
    rest = [r for r in general if not monday_morning(r)]
    assert service_level(mornings, 20) < service_level(rest, 20) - 0.25
    abandon = [sum(r.abandoned for r in part) / len(part) for part in (mornings, rest)]
    assert abandon[0] > 2 * abandon[1]


def test_the_story_holds_in_a_single_week(small_records):
    general = [r for r in small_records if r.queue == "general"]
    vip = [r for r in small_records if r.queue == "vip"]
    assert service_level(vip, 15) >= 0.9
    assert service_level(general, 20) < 0.8
    mornings = [r for r in general if monday_morning(r)]
    assert service_level(mornings, 20) < 0.6


def test_busy_intervals_show_worse_service(medium_records):
    by_interval = defaultdict(list)
    for r in medium_records:
        if r.queue == "general":
            t = r.arrived_at
            by_interval[(t.date(), t.hour, t.minute // 30)].append(r)
    ranked = sorted(by_interval.values(), key=len)
    quiet, busy = ranked[: len(ranked) // 4], ranked[-len(ranked) // 4 :]
    mean_wait = [
        sum(r.wait_seconds for part in group for r in part) / sum(len(part) for part in group)
        for group in (quiet, busy)
    ]
    assert mean_wait[1] > 3 * mean_wait[0]


# --------------------------------------------------------------------------------- roster


def _erlang_c_by_factorials(agents: int, traffic: float, aht: float, t: float) -> float:
    """Textbook Erlang C: P(wait) = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + that)."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return 1 - top / bottom * math.exp(-(agents - traffic) * t / aht)


@pytest.mark.parametrize(("agents", "traffic"), [(11, 10.0), (14, 10.0), (3, 1.2), (40, 33.3)])
def test_erlang_c_matches_the_factorial_formula(agents, traffic):
    got = erlang_c_service_level(agents, traffic, 180, 20)
    assert got == pytest.approx(_erlang_c_by_factorials(agents, traffic, 180, 20), rel=1e-9)


def test_agents_needed_is_the_smallest_that_meets_the_target():
    n = agents_needed(100, 180, target=0.8, target_seconds=20)  # 100 calls in 900 s: 20 Erl
    assert _erlang_c_by_factorials(n, 20.0, 180, 20) >= 0.8
    assert _erlang_c_by_factorials(n - 1, 20.0, 180, 20) < 0.8


def test_cover_meets_the_need_everywhere():
    need = [0] * 96
    for t in range(32, 88):
        need[t] = 2 + round(6 * math.exp(-(((t - 40) / 6) ** 2))) + (t % 7 == 0)
    shifts = cover(need, open_at=32, close_at=88)
    present = [0] * 96
    for start, length, brk in shifts:
        assert start >= 32
        assert start + length <= 88
        for t in range(start, start + length):
            if brk < 0 or not brk <= t < brk + 2:
                present[t] += 1
    assert all(present[t] >= need[t] for t in range(96))


def test_interaction_seed_is_a_light_named_tuple(small_records):
    record = small_records[0]
    assert isinstance(record, tuple)
    assert record._fields[0] == "source"
    assert isinstance(record.arrived_at, datetime)
    assert record.arrived_at.utcoffset() == timedelta(hours=8)
