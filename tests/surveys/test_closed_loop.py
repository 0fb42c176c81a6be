from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.surveys import services
from yuqi.surveys.choices import FollowUpReason, InvitationSource
from yuqi.surveys.models import FollowUp


@pytest.mark.django_db
def test_an_unresolved_answer_on_a_closed_complaint_opens_a_follow_up_and_reopens_it(
    clock, supervisor, reopened
):
    survey = factories.post_contact_survey()
    invitation, _token = factories.invitation(
        survey,
        CustomerFactory(),
        source=InvitationSource.COMPLAINT,
        complaint_id=42,
        follow_up_owner_id=supervisor.pk,
    )
    services.response_submit(
        invitation=invitation, answers={"resolved": "no", "attitude": 4, "comment": ""}
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == supervisor
    assert follow_up.reason == FollowUpReason.NOT_RESOLVED
    assert follow_up.complaint_id == 42
    assert [call["complaint_id"] for call in reopened] == [42]


@pytest.mark.django_db
def test_a_low_attitude_score_opens_a_follow_up_for_the_agent(clock, agent, reopened):
    survey = factories.post_contact_survey()
    invitation, _token = factories.invitation(
        survey,
        CustomerFactory(),
        source=InvitationSource.INTERACTION,
        interaction_id=7,
        follow_up_owner_id=agent.pk,
    )
    services.response_submit(invitation=invitation, answers={"resolved": "yes", "attitude": 2})
    follow_up = FollowUp.objects.get()
    assert follow_up.reason == FollowUpReason.UNHAPPY_WITH_SERVICE
    assert follow_up.owner == agent
    assert reopened == []


@pytest.mark.django_db
def test_a_happy_answer_opens_nothing(clock, reopened):
    survey = factories.post_contact_survey()
    invitation, _token = factories.invitation(survey, CustomerFactory(), complaint_id=5)
    services.response_submit(invitation=invitation, answers={"resolved": "yes", "attitude": 3})
    assert FollowUp.objects.count() == 0
    assert reopened == []
