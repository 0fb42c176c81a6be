"""``yuqi.core.among.rows_among``: a long list of ids against a small table is matched in
Python, with the same rows as the ``IN`` gives; otherwise the ``IN`` stands."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.customers.factories import CustomerFactory
from yuqi.core import among
from yuqi.core.among import rows_among
from yuqi.privacy.models import ConsentEntry
from yuqi.privacy.selectors import refusing
from yuqi.surveys.models import SurveyOptOut
from yuqi.surveys.services import opted_out

pytestmark = pytest.mark.django_db


@pytest.fixture
def consents():
    customers = [CustomerFactory() for _ in range(6)]
    from yuqi.core.clock import now

    at = now()
    for i, customer in enumerate(customers):
        ConsentEntry.objects.create(
            customer_id=customer.pk, purpose="survey", given=i % 2 == 0, source="test", at=at
        )
    return [c.pk for c in customers]


def _in(ids):
    return list(
        ConsentEntry.objects.filter(customer_id__in=ids)
        .order_by("customer_id", "at", "id")
        .values_list("customer_id", "given")
    )


@pytest.mark.parametrize("long_list", [1, 3, 1_000])
def test_the_same_rows_as_the_in(consents, monkeypatch, long_list):
    monkeypatch.setattr(among, "LONG_LIST", long_list)
    rows = ConsentEntry.objects.order_by("customer_id", "at", "id")
    for ids in (set(consents[:4]), set(consents) | {10**9}, set(), {consents[0], 10**9, 10**9 + 1}):
        got = list(rows_among(rows, "customer_id", ids, ("customer_id", "given")))
        assert got == _in(ids)


def test_a_long_list_reads_the_small_table_without_a_parameter_per_id(consents, monkeypatch):
    monkeypatch.setattr(among, "LONG_LIST", 3)
    ids = set(consents) | set(range(10**9, 10**9 + 20))  # more ids than rows
    rows = ConsentEntry.objects.order_by("customer_id")
    with CaptureQueriesContext(connection) as seen:
        got = list(rows_among(rows, "customer_id", ids, ("customer_id",)))
    assert sorted(got) == sorted((pk,) for pk in consents)
    assert len(seen) == 2  # the count, then the rows
    assert all(str(10**9) not in q["sql"] for q in seen)


def test_a_table_larger_than_the_list_keeps_the_in(consents, monkeypatch):
    monkeypatch.setattr(among, "LONG_LIST", 1)
    ids = set(consents[:2])
    with CaptureQueriesContext(connection) as seen:
        got = list(rows_among(ConsentEntry.objects.all(), "customer_id", ids, ("customer_id",)))
    assert sorted(got) == sorted((pk,) for pk in ids)
    assert " IN " in seen[-1]["sql"]


def test_refusing_and_opted_out_the_same_for_a_long_frame(consents, monkeypatch):
    SurveyOptOut.objects.create(customer_id=consents[0])
    frame = set(consents) | set(range(10**9, 10**9 + 10))
    monkeypatch.setattr(among, "LONG_LIST", 10**6)  # always the IN: the old way
    before = (refusing("survey", frame), opted_out(frame))
    monkeypatch.setattr(among, "LONG_LIST", 2)  # matched in Python
    after = (refusing("survey", frame), opted_out(frame))
    assert after == before
    assert before[0] == {pk for i, pk in enumerate(consents) if i % 2}
    assert before[1] == before[0] | {consents[0]}
