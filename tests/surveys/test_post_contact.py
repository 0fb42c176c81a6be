from __future__ import annotations

from datetime import timedelta

import pytest

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.interactions.models import Agent, Interaction
from yuqi.surveys import post_contact, services
from yuqi.surveys.models import Invitation, SurveySettings
from yuqi.surveys.ports import send_invitation_message as real_send_invitation_message
from yuqi.surveys.receivers import on_complaint_closed

pytestmark = pytest.mark.django_db


def test_a_closed_complaint_sends_the_post_contact_survey_once(clock, supervisor, outbox):
    factories.post_contact_survey()
    customer = CustomerFactory()
    on_complaint_closed(None, complaint_id=11, customer_id=customer.pk, owner_id=supervisor.pk)
    on_complaint_closed(None, complaint_id=11, customer_id=customer.pk, owner_id=supervisor.pk)
    invitation = Invitation.objects.get()
    assert invitation.complaint_id == 11
    assert invitation.follow_up_owner == supervisor
    assert len(outbox) == 1
    assert outbox[0]["url"].startswith("http")


def test_the_frequency_rule_holds_back_a_second_survey(clock):
    factories.post_contact_survey()
    customer = CustomerFactory()
    on_complaint_closed(None, complaint_id=1, customer_id=customer.pk, owner_id=None)
    clock.advance(timedelta(days=10))
    on_complaint_closed(None, complaint_id=2, customer_id=customer.pk, owner_id=None)
    assert Invitation.objects.count() == 1
    clock.advance(timedelta(days=21))
    on_complaint_closed(None, complaint_id=3, customer_id=customer.pk, owner_id=None)
    assert Invitation.objects.count() == 2


def test_an_opted_out_customer_is_not_surveyed(clock):
    factories.post_contact_survey()
    customer = CustomerFactory()
    services.survey_opt_out(customer_id=customer.pk)
    on_complaint_closed(None, complaint_id=1, customer_id=customer.pk, owner_id=None)
    assert Invitation.objects.count() == 0


def _contact(n: int, customer, agent, day_start):
    return Interaction.objects.create(
        external_id=f"x{n}",
        channel="phone",
        customer=customer,
        agent=agent,
        arrived_at=day_start + timedelta(minutes=n),
        answered_at=day_start + timedelta(minutes=n, seconds=20),
        ended_at=day_start + timedelta(minutes=n, seconds=300),
    )


def test_yesterdays_contacts_are_sampled_by_hash_at_the_configured_rate(clock, agent):
    factories.post_contact_survey()
    settings_row = SurveySettings.load()
    settings_row.interaction_sample_rate = 0.3
    settings_row.save()
    worker = Agent.objects.create(code="A1", user=agent)
    yesterday = clock.at.replace(hour=0) - timedelta(days=1)
    contacts = [_contact(n, CustomerFactory(), worker, yesterday) for n in range(200)]
    expected = {c.pk for c in contacts if post_contact.chosen(c.pk, 0.3)}
    run = post_contact.post_contact_sample_interactions(day=yesterday.date())
    invited = set(Invitation.objects.values_list("interaction_id", flat=True))
    assert invited == expected
    assert 30 <= len(invited) <= 90
    assert run.invited == len(expected)
    assert set(Invitation.objects.values_list("follow_up_owner", flat=True)) == {agent.pk}
    again = post_contact.post_contact_sample_interactions(day=yesterday.date())
    assert again.invited == 0


def test_the_complaint_closed_signal_is_connected(clock):
    from yuqi.complaints.signals import complaint_closed

    factories.post_contact_survey()
    customer = CustomerFactory()
    complaint_closed.send(sender=None, complaint_id=77, customer_id=customer.pk, owner_id=None)
    assert Invitation.objects.get().complaint_id == 77


def test_the_invitation_goes_out_through_the_notifications_facade(clock):
    from yuqi.notifications.facade import messages_about

    survey = factories.post_contact_survey()
    customer = CustomerFactory(name="赵敏", phone="13800001111")
    invitation, token = factories.invitation(survey, customer, send=False)
    real_send_invitation_message(
        invitation_id=invitation.pk,
        customer_id=customer.pk,
        channel="sms",
        greeting_name=invitation.greeting_name,
        url=services.invitation_url(invitation),
        expires=invitation.expires_at,
    )
    sent = messages_about(f"survey_invitation:{invitation.pk}")
    assert len(sent) == 1
    assert token in sent[0].body


def test_the_post_contact_survey_is_installed_on_first_need(clock):
    customer = CustomerFactory()
    on_complaint_closed(None, complaint_id=5, customer_id=customer.pk, owner_id=None)
    invitation = Invitation.objects.get()
    assert invitation.survey_version.survey.code == "post-contact"
