"""The demo's privacy desk: three requests at different stages, one of them overdue."""

from __future__ import annotations

from datetime import date

import pytest

from tests.customers.factories import CustomerFactory
from yuqi.demo.steps.privacy import load_demo_privacy
from yuqi.privacy.models import ConsentEntry, PrivacyRequest
from yuqi.privacy.selectors import overdue_count

pytestmark = pytest.mark.django_db


def test_the_demo_desk_has_requests_and_consents():
    CustomerFactory.create_batch(30)
    summary = load_demo_privacy(end_date=date(2026, 11, 20))
    assert (summary.requests, summary.consents) == (3, 3)
    assert PrivacyRequest.objects.filter(status="verified").count() == 1
    assert overdue_count(date(2026, 11, 21)) == 1
    assert ConsentEntry.objects.filter(purpose="marketing", given=True).count() == 2
