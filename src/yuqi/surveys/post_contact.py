"""Post-contact surveys (对事/对人): after a closed complaint, and for a sampled share of
yesterday's handled contacts.

Rules for both: the post-contact survey in ``SurveySettings`` must exist; customers who
opted out, or got any survey invitation in the last ``frequency_days`` days, are skipped;
one invitation per complaint or contact (a second trigger does nothing).

Contacts are sampled deterministically: contact ``i`` is chosen when the first 8 bytes of
SHA-256(``"post-contact:<i>"``), read as a fraction of 2⁶⁴, fall below the configured rate.
Re-running the job for a day picks the same contacts, and every contact has the same
chance whatever the order it is read in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yuqi.core.clock import day_start, now
from yuqi.surveys.choices import InvitationSource
from yuqi.surveys.models import Invitation, SurveySettings
from yuqi.surveys.services import (
    invitation_build,
    invitation_send,
    opted_out,
    recently_surveyed,
    survey_install_templates,
)
from yuqi.surveys.templates_builtin import POST_CONTACT_TEMPLATE


@dataclass(frozen=True)
class PostContactRun:
    day: date
    contacts: int
    sampled: int
    invited: int
    skipped: int


def hash_fraction(interaction_id: int) -> float:
    digest = hashlib.sha256(f"post-contact:{interaction_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def chosen(interaction_id: int, rate: float) -> bool:
    return hash_fraction(interaction_id) < rate


def _settings() -> SurveySettings:
    """The settings, installing the built-in post-contact survey if none is chosen yet, so
    a closed complaint gets its survey out of the box."""
    settings_row = SurveySettings.load()
    if settings_row.post_contact_survey_id is None:
        survey_install_templates(keys=[POST_CONTACT_TEMPLATE])
        settings_row = SurveySettings.load()
    return settings_row


def _allowed(settings_row: SurveySettings, customer_id: int) -> bool:
    if customer_id in opted_out([customer_id]):
        return False
    return customer_id not in recently_surveyed([customer_id], days=settings_row.frequency_days)


def _invite(
    settings_row: SurveySettings,
    *,
    customer_id: int,
    source: str,
    owner_id: int | None,
    complaint_id: int | None = None,
    interaction_id: int | None = None,
) -> Invitation:
    from yuqi.customers.facade import customer_refs

    ref = customer_refs([customer_id]).get(customer_id)
    invitation = invitation_build(
        version=settings_row.post_contact_survey.current_version,
        customer_id=customer_id,
        customer_name=ref.name if ref else "",
        channel=settings_row.post_contact_channel,
        expires_days=settings_row.post_contact_expires_days,
        source=source,
        complaint_id=complaint_id,
        interaction_id=interaction_id,
        follow_up_owner_id=owner_id,
    )
    invitation.save()
    invitation_send(invitation=invitation, expires_days=settings_row.post_contact_expires_days)
    return invitation


@transaction.atomic
def post_contact_invite_for_complaint(
    *, complaint_id: int, customer_id: int | None, owner_id: int | None = None
) -> Invitation | None:
    """Invite the customer of a closed complaint (the ``complaint_closed`` receiver)."""
    settings_row = _settings()
    survey = settings_row.post_contact_survey
    if survey is None or survey.current_version_id is None or not customer_id:
        return None
    if Invitation.objects.filter(complaint_id=complaint_id).exists():
        return None
    if not _allowed(settings_row, customer_id):
        return None
    return _invite(
        settings_row,
        customer_id=customer_id,
        source=InvitationSource.COMPLAINT,
        owner_id=owner_id,
        complaint_id=complaint_id,
    )


@transaction.atomic
def post_contact_sample_interactions(*, day: date | None = None) -> PostContactRun:
    """Invite a hash-sampled share of the contacts handled on ``day`` (default: yesterday)."""
    from yuqi.interactions.facade import handled_contacts_between

    settings_row = _settings()
    day = day or (timezone.localdate(now()) - timedelta(days=1))
    contacts = handled_contacts_between(day_start(day), day_start(day + timedelta(days=1)))
    survey = settings_row.post_contact_survey
    if survey is None or survey.current_version_id is None:
        return PostContactRun(day, len(contacts), 0, 0, 0)
    sample = [c for c in contacts if chosen(c.id, settings_row.interaction_sample_rate)]
    done = set(
        Invitation.objects.filter(interaction_id__in=[c.id for c in sample]).values_list(
            "interaction_id", flat=True
        )
    )
    invited = skipped = 0
    for contact in sample:
        if contact.id in done or not contact.customer_id:
            skipped += 1
            continue
        if not _allowed(settings_row, contact.customer_id):
            skipped += 1
            continue
        _invite(
            settings_row,
            customer_id=contact.customer_id,
            source=InvitationSource.INTERACTION,
            owner_id=contact.agent_user_id,
            interaction_id=contact.id,
        )
        invited += 1
    return PostContactRun(day, len(contacts), len(sample), invited, skipped)
