"""The consent ledger (sending respects it) and the retention schedule (a purge with counts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry

from tests.customers.factories import CustomerFactory
from yuqi.core.clock import now
from yuqi.interactions.models import Interaction
from yuqi.notifications.facade import notify_customer
from yuqi.notifications.models import OutboundMessage
from yuqi.privacy import services
from yuqi.privacy.facade import may_contact, refusing_contact
from yuqi.privacy.models import ConsentEntry, RetentionRule
from yuqi.surveys.services import opted_out, survey_opt_out

pytestmark = pytest.mark.django_db


def test_defaults_surveys_allowed_marketing_needs_consent():
    customer = CustomerFactory()
    assert may_contact(customer.pk, "survey")
    assert not may_contact(customer.pk, "marketing")
    assert may_contact(customer.pk, "service")
    with pytest.raises(ValueError, match="unknown contact purpose"):
        may_contact(customer.pk, "spam")


def test_the_latest_entry_is_in_force():
    customer = CustomerFactory()
    ref = customer.external_id
    services.consent_record(customer_ref=ref, purpose="marketing", given=True, source="paper")
    assert may_contact(customer.pk, "marketing")
    services.consent_record(customer_ref=ref, purpose="marketing", given=False, source="phone")
    assert not may_contact(customer.pk, "marketing")
    assert ConsentEntry.objects.filter(customer_id=customer.pk).count() == 2  # append-only


def test_a_withdrawn_survey_consent_keeps_the_customer_out_of_samples_and_sending(settings):
    settings.SMS_BACKEND = "locmem"
    customer, other = CustomerFactory(), CustomerFactory()
    services.consent_record(
        customer_ref=customer.external_id, purpose="survey", given=False, source="phone"
    )
    assert opted_out([customer.pk, other.pk]) == {customer.pk}
    assert refusing_contact("survey", [customer.pk, other.pk]) == {customer.pk}
    sent = notify_customer(
        customer_id=customer.pk,
        template="survey_invitation",
        context={"url": "https://x.invalid/s/t"},
        subject="survey_invitation:1",
        channels=("sms",),
        purpose="survey",
    )
    assert [line.status for line in sent] == ["skipped"]
    # a notice about the customer's own ticket is still sent
    notify_customer(
        customer_id=customer.pk,
        template="complaint_received",
        context={"number": "TS-1"},
        subject="complaint:1",
        channels=("sms",),
    )
    assert OutboundMessage.objects.filter(subject_ref="complaint:1", status="skipped").count() == 0


def test_the_survey_opt_out_link_is_folded_into_the_ledger():
    customer = CustomerFactory()
    survey_opt_out(customer_id=customer.pk, reason="太多了")
    entry = ConsentEntry.objects.get(customer_id=customer.pk)
    assert (entry.purpose, entry.given, entry.source) == ("survey", False, "survey_link")
    assert not may_contact(customer.pk, "survey")


def test_an_erased_customer_may_not_be_contacted_and_consent_cannot_be_given_again():
    import argparse
    import io

    from yuqi.core.errors import DomainError
    from yuqi.privacy.cli import run_erase

    customer = CustomerFactory()
    run_erase(argparse.Namespace(customer=customer.external_id, reason="申请"), out=io.StringIO())
    assert not may_contact(customer.pk, "survey")
    with pytest.raises(DomainError):
        services.consent_record(
            customer_ref=customer.external_id, purpose="marketing", given=True, source="web"
        )


def test_the_purge_erases_what_is_past_retention_and_records_the_count():
    customer = CustomerFactory()
    old = Interaction.objects.create(
        source="t",
        external_id="old",
        channel="phone",
        customer=customer,
        arrived_at=now() - timedelta(days=800),
        notes="客户说了很多",
    )
    new = Interaction.objects.create(
        source="t",
        external_id="new",
        channel="phone",
        customer=customer,
        arrived_at=now() - timedelta(days=3),
        notes="昨天的备注",
    )
    counts = services.retention_purge()
    assert counts["notes"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.notes, new.notes) == ("", "昨天的备注")
    rule = RetentionRule.objects.get(data_class="notes")
    assert rule.last_count == 1
    assert rule.last_run_at is not None
    # the audit entry: the rule's run (time and count) is a logged change
    assert LogEntry.objects.get_for_object(rule).filter(changes_text__contains="").exists()
    # a second run finds nothing more
    assert services.retention_purge()["notes"] == 0


def test_a_rule_of_zero_days_keeps_for_ever():
    RetentionRule.objects.filter(data_class="notes").update(days=0)
    customer = CustomerFactory()
    Interaction.objects.create(
        source="t",
        external_id="old",
        channel="phone",
        customer=customer,
        arrived_at=now() - timedelta(days=4000),
        notes="很久以前",
    )
    assert "notes" not in services.retention_purge()
    assert Interaction.objects.get(external_id="old").notes == "很久以前"
