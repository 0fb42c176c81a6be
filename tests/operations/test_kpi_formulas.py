"""KPI formulas on small cases computed by hand (the numbers in comments are the working)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.kpi import (
    DEFINITIONS,
    ContactRecord,
    KpiCounts,
    KpiValues,
    counts_from_rows,
    interval_start,
    kpi_values,
    repeated_contacts,
)

T0 = datetime(2025, 3, 3, 9, 0)


def answered(wait: int, talk: int = 100, wrap: int = 20, **extra) -> ContactRecord:
    return ContactRecord(
        arrived_at=T0,
        answered=True,
        wait_seconds=wait,
        talk_seconds=talk,
        wrap_seconds=wrap,
        **extra,
    )


def abandoned(wait: int) -> ContactRecord:
    return ContactRecord(arrived_at=T0, answered=False, abandoned=True, wait_seconds=wait)


def test_no_calls_gives_no_ratios():
    values = kpi_values(counts_from_rows([]))
    assert (values.offered, values.answered, values.abandoned) == (0, 0, 0)
    ratios = [
        f
        for f in KpiValues.__dataclass_fields__
        if f not in ("offered", "answered", "abandoned", "short_abandoned")
    ]
    assert all(getattr(values, name) is None for name in ratios)


def test_all_abandoned():
    values = kpi_values(counts_from_rows([abandoned(30), abandoned(60), abandoned(2)]))
    assert values.answer_rate == 0.0  # 0 / 3
    assert values.abandon_rate == 1.0  # (3 − 1) / (3 − 1)
    assert values.service_level == 0.0  # 0 / (3 − 1)
    assert values.asa is None  # nothing answered
    assert values.aht is None
    assert values.longest_wait == 60
    assert values.short_abandoned == 1


def test_short_abandons_only():
    values = kpi_values(counts_from_rows([abandoned(0), abandoned(4)]))
    assert values.offered == 2
    assert values.answer_rate == 0.0  # 0 / 2: answer rate keeps short abandons
    assert values.abandon_rate is None  # (2 − 2) / (2 − 2): nothing left to judge
    assert values.service_level is None


def test_short_abandon_threshold_is_strict_and_configurable():
    rows = [abandoned(4), abandoned(5)]
    assert counts_from_rows(rows).short_abandoned == 1  # 4 < 5, 5 is not
    assert counts_from_rows(rows, short_abandon_seconds=6).short_abandoned == 2


def test_mixed_case():
    rows = [
        answered(10, talk=200, wrap=40, transferred=True, first_contact_resolved=True),
        answered(20, talk=100, wrap=20, first_contact_resolved=False),  # 20 ≤ 20: in time
        answered(30, talk=300, wrap=60, sl_seconds=30),  # a tier/queue with Y = 30 s
        answered(25, talk=80, wrap=0),  # late
        abandoned(3),  # short
        abandoned(40),
        ContactRecord(arrived_at=T0, answered=True, inbound=False, talk_seconds=999),  # outbound
        ContactRecord(arrived_at=T0, answered=True, queued=False),  # IVR only
    ]
    v = kpi_values(counts_from_rows(rows))
    assert (v.offered, v.answered, v.abandoned, v.short_abandoned) == (6, 4, 2, 1)
    assert v.answer_rate == pytest.approx(4 / 6)
    assert v.abandon_rate == pytest.approx((2 - 1) / (6 - 1))
    assert v.service_level == pytest.approx(3 / (6 - 1))  # 10, 20 (Y 20), 30 (Y 30)
    assert v.asa == pytest.approx((10 + 20 + 30 + 25) / 4)
    assert v.longest_wait == 40
    assert v.aht == pytest.approx((240 + 120 + 360 + 80) / 4)
    assert v.transfer_rate == pytest.approx(1 / 4)
    assert v.fcr == pytest.approx(1 / 2)  # two contacts carry the flag
    assert v.occupancy is None  # no staffed time known


def test_occupancy_from_staffed_seconds():
    counts = KpiCounts(
        offered=2, answered=2, talk_seconds=1500, wrap_seconds=300, staffed_seconds=3600
    )
    assert kpi_values(counts).occupancy == pytest.approx(0.5)  # 1800 / 3600


def test_derived_fcr_counts_a_repeat_within_the_window_only():
    first = answered(5, customer="C1", category="billing")
    rows = [
        first,
        ContactRecord(
            arrived_at=T0 + timedelta(days=3), answered=True, customer="C1", category="billing"
        ),
        ContactRecord(
            arrived_at=T0 + timedelta(days=20), answered=True, customer="C1", category="billing"
        ),
        ContactRecord(arrived_at=T0, answered=True, customer="C2", category="billing"),
        ContactRecord(arrived_at=T0, answered=True, customer="C2", category="fault"),
        ContactRecord(arrived_at=T0, answered=True, customer=None, category="billing"),
    ]
    repeated = repeated_contacts(rows, repeat_days=7)
    assert repeated == {0}  # day 0 → day 3 repeats; day 3 → day 20 is outside 7 days
    counts = counts_from_rows(rows, repeated=lambda r: r is first)
    assert counts.repeat_candidates == 5  # the unknown caller cannot be followed
    assert kpi_values(counts).derived_fcr == pytest.approx(1 - 1 / 5)


def test_a_simultaneous_contact_is_not_a_repeat():
    rows = [ContactRecord(arrived_at=T0, answered=True, customer="C", category="x")] * 2
    assert repeated_contacts(rows) == set()


def test_counts_add_up_like_one_group():
    a = [answered(10), abandoned(2)]
    b = [answered(50), abandoned(70)]
    assert counts_from_rows(a) + counts_from_rows(b) == counts_from_rows(a + b)
    assert KpiCounts() + KpiCounts(staffed_seconds=10) == KpiCounts()  # unknown stays unknown


def test_interval_start():
    moment = datetime(2025, 3, 3, 9, 44, 59)
    assert interval_start(moment, 15) == datetime(2025, 3, 3, 9, 30)
    assert interval_start(moment, 30) == datetime(2025, 3, 3, 9, 30)
    assert interval_start(moment, 60) == datetime(2025, 3, 3, 9, 0)
    with pytest.raises(ValueError, match="interval"):
        interval_start(moment, 20)


def test_every_definition_documents_a_formula_and_a_source():
    codes = [d.code for d in DEFINITIONS]
    assert codes == list(KpiValues.__dataclass_fields__)
    for definition in DEFINITIONS:
        assert "=" in definition.formula, definition.code
        assert "Source" in definition.doc, definition.code


contacts = st.builds(
    ContactRecord,
    arrived_at=st.just(T0),
    answered=st.booleans(),
    abandoned=st.booleans(),
    wait_seconds=st.integers(0, 600),
    talk_seconds=st.integers(0, 3600),
    wrap_seconds=st.integers(0, 600),
    transferred=st.booleans(),
    first_contact_resolved=st.none() | st.booleans(),
    sl_seconds=st.sampled_from([10, 15, 20, 30]),
    customer=st.none() | st.sampled_from(["a", "b"]),
    category=st.sampled_from(["", "x"]),
    inbound=st.booleans(),
    queued=st.booleans(),
)


@given(st.lists(contacts, max_size=40), st.integers(0, 30), st.none() | st.integers(0, 10**6))
def test_rates_stay_in_range_and_nothing_divides_by_zero(rows, short, staffed):
    counts = counts_from_rows(rows, short_abandon_seconds=short, repeated=lambda r: r.answered)
    counts = KpiCounts(**{**counts.__dict__, "staffed_seconds": staffed})
    values = kpi_values(counts)
    for name in (
        "answer_rate",
        "abandon_rate",
        "service_level",
        "transfer_rate",
        "fcr",
        "derived_fcr",
    ):
        value = getattr(values, name)
        assert value is None or 0.0 <= value <= 1.0, name
    for name in ("asa", "aht", "longest_wait", "occupancy"):
        value = getattr(values, name)
        assert value is None or value >= 0, name
    if values.offered == 0:
        assert values.answer_rate is None
        assert values.longest_wait is None
    else:
        assert values.answer_rate is not None
