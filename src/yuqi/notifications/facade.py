"""What other contexts may use of notifications (ADR 0002).

* :func:`notify_customer` — status updates to a customer by SMS and/or e-mail;
* :func:`notify_users` — e-mail to staff (reminders, SLA alerts);
* :func:`messages_about` — the message log of a ticket, promise or invitation.

``subject`` is a reference string ``"<kind>:<id>"`` (``"complaint:42"``); ``template`` names
``templates/notifications/<template>.txt`` (see :mod:`yuqi.notifications.rendering`).

Every message is logged, in the caller's transaction, and delivered after it commits (see
:mod:`yuqi.notifications.services`): the returned :class:`SentMessage` is ``queued`` inside a
transaction, and ``sent``/``failed``/``skipped`` outside one. Nothing here raises because a
channel failed; an unknown template raises ``TemplateDoesNotExist`` (a programming error).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from yuqi.customers.facade import customer_contact
from yuqi.domain.pii import mask_email, mask_phone
from yuqi.notifications.choices import ChannelName, MessageStatus
from yuqi.notifications.models import OutboundMessage
from yuqi.notifications.rendering import render_message
from yuqi.notifications.services import message_log, messages_deliver_on_commit

__all__ = ["SentMessage", "messages_about", "notify_customer", "notify_users"]


@dataclass(frozen=True)
class SentMessage:
    """One logged message; ``recipient`` is masked (``138****5678``, ``z***@example.cn``)."""

    id: int
    subject_ref: str
    channel: str
    recipient: str
    language: str
    template: str
    subject: str
    body: str
    status: str
    error: str
    created_at: datetime
    sent_at: datetime | None

    @property
    def channel_label(self) -> str:
        return str(ChannelName(self.channel).label)

    @property
    def status_label(self) -> str:
        return str(MessageStatus(self.status).label)

    @property
    def preview(self) -> str:
        """The body for the message log: survey links masked (a live token answers the
        survey as the customer), cut to one line."""
        text = mask_links(" ".join(self.body.split()))
        return text if len(text) <= 80 else text[:79] + "…"


_SURVEY_LINK = re.compile(r"(/s/)[A-Za-z0-9_\-.:~]+")


def mask_links(text: str) -> str:
    """``text`` with the token of every survey link replaced by ``…`` (``/s/…``)."""
    return _SURVEY_LINK.sub(r"\1…", text)


def to_sent_message(row: OutboundMessage) -> SentMessage:
    return SentMessage(
        id=row.pk,
        subject_ref=row.subject_ref,
        channel=row.channel,
        recipient=row.recipient,
        language=row.language,
        template=row.template,
        subject=row.subject,
        body=row.body,
        status=row.status,
        error=row.error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def _lines(ids: list[int]) -> list[SentMessage]:
    rows = {row.pk: row for row in OutboundMessage.objects.filter(pk__in=ids)}
    return [to_sent_message(rows[pk]) for pk in ids if pk in rows]


def _mask(channel: str, address: str) -> str:
    if not address:
        return ""
    return mask_phone(address) if channel == ChannelName.SMS else mask_email(address)


def notify_customer(
    *,
    customer_id: int,
    template: str,
    context: dict[str, Any],
    subject: str,
    channels: tuple[str, ...] = ("sms", "email"),
    language: str | None = None,
) -> list[SentMessage]:
    """Send a message to a customer on each channel (one log row per channel).

    The language is ``language``, else the customer's preference (Chinese, ``zh-hans``, until
    customers have one). A channel without an address (no phone, no e-mail) is logged as
    ``skipped``. The template gets ``context`` plus ``recipient_name``.
    """
    try:
        contact = customer_contact(customer_id)
    except LookupError:
        contact = None
    lang = language or (contact.language if contact else settings.LANGUAGE_CODE)
    rendered = render_message(
        template, {"recipient_name": contact.name if contact else "", **context}, lang
    )
    ids, queued = [], []
    for name in channels:
        ChannelName(name)  # ValueError for an unknown channel name
        address = ""
        if contact is not None:
            address = contact.phone if name == ChannelName.SMS else contact.email
        reason = "" if address else _no_address(name, contact is None)
        row = message_log(
            subject_ref=subject,
            channel_name=name,
            address=address,
            recipient=_mask(name, address),
            language=lang,
            template=template,
            subject=rendered.subject,
            body=rendered.body,
            customer_id=customer_id,
            skip_reason=reason,
        )
        ids.append(row.pk)
        if row.status == MessageStatus.QUEUED:
            queued.append(row.pk)
    messages_deliver_on_commit(message_ids=queued)
    return _lines(ids)


def _no_address(channel: str, unknown: bool) -> str:
    if unknown:
        return _("No such customer.")
    if channel == ChannelName.SMS:
        return _("No phone number on record.")
    return _("No e-mail address on record.")


def notify_users(
    *, user_ids: Iterable[int], template: str, context: dict[str, Any], subject: str
) -> list[SentMessage]:
    """E-mail active users (staff alerts and reminders) in the site language (users have no
    language preference of their own yet); a user without an e-mail address is ``skipped``."""
    users = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True).order_by("pk")
    lang = settings.LANGUAGE_CODE
    ids, queued = [], []
    for user in users:
        rendered = render_message(template, {"recipient_name": str(user), **context}, lang)
        row = message_log(
            subject_ref=subject,
            channel_name=ChannelName.EMAIL,
            address=user.email,
            recipient=_mask(ChannelName.EMAIL, user.email),
            language=lang,
            template=template,
            subject=rendered.subject,
            body=rendered.body,
            user_id=user.pk,
            skip_reason="" if user.email else _("No e-mail address on record."),
        )
        ids.append(row.pk)
        if row.status == MessageStatus.QUEUED:
            queued.append(row.pk)
    messages_deliver_on_commit(message_ids=queued)
    return _lines(ids)


def messages_about(subject: str) -> list[SentMessage]:
    """Messages logged under a reference, oldest first (as a timeline reads)."""
    rows = OutboundMessage.objects.filter(subject_ref=subject).order_by("created_at", "pk")
    return [to_sent_message(row) for row in rows]


def notify_phone(
    *,
    phone: str,
    template: str,
    context: dict[str, Any],
    subject: str,
    language: str | None = None,
    secret: str = "",
) -> SentMessage:
    """Send an SMS to a number that need not belong to a customer yet (a one-time code for the
    public complaint form), logged like every message and delivered at once, not after a
    commit. ``secret`` (the code) is replaced by ``******`` in the stored text once the
    message has been handed to the gateway, so the message log never shows a live code."""
    from yuqi.notifications.services import messages_deliver

    lang = language or settings.LANGUAGE_CODE
    rendered = render_message(template, dict(context), lang)
    row = message_log(
        subject_ref=subject,
        channel_name=ChannelName.SMS,
        address=phone,
        recipient=_mask(ChannelName.SMS, phone),
        language=lang,
        template=template,
        subject=rendered.subject,
        body=rendered.body,
    )
    if row.status == MessageStatus.QUEUED:
        messages_deliver(message_ids=[row.pk])
    if secret:
        body = OutboundMessage.objects.filter(pk=row.pk).values_list("body", flat=True).first()
        if body is not None:
            OutboundMessage.objects.filter(pk=row.pk).update(body=body.replace(secret, "******"))
    return _lines([row.pk])[0]
