"""The derived repeat flag (one window over each customer's contacts on a category) equals
its definition: a later inbound contact of the same customer on the same category within
``DEFAULT_REPEAT_DAYS`` days, ties in arrival time not later, for a first derivation and for
the earlier contacts of a customer when a new one arrives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS
from yuqi.interactions.derived import contacts_derive, pending
from yuqi.interactions.models import Interaction

pytestmark = pytest.mark.django_db

WINDOW = timedelta(days=DEFAULT_REPEAT_DAYS)


def _expected() -> dict[int, bool | None]:
    rows = list(
        Interaction.objects.values("id", "customer_id", "category", "direction", "arrived_at")
    )
    flags: dict[int, bool | None] = {}
    for row in rows:
        if row["customer_id"] is None:
            flags[row["id"]] = False
            continue
        flags[row["id"]] = any(
            other["direction"] == "inbound"
            and other["customer_id"] == row["customer_id"]
            and other["category"] == row["category"]
            and row["arrived_at"] < other["arrived_at"] <= row["arrived_at"] + WINDOW
            for other in rows
        )
    return flags


def _stored() -> dict[int, bool | None]:
    return dict(Interaction.objects.values_list("id", "repeated"))


def test_the_window_flag_equals_the_definition_with_ties_directions_and_edges():
    rng = random.Random(22)
    customers = [CustomerFactory() for _ in range(3)]
    base = datetime(2026, 3, 1, 10, tzinfo=UTC)
    offsets = [
        timedelta(0),
        timedelta(0),  # a tie: not a later contact
        WINDOW,  # exactly at the window's end: a repeat
        WINDOW + timedelta(microseconds=1),  # just after: not
        timedelta(days=2, hours=3),
        timedelta(days=20),
    ]
    for customer in [*customers, None]:
        for offset in offsets:
            for category in ("话费查询", "宽带报修"):
                InteractionFactory(
                    customer=customer,
                    category=category,
                    direction=rng.choice(["inbound", "inbound", "outbound"]),
                    arrived_at=base + offset + timedelta(seconds=rng.choice([0, 0, 5])),
                )
    assert contacts_derive() == len(offsets) * 2 * 4
    expected = _expected()
    assert _stored() == expected
    assert True in expected.values()
    assert False in expected.values()
    assert not pending().exists()


def test_a_new_contact_makes_an_earlier_derived_one_a_repeat():
    customer, other = CustomerFactory(), CustomerFactory()
    base = datetime(2026, 3, 1, 10, tzinfo=UTC)
    first = InteractionFactory(customer=customer, arrived_at=base)
    untouched = InteractionFactory(customer=other, arrived_at=base)
    contacts_derive()
    assert _stored() == {first.pk: False, untouched.pk: False}
    later = InteractionFactory(customer=customer, arrived_at=base + timedelta(days=3))
    assert contacts_derive() == 1  # only the new contact was pending
    assert _stored() == {first.pk: True, untouched.pk: False, later.pk: False}
    assert _stored() == _expected()
