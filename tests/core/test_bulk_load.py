"""``yuqi.core.bulk``: a bulk load's deferred indexes and the SQLite datetime text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from tests.customers.factories import CustomerFactory
from yuqi.core.bulk import (
    _adapter,
    indexes_deferred,
    insert_tuples,
    insert_values,
    seconds_adapter,
    upsert_rows,
)
from yuqi.interactions.models import Interaction
from yuqi.operations.models import SegmentSnapshot

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Interaction._meta.db_table)
    return {name: c for name, c in found.items() if c["index"] or c["unique"]}


def _contact(external_id: str) -> dict:
    at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    return {"source": "test", "external_id": external_id, "arrived_at": at}


def test_the_plain_indexes_are_made_again_after_the_load():
    before = _indexes()
    plain = {name for name, c in before.items() if c["index"] and not c["unique"]}
    assert "interaction_queue_arrived" in plain
    with indexes_deferred(Interaction):
        during = _indexes()
        insert_values(Interaction, [_contact(f"c{i}") for i in range(50)])
    assert not plain & set(during)  # dropped for the load
    assert _indexes() == before
    assert Interaction.objects.count() == 50


def test_the_unique_indexes_stay_during_the_load_and_a_failed_load_restores_the_rest():
    before = _indexes()
    refused = (IntegrityError, connection.Database.IntegrityError)  # COPY speaks psycopg
    with pytest.raises(refused), indexes_deferred(Interaction), transaction.atomic():
        insert_values(Interaction, [_contact("same"), _contact("same")])
    assert _indexes() == before


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the fast adapter is SQLite's only: PostgreSQL takes aware datetimes as they are",
)
def test_the_sqlite_datetime_text_is_what_django_writes():
    field = Interaction._meta.get_field("arrived_at")
    fast = _adapter(field)
    for value in (
        None,
        dt.datetime(2026, 3, 2, 9, 30, 5, 120, tzinfo=ZoneInfo("Asia/Shanghai")),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        dt.datetime(2026, 3, 2, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 8, 0),
    ):
        assert fast(value) == connection.ops.adapt_datetimefield_value(value)


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(2026, 9, 2, tzinfo=ZoneInfo("Asia/Shanghai")),
        dt.datetime(2026, 3, 27, tzinfo=ZoneInfo("Europe/Berlin")),  # spring forward on the 29th
        dt.datetime(2026, 10, 23, tzinfo=ZoneInfo("Europe/Berlin")),  # fall back on the 25th
        dt.datetime(2026, 12, 30, 5, 30, tzinfo=dt.UTC),
    ],
)
def test_seconds_are_sent_as_the_datetime_they_stand_for(start):
    at = seconds_adapter(start)
    field = Interaction._meta.get_field("arrived_at")
    adapt = _adapter(field) or (lambda value: value)
    seconds = [None, 0, 1, 59, 3599, 86_399, 86_400, 200_000, 3 * 86_400 + 3_600 * 2 + 1800]
    seconds += list(range(0, 8 * 86_400, 997))
    for n in seconds:
        expected = None if n is None else adapt(start + dt.timedelta(seconds=n))
        assert at(n) == expected, n


def test_prepared_columns_are_sent_as_they_are():
    start = dt.datetime(2026, 3, 2, tzinfo=ZoneInfo("Asia/Shanghai"))
    at = seconds_adapter(start)
    names = ["source", "external_id", "arrived_at", "answered_at"]
    rows = [("test", "p1", at(34_200), None), ("test", "p2", at(34_200), at(34_260))]
    insert_tuples(Interaction, names, rows, prepared=("arrived_at", "answered_at"))
    insert_values(Interaction, [_contact("d1")])
    got = {i.external_id: i for i in Interaction.objects.all()}
    assert got["p1"].arrived_at == got["d1"].arrived_at == start + dt.timedelta(hours=9.5)
    assert got["p1"].answered_at is None
    assert got["p2"].answered_at == start + dt.timedelta(seconds=34_260)


def test_rows_as_tuples_are_written_as_insert_values_writes_them():
    stamp = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)
    dicts = [_contact("d1"), {**_contact("d2"), "wait_seconds": 40, "answered_at": None}]
    names = ["source", "external_id", "arrived_at", "wait_seconds", "answered_at"]
    tuples = [
        ("test", "t1", _contact("t1")["arrived_at"], 0, None),
        ("test", "t2", _contact("t2")["arrived_at"], 40, None),
    ]
    assert insert_values(Interaction, dicts, at=stamp) == 2
    assert insert_tuples(Interaction, names, tuples, at=stamp) == 2
    assert insert_tuples(Interaction, names, []) == 0
    skip = {"id", "external_id", "answered_at"}
    columns = [f.attname for f in Interaction._meta.concrete_fields if f.attname not in skip]
    rows = {
        r["external_id"]: {k: r[k] for k in columns}
        for r in Interaction.objects.values("external_id", *columns)
    }
    assert rows["t2"] == rows["d2"]
    assert rows["t2"]["created_at"] == stamp
    assert rows["t2"]["wait_seconds"] == 40
    assert rows["t2"]["notes"] == ""
    assert rows["t2"]["direction"] == "inbound"


def test_an_upsert_inserts_new_keys_and_updates_the_existing_ones():
    first, second = CustomerFactory(), CustomerFactory()
    month = dt.date(2026, 3, 1)
    names = ("month", "customer_id", "segment", "value", "recency", "frequency", "monetary")
    update = names[2:]
    rows = [(month, first.pk, "low", Decimal("12.50"), 1, 2, 3)]
    assert upsert_rows(SegmentSnapshot, names, rows, unique=names[:2], update=update) == 1
    rows = [
        (month, first.pk, "top", None, 5, 5, 5),
        (month, second.pk, "middle", Decimal("80.00"), 2, 2, 2),
    ]
    assert upsert_rows(SegmentSnapshot, names, rows, unique=names[:2], update=update) == 2
    got = {
        s.customer_id: (s.segment, s.value, s.recency, s.frequency, s.monetary)
        for s in SegmentSnapshot.objects.filter(month=month)
    }
    assert got[first.pk] == ("top", None, 5, 5, 5)
    assert got[second.pk] == ("middle", Decimal("80.00"), 2, 2, 2)
