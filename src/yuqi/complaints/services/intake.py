"""A complaint opened from a contact the agent just logged (the customer 360's "log a contact",
then "open a complaint from this contact"): the form is prefilled from the contact, and the
contact is linked to the ticket in the same transaction.

The contact belongs to the interactions context: it is read and linked through
``interactions.facade`` (imported inside the functions, as in ``complaints.outbound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yuqi.complaints.choices import SourceChannel
from yuqi.complaints.models import Complaint, ComplaintCategory
from yuqi.complaints.services.lifecycle import complaint_open
from yuqi.core.errors import DomainError

#: A contact's channel (``interactions.choices.Channel``) → the complaint's source channel.
CHANNEL_TO_SOURCE = {
    "phone": SourceChannel.PHONE,
    "ivr": SourceChannel.PHONE,
    "email": SourceChannel.EMAIL,
    "webchat": SourceChannel.WEB,
    "app": SourceChannel.APP,
    "social": SourceChannel.SOCIAL,
    "sms": SourceChannel.SMS,
    "visit": SourceChannel.VISIT,
}


@dataclass(frozen=True)
class ContactPrefill:
    """The complaint form's initial values taken from a contact."""

    contact_id: int
    customer_id: int
    channel: str
    category_code: str
    account: str
    complaint_number: str  # the complaint already opened from it, if any


def category_for_label(text: str) -> str:
    """The code of the complaint category a contact's category names (its code, Chinese or
    English name, compared without case); "" when none does."""
    text = (text or "").strip()
    if not text:
        return ""
    match = Q(code__iexact=text) | Q(name=text) | Q(name_en__iexact=text)
    return (
        ComplaintCategory.objects.filter(match).order_by("position").values_list("code", flat=True)
    ).first() or ""


def contact_prefill(contact_id: int) -> ContactPrefill | None:
    """What a complaint opened from this contact starts with; None for an unknown contact or
    one without an identified customer."""
    from yuqi.interactions.facade import contact_for_complaint

    contact = contact_for_complaint(contact_id)
    if contact is None or not contact.customer_id:
        return None
    return ContactPrefill(
        contact_id=contact.id,
        customer_id=contact.customer_id,
        channel=CHANNEL_TO_SOURCE.get(contact.channel, SourceChannel.PHONE),
        category_code=category_for_label(contact.category),
        account=contact.notes,
        complaint_number=contact.complaint_number,
    )


@transaction.atomic
def complaint_open_from_contact(*, contact_id: int, customer_id: int, **kwargs: Any) -> Complaint:
    """:func:`complaint_open` for the contact's customer, then link the contact to the ticket.

    Refused (nothing saved) when the contact is unknown, is another customer's, or already has
    a complaint.
    """
    from yuqi.interactions.facade import contact_link_complaint

    prefill = contact_prefill(contact_id)
    if prefill is None or prefill.customer_id != customer_id:
        raise DomainError(_("This contact is not this customer's."), field="contact")
    if prefill.complaint_number:
        raise DomainError(
            _("Complaint %(number)s was already opened from this contact.")
            % {"number": prefill.complaint_number},
            field="contact",
        )
    ticket = complaint_open(customer_id=customer_id, **kwargs)
    contact_link_complaint(
        interaction_id=contact_id,
        customer_id=customer_id,
        complaint_id=ticket.pk,
        complaint_number=ticket.number,
    )
    return ticket
