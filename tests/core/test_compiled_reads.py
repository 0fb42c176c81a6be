"""A read compiled once answers what the ORM's read answers, and refuses to be kept where it
could answer anything else (a value derived from a slot, a read of the data while building)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from tests.customers.factories import CustomerFactory, tier
from yuqi.core.compiled_reads import MOST_ITEMS, CompiledRead
from yuqi.customers.models import Customer, Tier

pytestmark = pytest.mark.django_db

FIELD = Customer._meta.get_field


def _customers(region: str, *, since: dt.datetime, ids: list[int]):
    """Plain columns and converted ones: a decimal, a date, a boolean from EXISTS."""
    vip = Tier.objects.filter(pk=OuterRef("tier_id"), is_vip=True)
    rows = Customer.objects.filter(region=region, created_at__gte=since, pk__in=ids)
    return (
        rows.order_by("pk")
        .values("pk", "name", "monthly_value", "joined_on")
        .annotate(vip=Exists(vip))
    )


def _counting(build):
    calls = []

    def counted(*shape, **values):
        calls.append(shape)
        return build(*shape, **values)

    return counted, calls


def _some_customers() -> list[Customer]:
    return [
        CustomerFactory(region="湖北 武汉", joined_on=dt.date(2025, 3, 1)),
        CustomerFactory(region="湖北 武汉", tier=tier("diamond"), monthly_value=Decimal("12.50")),
        CustomerFactory(region="广东 深圳"),
    ]


def test_the_rows_and_their_python_values_are_the_orms():
    made = _some_customers()
    ids = [c.pk for c in made]
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    build, calls = _counting(lambda region, *, since, ids: _customers(region, since=since, ids=ids))
    read = CompiledRead(build, model=Customer, since=FIELD("created_at"), ids=FIELD("id"))
    for region in ("湖北 武汉", "广东 深圳", "湖北 武汉"):
        expected = list(_customers(region, since=since, ids=ids))
        assert read.rows(region, since=since, ids=ids) == expected
    assert [type(row["monthly_value"]) for row in expected] == [Decimal, Decimal]
    assert [row["vip"] for row in expected] == [False, True]  # a bool on SQLite too
    assert len(calls) == 4  # two compilations per shape, none after
    later = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    assert read.rows("湖北 武汉", since=later, ids=ids) == []
    assert read.rows("湖北 武汉", since=since, ids=ids[1:]) == [expected[1]]  # another length


def test_a_kept_read_runs_one_statement_and_builds_nothing():
    made = _some_customers()
    build, calls = _counting(lambda: Customer.objects.order_by("pk").values_list("pk", "region"))
    read = CompiledRead(build, model=Customer)
    assert read.rows() == [(c.pk, c.region) for c in made]
    with CaptureQueriesContext(connection) as queries:
        assert read.rows() == [(c.pk, c.region) for c in made]
    assert len(queries) == 1
    assert len(calls) == 2


def test_a_value_derived_from_a_slot_is_not_frozen_in():
    """``since - 1 day`` is not the probe: a kept statement would hold the probe's day for ever,
    so the read goes through the ORM each time."""
    customer = CustomerFactory()
    build, calls = _counting(
        lambda *, since: (
            Customer.objects.filter(created_at__gte=since - dt.timedelta(days=1))
            .filter(created_at__lt=since + dt.timedelta(days=400))
            .values_list("pk", flat=False)
        )
    )
    read = CompiledRead(build, model=Customer, since=FIELD("created_at"))
    moment = customer.created_at
    assert read.rows(since=moment) == [(customer.pk,)]
    assert read.rows(since=moment + dt.timedelta(days=2)) == []
    assert len(calls) == 2 + 2  # compiled twice (refused), then the ORM's read each time


def test_a_builder_that_reads_the_data_is_not_kept():
    CustomerFactory(region="湖北 武汉")

    def build():
        regions = list(Customer.objects.values_list("region", flat=True).distinct())
        return Customer.objects.filter(region__in=regions).values_list("region")

    read = CompiledRead(build, model=Customer)
    assert read.rows() == [("湖北 武汉",)]
    CustomerFactory(region="广东 深圳")
    assert sorted(read.rows()) == [("广东 深圳",), ("湖北 武汉",)]


def test_null_empty_and_long_lists_go_through_the_orm():
    made = _some_customers()
    read = CompiledRead(
        lambda *, ids: Customer.objects.filter(pk__in=ids).order_by("pk").values_list("pk"),
        model=Customer,
        ids=FIELD("id"),
    )
    assert read.rows(ids=[]) == []
    many = [c.pk for c in made] + list(range(10**9, 10**9 + MOST_ITEMS))
    assert read.rows(ids=many) == [(c.pk,) for c in made]
    owner = CompiledRead(
        lambda *, tier_id: Customer.objects.filter(tier_id=tier_id).values_list("pk"),
        model=Customer,
        tier_id=FIELD("tier"),
    )
    assert owner.rows(tier_id=None) == []  # IS NULL, not "= NULL"
    assert owner.rows(tier_id=tier("diamond").pk) == [(made[1].pk,)]


def test_model_instances_are_refused():
    read = CompiledRead(lambda: Customer.objects.all(), model=Customer)
    with pytest.raises(TypeError):
        read.rows()


def test_hostile_text_in_a_slot_is_a_parameter_not_sql():
    customer = CustomerFactory(name="x'); DROP TABLE customers_customer; --")
    read = CompiledRead(
        lambda *, name: Customer.objects.filter(name=name).values_list("pk"),
        model=Customer,
        name=FIELD("name"),
    )
    assert read.rows(name=customer.name) == [(customer.pk,)]
    assert read.rows(name="=cmd|' /C calc'!A0") == []
    assert Customer.objects.count() == 1


def _fields(instance) -> dict:
    """An instance's loaded values (model equality compares the key alone)."""
    return {k: v for k, v in vars(instance).items() if k != "_state"}


def _customers_with_tiers(*, region: str, ids: list[int]):
    return (
        Customer.objects.filter(region=region, pk__in=ids)
        .select_related("tier")
        .annotate(vip=Exists(Tier.objects.filter(pk=OuterRef("tier_id"), is_vip=True)))
        .order_by("pk")
    )


def test_model_instances_are_the_orms_with_their_related_objects_and_annotations():
    made = _some_customers()
    ids = [c.pk for c in made]
    build, calls = _counting(_customers_with_tiers)
    read = CompiledRead(build, model=Customer, region=FIELD("region"), ids=FIELD("id"))
    for region in ("湖北 武汉", "广东 深圳", "湖北 武汉"):
        expected = list(_customers_with_tiers(region=region, ids=ids))
        with CaptureQueriesContext(connection) as queries:
            found = read.objects(region=region, ids=ids)
            tiers = [customer.tier for customer in found]  # followed, not read again
        assert len(queries) == 1
        assert [_fields(c) for c in found] == [_fields(c) for c in expected]
        assert [_fields(t) for t in tiers] == [_fields(c.tier) for c in expected]
        assert all(not c._state.adding and c._state.db == "default" for c in found)
    assert [c.vip for c in read.objects(region="湖北 武汉", ids=ids)] == [False, True]
    assert len(calls) == 2  # compiled twice, once for all: a slot's value is not a shape


def test_a_kept_read_matching_nothing_is_the_orms_empty_list_in_one_statement():
    made = _some_customers()
    ids = [c.pk for c in made]
    read = CompiledRead(
        _customers_with_tiers, model=Customer, region=FIELD("region"), ids=FIELD("id")
    )
    assert read.objects(region="湖北 武汉", ids=ids)  # compiled on a read that finds rows
    assert list(_customers_with_tiers(region="海南 三亚", ids=ids)) == []
    with CaptureQueriesContext(connection) as queries:
        found = read.objects(region="海南 三亚", ids=ids)
    assert found == []
    assert type(found) is list
    assert len(queries) == 1
    assert all(read.kept().values())
    # and a read that finds rows again after the empty one is whole
    assert [c.pk for c in read.objects(region="湖北 武汉", ids=ids)] == [
        c.pk for c in _customers_with_tiers(region="湖北 武汉", ids=ids)
    ]


def test_deferred_fields_stay_deferred_and_load_on_demand():
    customer = CustomerFactory(name="王芳")
    read = CompiledRead(
        lambda *, pk: Customer.objects.filter(pk=pk).only("pk", "region"),
        model=Customer,
        pk=FIELD("id"),
    )
    read.objects(pk=customer.pk)
    (found,) = read.objects(pk=customer.pk)
    assert (
        found.get_deferred_fields()
        == Customer.objects.only("pk", "region").get(pk=customer.pk).get_deferred_fields()
    )
    assert found.name == "王芳"  # one more read, as the ORM's instance would


def test_a_prefetch_or_a_related_managers_read_is_refused_for_objects():
    customer = CustomerFactory(tier=tier("diamond"))
    with pytest.raises(TypeError):
        CompiledRead(lambda: Customer.objects.prefetch_related("tier"), model=Customer).objects()
    with pytest.raises(TypeError):
        CompiledRead(lambda: Customer.objects.values("pk"), model=Customer).objects()
    related = CompiledRead(lambda: customer.tier.customers.all(), model=Customer)
    with pytest.raises(TypeError):
        related.objects()


def test_objects_with_a_null_value_go_through_the_orm():
    customer = CustomerFactory(tier=None)
    read = CompiledRead(
        lambda *, tier_id: Customer.objects.filter(tier_id=tier_id),
        model=Customer,
        tier_id=FIELD("tier"),
    )
    assert [c.pk for c in read.objects(tier_id=None)] == [customer.pk]
    assert read.kept() == {}


def test_first_and_total_is_the_orms_with_the_count_asked_only_when_full():
    from yuqi.core.compiled_reads import CompiledFirstAndTotal

    def first_and_total(rows, limit):  # the ORM's way: the first rows, the count if full
        shown = list(rows[:limit])
        return shown, len(shown) if len(shown) < limit else rows.count()

    made = _some_customers() + [CustomerFactory(region="湖北 武汉") for _ in range(2)]

    def build(*, region):
        return Customer.objects.filter(region=region).select_related("tier").order_by("pk")

    kept = CompiledFirstAndTotal(build, 2, model=Customer, region=FIELD("region"))
    values = CompiledFirstAndTotal(
        lambda *, region: build(region=region).values("pk", "name"),
        2,
        model=Customer,
        values=True,
        region=FIELD("region"),
    )
    for region in ("湖北 武汉", "广东 深圳", "北京"):
        shown, total = first_and_total(build(region=region), 2)
        with CaptureQueriesContext(connection) as queries:
            found, found_total = kept.read(region=region)
        assert ([_fields(c) for c in found], found_total) == ([_fields(c) for c in shown], total)
        assert len(queries) == (2 if len(shown) == 2 else 1)
        assert values.read(region=region) == (
            [{"pk": c.pk, "name": c.name} for c in shown],
            total,
        )
    assert kept.read(region="湖北 武汉")[1] == 4 == len([c for c in made if "武汉" in c.region])


@pytest.mark.parametrize(
    "kind",
    [
        "BigIntegerField",
        "PositiveBigIntegerField",
        "IntegerField",
        "PositiveIntegerField",
        "SmallIntegerField",
        "PositiveSmallIntegerField",
    ],
)
def test_an_integer_stand_in_is_inside_its_columns_range(kind):
    """Django compiles a value outside the column's range to no statement at all."""
    from django.db import models

    from yuqi.core.compiled_reads import _probe

    field = getattr(models, kind)()
    low, high = connection.ops.integer_field_range(kind)
    for series in (101, 102, 203):
        for item in (0, 1, 99):
            value = _probe(field, series, item)
            assert low is None or low <= value
            assert high is None or value <= high
    assert _probe(field, 101, 0) != _probe(field, 201, 0)


def test_a_positive_and_a_small_column_are_kept():
    from tests.interactions.factories import InteractionFactory
    from yuqi.interactions.models import Interaction

    contact = InteractionFactory(complaint_id=42)
    by_ticket = CompiledRead(
        lambda *, complaint_id: Interaction.objects.filter(complaint_id=complaint_id),
        model=Interaction,
        complaint_id=Interaction._meta.get_field("complaint_id"),
    )
    assert [c.pk for c in by_ticket.objects(complaint_id=42)] == [contact.pk]
    assert by_ticket.objects(complaint_id=43) == []
    assert all(by_ticket.kept().values())
    by_rank = CompiledRead(
        lambda *, rank: Tier.objects.filter(rank=rank).values_list("code"),
        model=Tier,
        rank=Tier._meta.get_field("rank"),
    )
    diamond = tier("diamond")
    assert by_rank.rows(rank=diamond.rank) == [(diamond.code,)]
    assert all(by_rank.kept().values())


def test_a_stand_in_django_finds_cannot_match_is_refused_not_raised():
    """A builder that drops a (negative) stand-in compiles to no statement: refused, and the
    ORM answers with the real value."""
    customer = CustomerFactory()
    positive_only = CompiledRead(
        lambda *, pk: Customer.objects.filter(pk__in=[v for v in (pk,) if v > 0]).values_list("pk"),
        model=Customer,
        pk=FIELD("id"),
    )
    assert positive_only.rows(pk=customer.pk) == [(customer.pk,)]
    assert positive_only.kept() == {next(iter(positive_only.kept())): False}
