"""The customer 360's panels read less (issue 22): the same answers as the reads they replace,
in fewer queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.commitments.factories import CommitmentFactory
from tests.customers.factories import CustomerFactory
from tests.insights.factories import ExpectationFactory
from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory
from yuqi.core.request_memo import request_memo

pytestmark = pytest.mark.django_db


def test_contact_summary_is_one_grouped_read():
    from yuqi.interactions.facade import contact_summary

    person = CustomerFactory()
    recent = timezone.now() - timedelta(days=3)
    old = timezone.now() - timedelta(days=200)
    InteractionFactory(customer=person, channel="phone", arrived_at=recent)
    InteractionFactory(customer=person, channel="phone", arrived_at=old, abandoned=True)
    InteractionFactory(customer=person, channel="email", arrived_at=recent, abandoned=True)
    latest = InteractionFactory(customer=person, channel="webchat", arrived_at=recent).arrived_at
    InteractionFactory(customer=CustomerFactory(), channel="phone", arrived_at=recent)
    with CaptureQueriesContext(connection) as captured:
        summary = contact_summary(person.pk)
    assert len(captured) == 1
    assert (summary.total, summary.last_90_days, summary.abandoned_90_days) == (4, 3, 1)
    assert summary.last_contact_at == latest
    assert summary.by_channel == {"phone": 2, "email": 1, "webchat": 1}
    empty = contact_summary(CustomerFactory().pk)
    assert (empty.total, empty.last_90_days, empty.abandoned_90_days) == (0, 0, 0)
    assert (empty.last_contact_at, empty.by_channel) == (None, {})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_recent_contacts_from_values_equal_the_model_lines(language):
    from django.utils import translation

    from yuqi.interactions.facade import _line, recent_contacts
    from yuqi.interactions.models import Interaction

    person = CustomerFactory()
    now = timezone.now()
    InteractionFactory(customer=person, arrived_at=now - timedelta(hours=5))
    InteractionFactory(
        customer=person,
        arrived_at=now - timedelta(hours=4),
        queue=None,
        agent=None,
        abandoned=True,
        channel="webchat",
    )
    InteractionFactory(
        customer=person,
        arrived_at=now - timedelta(hours=3),
        agent=AgentFactory(name=""),  # shown by its work number
        queue=QueueFactory(code="vip", name=""),
        outcome="follow_up",
        complaint_number="TS-1",
        first_contact_resolved=False,
        notes="回电",
    )
    with translation.override(language):
        old = [
            _line(row)
            for row in Interaction.objects.filter(customer_id=person.pk)
            .select_related("queue", "agent")
            .order_by("-arrived_at")[:2]
        ]
        with CaptureQueriesContext(connection) as captured:
            new = recent_contacts(person.pk, limit=2)
    assert len(captured) == 1
    assert new == old
    assert new[0].agent.startswith("A")


def test_customer_promises_are_the_live_ones_and_the_broken_count_in_one_read(agent):
    from yuqi.commitments.facade import (
        broken_commitment_count,
        customer_promises,
        open_commitments_for_customer,
    )

    person = CustomerFactory()
    now = timezone.now()
    since = now - timedelta(days=90)
    CommitmentFactory(customer=person, promised_by=agent, status="open", due_at=now)
    CommitmentFactory(
        customer=person,
        promised_by=agent,
        status="renegotiated",
        due_at=now - timedelta(days=1),
        broken_at=now - timedelta(days=2),  # broke, then agreed anew: live and counted
    )
    CommitmentFactory(customer=person, promised_by=agent, status="broken", broken_at=now)
    CommitmentFactory(
        customer=person, promised_by=agent, status="broken", broken_at=now - timedelta(days=100)
    )
    CommitmentFactory(customer=person, promised_by=agent, status="fulfilled")
    CommitmentFactory(customer=CustomerFactory(), promised_by=agent, status="open")
    with CaptureQueriesContext(connection) as captured:
        lines, broken = customer_promises(customer_id=person.pk, since=since)
    assert len(captured) == 1
    assert lines == open_commitments_for_customer(person.pk)
    assert [line.status for line in lines] == ["renegotiated", "open"]
    assert broken == broken_commitment_count(customer_id=person.pk, since=since) == 2
    assert customer_promises(customer_id=CustomerFactory().pk, since=since) == ([], 0)


def test_surveys_to_show_answer_as_the_summary_and_skip_the_count_when_nothing_shows():
    from tests.surveys.factories import invitation, survey
    from yuqi.surveys.facade import surveys_for_customer, surveys_to_show_for_customer
    from yuqi.surveys.models import FollowUp, SurveyOptOut

    nobody = CustomerFactory()
    with CaptureQueriesContext(connection) as captured:
        assert surveys_to_show_for_customer(nobody.pk) is None
    assert len(captured) == 2

    opted = CustomerFactory()
    SurveyOptOut.objects.create(customer=opted)
    FollowUp.objects.create(customer=opted, reason="not_resolved")
    assert surveys_to_show_for_customer(opted.pk) == surveys_for_customer(opted.pk)
    assert surveys_to_show_for_customer(opted.pk).open_follow_ups == 1

    asked = CustomerFactory()
    made = survey()
    invitation(made, asked)
    invitation(made, asked)
    FollowUp.objects.create(customer=asked, reason="not_resolved")
    FollowUp.objects.create(customer=asked, reason="not_resolved", status="done")
    shown = surveys_to_show_for_customer(asked.pk)
    assert shown == surveys_for_customer(asked.pk)
    assert (len(shown.recent), shown.opted_out, shown.open_follow_ups) == (2, False, 1)
    SurveyOptOut.objects.create(customer=asked)
    assert surveys_to_show_for_customer(asked.pk).opted_out is True


def test_the_360_reads_the_live_expectations_once_for_both_panels():
    from yuqi.insights.facade import (
        customer_expectation_codes_for_categories,
        expectation_codes_for_categories,
        live_expectations_with_guidance,
    )

    ExpectationFactory(code="e-billing", category="billing", grade="C")
    ExpectationFactory(code="e-overcharge", category="billing.overcharge", grade="A")
    ExpectationFactory(code="e-network", category="network", grade="B")
    ExpectationFactory(code="e-none", category="")
    ExpectationFactory(code="e-retired", category="billing", status="retired")
    for wanted in (["billing"], ["billing.overcharge", "network"], ["privacy"], []):
        assert customer_expectation_codes_for_categories(
            wanted
        ) == expectation_codes_for_categories(wanted)
    with request_memo(), CaptureQueriesContext(connection) as captured:
        customer_expectation_codes_for_categories(["billing"])
        live_expectations_with_guidance()
        customer_expectation_codes_for_categories(["network"])
    assert len(captured) == 1
