"""Suggestions and praise (complaints context, issue 16) count as evidence on the expectation
register, read through ``complaints.facade.feedback_evidence``."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.customers.factories import CustomerFactory
from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.complaints.models import Feedback
from yuqi.insights import expectations as svc
from yuqi.insights.exports import evidence_text
from yuqi.insights.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_text_evidence(monkeypatch):
    monkeypatch.setattr(
        "yuqi.textmining.facade.expectation_evidence", lambda *, date_from, date_to: []
    )


def feedback(kind: str, topic: str, day: dt.date, text: str = "希望周末也能办理") -> Feedback:
    at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return Feedback.objects.create(
        kind=kind,
        customer=CustomerFactory(),
        text=text,
        topic=topic,
        source="contact",
        created_at=at,
    )


def test_suggestions_and_praise_attach_to_the_expectation_of_their_topic():
    e = ExpectationFactory(category="service")
    feedback("suggestion", "service.hours", MAY_START)
    feedback("praise", "service.hours", MAY_START + dt.timedelta(days=3), "营业员很耐心")
    feedback("suggestion", "service.hours", MAY_END + dt.timedelta(days=5))  # outside
    feedback("suggestion", "", MAY_START)  # no topic: not evidence
    svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    ev = Evidence.objects.get(expectation=e, source="feedback")
    assert ev.summary["suggestions"] == 1
    assert ev.summary["praise"] == 1
    assert evidence_text({"source": "feedback", "summary": ev.summary}, "en") == (
        "suggestions 1, praise 1"
    )


def test_a_topic_without_an_expectation_creates_none():
    feedback("suggestion", "privacy", MAY_START)
    result = svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    assert result.created == ()
    assert not Evidence.objects.filter(source="feedback").exists()
