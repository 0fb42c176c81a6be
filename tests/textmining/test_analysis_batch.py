"""A batch of analyses (the backfill and the re-analysis) stores what storing them one by one
(``analysis_run``) stores: the same fields, the same spam and near-duplicate flags against the
customer's earlier complaints (those stored earlier in the same batch included, latest analysed
first), the handler's unreasonable mark kept, and one audit entry per row as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.complaints.factories import open_complaint, sh
from tests.textmining.factories import BILLING, NETWORK, customer
from yuqi.textmining.models import ComplaintAnalysis
from yuqi.textmining.services import (
    _analyse_all,
    active_model,
    analysis_run,
    mark_unreasonable,
)

pytestmark = pytest.mark.django_db

FIELDS = (
    "masked_text",
    "category",
    "confidence",
    "top3",
    "source",
    "model_id",
    "wanted_outcomes",
    "wanted_by",
    "amount",
    "target",
    "quoted_promise",
    "signals",
    "reasonable",
)


def _complaints(by, frozen) -> list[int]:
    """Two customers' complaints over 40 days: exact and near duplicates of one customer (one
    outside the 30-day window of a later one), the same text from another customer, spam."""
    first, other = customer(), customer()
    plan = [
        (0, first, BILLING[0]),
        (1, first, NETWORK[0]),
        (2, first, BILLING[0]),  # duplicate of day 0
        (3, other, BILLING[0]),  # another customer: not a duplicate
        (4, first, BILLING[0] + "！"),  # duplicate of day 0 and day 2
        (5, first, "啊啊啊啊啊啊"),  # spam
        (32, first, BILLING[0]),  # day 0 is out of the window, days 2 and 4 are in
        (33, first, NETWORK[0]),  # day 1 is out of the window
    ]
    ids = []
    for day, who, text in plan:
        frozen.set(sh(2026, 1, 1, 9) + dt.timedelta(days=day))
        ids.append(open_complaint(by=by, customer=who, account=text, demand="").pk)
    return ids


def _stored() -> dict[int, dict[str, Any]]:
    return {
        row["complaint_id"]: row
        for row in ComplaintAnalysis.objects.values("complaint_id", *FIELDS)
    }


@pytest.fixture
def ticking(monkeypatch):
    """Every "now" of the text-mining services a second after the one before (no ties in the
    analyses' order, as in a real run)."""
    moment = [sh(2026, 3, 1, 9)]

    def tick() -> dt.datetime:
        moment[0] += dt.timedelta(seconds=1)
        return moment[0]

    monkeypatch.setattr("yuqi.textmining.services.now", tick)


@pytest.mark.parametrize("batch", [200, 3])
def test_a_batch_stores_what_one_by_one_stores(frozen, outbox, supervisor, ticking, batch):
    from auditlog.models import LogEntry

    ids = _complaints(supervisor, frozen)
    entries = LogEntry.objects.count()
    for pk in ids:
        analysis_run(complaint_id=pk)
    one_by_one = _stored()
    flags = [one_by_one[pk]["reasonable"]["duplicate_of"] for pk in ids]
    assert flags == [None, None, ids[0], None, ids[2], None, ids[4], None]
    assert one_by_one[ids[5]]["reasonable"]["spam"]
    created = LogEntry.objects.count() - entries

    # the same complaints again, one by one then in batches: updates (the mark kept)
    mark_unreasonable(complaint_id=ids[1], by=supervisor)
    for pk in ids:
        analysis_run(complaint_id=pk)
    again = _stored()
    entries = LogEntry.objects.count()
    assert _analyse_all(ids, active_model(), batch=batch) == len(ids)
    assert _stored() == again
    assert again[ids[1]]["reasonable"]["unreasonable"] is True
    updated = LogEntry.objects.count() - entries

    # and from nothing, in batches: creations
    ComplaintAnalysis.objects.all().delete()
    entries = LogEntry.objects.count()
    assert _analyse_all(ids, active_model(), batch=batch) == len(ids)
    assert _stored() == one_by_one
    assert LogEntry.objects.count() - entries == created == len(ids)
    assert updated == len(ids)
