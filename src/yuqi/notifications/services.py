"""Writes of the notifications context: log a message, deliver it after the commit.

Why after the commit: a status message must not go out for a change that then rolls back,
and a slow or failing gateway must not hold or break the caller's transaction. So the log
row is written *inside* the caller's transaction (status ``queued``) and delivery runs in
``transaction.on_commit``; a delivery failure marks the row ``failed`` with the error and is
never raised. Outside a transaction ``on_commit`` runs at once, so the message is sent before
the function returns. Rows left ``queued`` (the process stopped between commit and delivery)
are sent by the periodic ``deliver-queued-messages`` job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.db import transaction

from yuqi.core.clock import now
from yuqi.domain.pii import mask_pii
from yuqi.notifications.channels import Outgoing, channel
from yuqi.notifications.choices import MessageStatus
from yuqi.notifications.models import OutboundMessage
from yuqi.notifications.sms import sign as sign_sms

log = logging.getLogger(__name__)


def message_log(
    *,
    subject_ref: str,
    channel_name: str,
    address: str,
    recipient: str,
    language: str,
    template: str,
    subject: str,
    body: str,
    customer_id: int | None = None,
    user_id: int | None = None,
    skip_reason: str = "",
) -> OutboundMessage:
    """Write the log row: ``queued``, or ``skipped`` when there is no address to send to."""
    skipped = not address or bool(skip_reason)
    if channel_name == "sms":
        body = sign_sms(body)
    return OutboundMessage.objects.create(
        subject_ref=subject_ref,
        channel=channel_name,
        address=address,
        recipient=recipient,
        language=language,
        template=template,
        subject=subject[:250],
        body=body,
        customer_id=customer_id,
        user_id=user_id,
        status=MessageStatus.SKIPPED if skipped else MessageStatus.QUEUED,
        error=skip_reason,
        created_at=now(),
    )


def messages_deliver_on_commit(*, message_ids: Iterable[int]) -> None:
    """Deliver the queued messages once the current transaction commits (at once if none)."""
    ids = list(message_ids)
    if ids:
        transaction.on_commit(partial(messages_deliver, message_ids=ids), robust=True)


def messages_deliver(*, message_ids: Iterable[int]) -> int:
    """Send each still-queued message; returns how many were sent. Never raises."""
    sent = 0
    for message_id in message_ids:
        try:
            sent += message_deliver(message_id=message_id)
        except Exception:  # the database itself failed: leave it queued for the job
            log.exception("notifications: delivering message %s failed", message_id)
    return sent


def message_deliver(*, message_id: int) -> bool:
    """Send one queued message and record the outcome; True if it was sent.

    The final update is conditional on the row still being ``queued``, so a message that a
    concurrent run already recorded is not recorded twice.
    """
    row = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).first()
    if row is None:
        return False
    outgoing = Outgoing(
        address=row.address,
        subject=row.subject,
        body=row.body,
        language=row.language,
        ref=row.subject_ref,
        message_id=row.pk,
    )
    try:
        result = channel(row.channel).send(outgoing)
    except Exception as exc:  # a channel broke its promise not to raise
        ok, error = False, f"{type(exc).__name__}: {exc}"
    else:
        ok, error = result.ok, result.error
    # A gateway's or mail server's error may quote the number or address it refused; the
    # message log is read by roles that see personal data masked.
    error = mask_pii(error)
    status = MessageStatus.SENT if ok else MessageStatus.FAILED
    OutboundMessage.objects.filter(pk=row.pk, status=MessageStatus.QUEUED).update(
        status=status, error=error, sent_at=now() if ok else None
    )
    if not ok:
        log.warning("notifications: %s message %s failed: %s", row.channel, row.pk, error)
    return ok


def messages_deliver_stale(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Deliver messages left queued longer than ``older_than`` (the periodic job)."""
    cutoff = now() - older_than
    ids = OutboundMessage.objects.filter(
        status=MessageStatus.QUEUED, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:1000]
    return messages_deliver(message_ids=list(ids))


def alerts_mark_read(*, user_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the user's alerts read (all of them, or the given ones among theirs); returns how
    many changed. A bulk update: reading is not an audited change."""
    rows = OutboundMessage.objects.filter(user_id=user_id, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=now())
