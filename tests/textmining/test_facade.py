"""The facade REGISTER reads: evidence from reasonable complaints only, codes, labels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.complaints.factories import sh
from tests.textmining.factories import BILLING, NETWORK, analysed, customer
from yuqi.textmining import facade
from yuqi.textmining.services import label_correct, mark_unreasonable

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def test_evidence_counts_reasonable_complaints_per_category_and_tier(frozen, outbox, supervisor):
    gold, plain, again = customer("gold"), customer("ordinary"), customer("ordinary")
    analysed(by=supervisor, text=BILLING[0], demand="三天内退还30元", customer=gold)
    analysed(by=supervisor, text=BILLING[1], customer=plain)
    frozen.set(sh(2026, 3, 2, 10))
    analysed(by=supervisor, text=BILLING[1], customer=plain)  # duplicate of the previous
    unreasonable = analysed(by=supervisor, text=BILLING[2], customer=again)
    mark_unreasonable(complaint_id=unreasonable.pk, by=supervisor)
    analysed(by=supervisor, text="啊啊啊啊啊啊", customer=again)  # spam
    analysed(by=supervisor, text=NETWORK[0], customer=again)

    evidence = {e.code: e for e in facade.expectation_evidence(date_from=DAY, date_to=DAY)}

    assert set(evidence) == {"billing", "quality"}
    billing = evidence["billing"]
    assert (billing.complaints, billing.customers) == (2, 2)
    assert billing.tiers == {"gold": 1, "ordinary": 1}
    assert billing.wanted_outcomes.get("refund", 0) >= 1
    assert billing.median_wanted_hours is not None
    assert [e.text for e in billing.examples if "啊" in e.text] == []
    assert evidence["quality"].complaints == 1


def test_evidence_uses_the_handlers_label_and_the_period(frozen, outbox, supervisor):
    complaint = analysed(by=supervisor, text=BILLING[0])
    label_correct(complaint_id=complaint.pk, code="privacy", by=supervisor)
    assert [e.code for e in facade.expectation_evidence(date_from=DAY, date_to=DAY)] == ["privacy"]
    next_day = DAY + dt.timedelta(days=1)
    assert facade.expectation_evidence(date_from=next_day, date_to=next_day) == []


def test_customer_codes_are_most_recent_first_and_distinct(frozen, outbox, supervisor):
    person = customer()
    analysed(by=supervisor, text=BILLING[0], customer=person)
    frozen.set(sh(2026, 3, 2, 11))
    network = analysed(by=supervisor, text=NETWORK[0], customer=person)
    frozen.set(sh(2026, 3, 2, 12))
    analysed(by=supervisor, text=BILLING[3], customer=person)
    assert facade.customer_expectation_codes(person.pk) == ["billing", "quality"]
    assert facade.complaint_expectation_codes(network.pk) == ["quality"]
    assert facade.complaint_expectation_codes(999_999) == []


def test_taxonomy_labels_follow_the_language():
    with translation.override("en"):
        assert facade.taxonomy_labels()["billing"] == "Charges and bills"
    with translation.override("zh-hans"):
        assert facade.taxonomy_labels()["billing"] == "资费/账单"


def test_customer_codes_take_the_handlers_label_over_the_prediction(frozen, outbox, supervisor):
    person = customer()
    first = analysed(by=supervisor, text=BILLING[0], customer=person)
    frozen.set(sh(2026, 3, 2, 11))
    analysed(by=supervisor, text=NETWORK[0], customer=person)
    assert facade.customer_expectation_codes(person.pk) == ["quality", "billing"]
    label_correct(complaint_id=first.pk, code="privacy", by=supervisor)
    assert facade.customer_expectation_codes(person.pk) == ["quality", "privacy"]
    assert facade.customer_expectation_codes(customer().pk) == []
