"""The figures read from the segment snapshots (the pyramid page and the scorecard's retention
and churn) are cached under the snapshots' data version: after every writer of the snapshots
they are the figures a fresh count gives, and on the pages too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.customers.factories import CustomerFactory
from yuqi.core.measures import reading_scope
from yuqi.operations.models import SegmentSnapshot, SnapshotVersion
from yuqi.operations.pyramid import versions
from yuqi.operations.pyramid.selectors import pyramid_summary, segment_migration, snapshot_months
from yuqi.operations.pyramid.services import segments_refresh
from yuqi.operations.scorecard.selectors import Period, measure_value

SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)
OCTOBER_PERIOD = Period(OCTOBER, date(2026, 10, 31))


def figures() -> tuple:
    """Everything the pages show from the snapshots."""
    with reading_scope():
        retention = measure_value("retention_rate", OCTOBER_PERIOD)
        churn = measure_value("churn_rate", OCTOBER_PERIOD)
    return (
        snapshot_months(),
        pyramid_summary(month=OCTOBER),
        pyramid_summary(),
        segment_migration(from_month=SEPTEMBER, to_month=OCTOBER),
        retention,
        churn,
    )


def fresh() -> tuple:
    cache.clear()
    return figures()


@pytest.fixture
def people(db):
    """Six customers in September's and October's snapshots."""
    cache.clear()
    found = [CustomerFactory(monthly_value=Decimal(100 * (i + 1))) for i in range(6)]
    before = ["low", "low", "top", "inactive", "potential", "middle"]
    after = ["low", "inactive", "top", "low", "potential", "high"]
    for person, b, a in zip(found, before, after, strict=True):
        SegmentSnapshot.objects.create(month=SEPTEMBER, customer=person, segment=b, value=1)
        SegmentSnapshot.objects.create(month=OCTOBER, customer=person, segment=a, value=2)
    return found


def _save(people: list) -> None:
    row = SegmentSnapshot.objects.get(month=OCTOBER, customer=people[0])
    row.segment = "inactive"
    row.save()


def _create(people: list) -> None:
    SegmentSnapshot.objects.create(month=OCTOBER, customer=CustomerFactory(), segment="top")


def _delete_customer(people: list) -> None:
    people[2].delete()  # cascades to both months' snapshots


def _delete_rows(people: list) -> None:
    SegmentSnapshot.objects.filter(month=SEPTEMBER, segment="low").delete()


def _bulk_create(people: list) -> None:
    newcomers = [CustomerFactory() for _ in range(3)]
    SegmentSnapshot.objects.bulk_create(
        SegmentSnapshot(month=OCTOBER, customer=person, segment="middle") for person in newcomers
    )


def _bulk_update(people: list) -> None:
    rows = list(SegmentSnapshot.objects.filter(month=SEPTEMBER))
    for row in rows:
        row.segment = "top"
    SegmentSnapshot.objects.bulk_update(rows, ["segment"])


def _update(people: list) -> None:
    SegmentSnapshot.objects.filter(month=OCTOBER).update(segment="inactive")


def _refresh(people: list) -> None:
    segments_refresh(as_of=date(2026, 10, 20))  # rewrites October from the customers


WRITERS: dict[str, Callable[[list], None]] = {
    "instance save": _save,
    "instance create": _create,
    "customer deleted (cascade)": _delete_customer,
    "queryset delete": _delete_rows,
    "bulk_create": _bulk_create,
    "bulk_update": _bulk_update,
    "queryset update": _update,
    "segments_refresh (bulk upsert)": _refresh,
}


@pytest.mark.parametrize("writer", list(WRITERS), ids=list(WRITERS))
def test_after_every_writer_the_figures_are_a_fresh_counts(people, writer):
    before = figures()  # cached now
    assert figures() == before
    WRITERS[writer](people)
    after = figures()
    assert after == fresh()
    assert after != before  # each writer changes some figure: the check can fail


def test_a_second_read_reads_only_the_version(people, django_assert_num_queries):
    figures()
    with django_assert_num_queries(2):  # one version read per reading scope and function call
        with reading_scope():
            measure_value("retention_rate", OCTOBER_PERIOD)
        segment_migration(from_month=SEPTEMBER, to_month=OCTOBER)


def test_a_rolled_back_write_leaves_no_version_behind(people):
    start = versions.current()
    seen: list[str | None] = []

    def write_read_and_fail() -> None:
        with transaction.atomic():
            _update(people)
            seen.append(versions.current())
            figures()  # cached under the version of the write that is rolled back
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_read_and_fail()
    inside = seen[0]
    assert versions.current() == start
    _save(people)  # the next write draws a new version, never the rolled-back one
    assert versions.current() not in (start, inside)
    assert figures() == fresh()


def test_before_the_first_version_nothing_is_cached(people):
    SnapshotVersion.objects.all().delete()  # a database emptied by a transactional test
    assert versions.current() is None
    figures()
    assert figures() == fresh()
    _save(people)  # the first write makes the version row
    assert versions.current() is not None
    assert figures() == fresh()


def test_the_pages_show_the_fresh_figures_after_a_refresh(people, manager, as_user):
    client = as_user(manager)
    pages = [reverse("operations:pyramid_page"), reverse("operations:scorecard_page")]
    query = {"month": "2026-10"}
    for page in pages:
        assert client.get(page, query).status_code == 200  # cached
    _refresh(people)
    cached = [_stable(client.get(page, query).content) for page in pages]
    cache.clear()
    assert cached == [_stable(client.get(page, query).content) for page in pages]


def _stable(body: bytes) -> str:
    """The page without its per-request values (CSRF token, CSP nonce)."""
    text = body.decode()
    text = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r'\1""', text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', text)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', text)
