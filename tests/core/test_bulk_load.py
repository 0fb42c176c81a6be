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
    insert_created,
    insert_tuples,
    insert_values,
    seconds_adapter,
    sqlite_build_mode,
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


def _answered(tag: str, at: dt.datetime, customer: object) -> list:
    """Responses and answers to the test survey, the answers built before their responses
    are saved (the demo's post-contact surveys build them so)."""
    from tests.surveys.factories import survey
    from yuqi.surveys.choices import ResponseChannel
    from yuqi.surveys.models import Answer, Question, Response, Survey

    made = Survey.objects.filter(code="csat-check").first() or survey()
    questions = list(Question.objects.filter(version=made.current_version).order_by("code"))
    responses, answers = [], []
    for i in range(7):
        response = Response(
            survey_version=made.current_version,
            customer=customer if i % 2 else None,
            stratum_key=f"{tag}-{i}",
            weight=1.5 if i % 3 else 1,  # an int where the field holds floats
            tier_code=ResponseChannel.CALL,  # a choices member, not a plain str
            interaction_id=i or None,
            channel=ResponseChannel.WEB,
            submitted_at=at + dt.timedelta(minutes=i, microseconds=i * 7),
        )
        responses.append(response)
        answers.append(Answer(response=response, question=questions[0], value=float(i)))
        answers.append(
            Answer(response=response, question=questions[1], text="好", choices=["a", i])
        )
    return [responses, answers]


def _rows(model: type, ids: list[int], drop: tuple[str, ...]) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in drop}
        for row in model.objects.filter(pk__in=ids).order_by("pk").values()
    ]


def test_insert_created_writes_what_bulk_create_writes():
    from yuqi.surveys.models import Answer, Response

    at = dt.datetime(2026, 3, 2, 9, 30, 5, 120, tzinfo=ZoneInfo("Asia/Shanghai"))
    customer = CustomerFactory()
    by_django = _answered("x", at, customer)
    for objects in by_django:
        type(objects[0]).objects.bulk_create(objects)
    ours = _answered("x", at, customer)
    for objects in ours:
        assert insert_created(objects) == objects
    for (theirs, mine), drop in zip(
        zip(by_django, ours, strict=True), [("id",), ("id", "response_id")], strict=True
    ):
        assert all(o.pk is not None and not o._state.adding for o in mine)
        model = type(theirs[0])
        assert _rows(model, [o.pk for o in mine], drop) == _rows(
            model, [o.pk for o in theirs], drop
        )
    # the answers point at the responses saved just before them
    assert [a.response_id for a in ours[1]] == [r.pk for r in ours[0] for _ in range(2)]
    assert Answer.objects.filter(response__in=ours[0]).count() == 14
    assert Response.objects.filter(stratum_key="x-0").count() == 2
    # the stored text too (not only the values Django reads back)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT submitted_at, weight, tier_code FROM surveys_response WHERE id IN (%s, %s)",
            [by_django[0][1].pk, ours[0][1].pk],
        )
        theirs_row, mine_row = cursor.fetchall()
    assert mine_row == theirs_row


def test_insert_created_refuses_saved_objects():
    customer = CustomerFactory()
    with pytest.raises(ValueError, match="new objects only"):
        insert_created([customer])


def _pragma(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's settings; nothing elsewhere")
@pytest.mark.django_db(transaction=True)
def test_the_sqlite_build_mode_lasts_for_its_block_only():
    before = (_pragma("synchronous"), _pragma("cache_size"), _pragma("journal_mode"))
    with sqlite_build_mode():
        assert (_pragma("synchronous"), _pragma("cache_size")) == (0, -262144)
        insert_values(Interaction, [_contact("during")])
    assert (_pragma("synchronous"), _pragma("cache_size"), _pragma("journal_mode")) == before
    assert Interaction.objects.filter(external_id="during").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's settings; nothing elsewhere")
def test_the_sqlite_build_mode_changes_nothing_inside_a_transaction():
    before = (_pragma("synchronous"), _pragma("cache_size"))
    with sqlite_build_mode():  # SQLite refuses to change them in a transaction: left alone
        assert (_pragma("synchronous"), _pragma("cache_size")) == before
    assert (_pragma("synchronous"), _pragma("cache_size")) == before
