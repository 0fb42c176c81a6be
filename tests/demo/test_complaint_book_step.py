"""The complaint book's demo step: open tickets get playbooks; tickets per level and type are
worked by the book; a regulator ticket has an appeal with its deadlines."""

from __future__ import annotations

import pytest

from tests.demo.test_complaints_step import centre  # noqa: F401  (the hand-made centre)
from yuqi.complaints.models import ContactAttempt, RegulatorAppeal, StepTick, TicketBook
from yuqi.demo.steps.complaint_book import load_demo_complaint_book
from yuqi.demo.steps.complaints import load_demo_complaints

pytestmark = pytest.mark.django_db


def test_the_demo_works_tickets_by_the_book(centre, outbox):  # noqa: F811
    load_demo_complaints(seed=7)
    result = load_demo_complaint_book()
    assert result.tickets > 0
    assert TicketBook.objects.count() >= result.tickets
    assert result.showcased >= 4
    assert ContactAttempt.objects.count() == result.showcased
    assert StepTick.objects.exists()
    assert RegulatorAppeal.objects.count() == result.appeals
