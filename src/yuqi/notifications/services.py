"""Writes of the notifications context: log a message, deliver it after the commit.

Why after the commit: a status message must not go out for a change that then rolls back,
and a slow or failing gateway must not hold or break the caller's transaction. So the log
row is written *inside* the caller's transaction (status ``queued``) and delivery runs in
``transaction.on_commit``; a delivery failure marks the row ``failed`` with the error and is
never raised. Outside a transaction ``on_commit`` runs at once, so the message is sent before
the function returns. Rows left ``queued`` (the process stopped between commit and delivery)
are sent by the periodic ``deliver-queued-messages`` job.

SMS to customers also obey (:mod:`yuqi.notifications.sms_policy`): quiet hours (the message
waits, ``queued`` with ``next_attempt_at`` in the morning), a daily limit per phone number
(``skipped`` past it), and retries: a transient gateway failure (timeout, 5xx, throttling)
is tried again after an exponential back-off, up to ``YUQI_SMS_MAX_ATTEMPTS`` attempts, then
``failed`` with the provider's message. Each attempt is claimed with a conditional update of
``attempts`` first, so two workers never send the same attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.domain.pii import mask_pii
from yuqi.notifications.channels import Outgoing, channel
from yuqi.notifications.choices import MessageStatus
from yuqi.notifications.models import OutboundMessage
from yuqi.notifications.sms import sign as sign_sms
from yuqi.notifications.sms_policy import daily_limit_reached, quiet_until_local, retry_at

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
    params: dict[str, str] | None = None,
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
        params=params or {},
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
    """Send one queued, due message and record the outcome; True if it was sent.

    The attempt is claimed first (``attempts`` raised where it still has the value read), and
    the final update is conditional on the row still being ``queued``, so a message that a
    concurrent run already took or recorded is not sent or recorded twice.
    """
    moment = now()
    row = (
        OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment))
        .first()
    )
    if row is None:
        return False
    if row.channel == "sms" and _held_by_policy(row, moment):
        return False
    lease = moment + timedelta(minutes=5)  # a worker that dies mid-send: tried again then
    claimed = OutboundMessage.objects.filter(
        pk=row.pk, status=MessageStatus.QUEUED, attempts=row.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=lease)
    if claimed != 1:
        return False
    attempt = row.attempts + 1
    outgoing = Outgoing(
        address=row.address,
        subject=row.subject,
        body=row.body,
        language=row.language,
        ref=row.subject_ref,
        message_id=row.pk,
        template=row.template,
        params=dict(row.params or {}),
    )
    try:
        result = channel(row.channel).send(outgoing)
    except Exception as exc:  # a channel broke its promise not to raise
        ok, error, retryable, provider, provider_id = (
            False,
            f"{type(exc).__name__}: {exc}",
            False,
            "",
            "",
        )
    else:
        ok, error, retryable = result.ok, result.error, result.retryable
        provider, provider_id = result.provider, result.provider_id
    # A gateway's or mail server's error may quote the number or address it refused; the
    # message log is read by roles that see personal data masked.
    error = mask_pii(error)
    changes: dict[str, object] = {"provider": provider[:10], "provider_id": provider_id[:100]}
    if ok:
        changes.update(status=MessageStatus.SENT, error="", sent_at=now(), next_attempt_at=None)
    elif retryable and attempt < settings.SMS_MAX_ATTEMPTS:
        again = retry_at(attempt, now())
        changes.update(
            error=_("Attempt %(n)s of %(max)s failed, tried again at %(at)s: %(error)s")
            % {
                "n": attempt,
                "max": settings.SMS_MAX_ATTEMPTS,
                "at": f"{timezone.localtime(again):%Y-%m-%d %H:%M:%S}",
                "error": error,
            },
            next_attempt_at=again,
        )
    else:
        changes.update(status=MessageStatus.FAILED, error=error, next_attempt_at=None)
    OutboundMessage.objects.filter(pk=row.pk, status=MessageStatus.QUEUED).update(**changes)
    if not ok:
        log.warning("notifications: %s message %s failed: %s", row.channel, row.pk, error)
    return ok


def _held_by_policy(row: OutboundMessage, moment: datetime) -> bool:
    """Quiet hours (the message waits for the morning) and the daily limit per number (the
    message is skipped); True when the message is not to be sent now."""
    if row.customer_id is not None:
        until = quiet_until_local(template=row.template)
        if until is not None:
            OutboundMessage.objects.filter(pk=row.pk, status=MessageStatus.QUEUED).update(
                next_attempt_at=until,
                error=_("Quiet hours: waits until %(at)s.")
                % {"at": f"{timezone.localtime(until):%Y-%m-%d %H:%M}"},
            )
            return True
    limit = daily_limit_reached(address=row.address, exclude_id=row.pk)
    if limit:
        OutboundMessage.objects.filter(pk=row.pk, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SKIPPED,
            error=_("Daily limit of %(n)s text messages to this number reached.") % {"n": limit},
            next_attempt_at=None,
        )
        return True
    return False


def messages_deliver_stale(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Deliver messages left queued longer than ``older_than`` (the periodic job)."""
    moment = now()
    cutoff = moment - older_than
    due = Q(next_attempt_at__isnull=True, created_at__lt=cutoff) | Q(next_attempt_at__lte=moment)
    ids = (
        OutboundMessage.objects.filter(status=MessageStatus.QUEUED)
        .filter(due)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:1000]
    )
    return messages_deliver(message_ids=list(ids))


def alerts_mark_read(*, user_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the user's alerts read (all of them, or the given ones among theirs); returns how
    many changed. A bulk update: reading is not an audited change."""
    rows = OutboundMessage.objects.filter(user_id=user_id, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=now())


# ------------------------------------------------------------------ in bulk (set-based jobs)
#: Rows per statement when messages are logged or delivered in bulk.
BULK = 5000
#: The fields of a message recorded in its audit row (the address masked, as auditlog does).
AUDITED_FIELDS = ("subject_ref", "channel", "recipient", "address", "template", "status")


def messages_log_many(*, rows: list[OutboundMessage]) -> list[OutboundMessage]:
    """Write many log rows (built like :func:`message_log`'s) and their audit rows in bulk
    (``yuqi.core.bulk``); returns the rows with their ids."""
    from yuqi.core.bulk import audit_created, insert_objects

    if not rows:
        return []
    created = insert_objects(rows)
    audit_created(created, fields=AUDITED_FIELDS, masked=("address",), at=created[0].created_at)
    return created


def messages_deliver_many_on_commit(*, message_ids: Iterable[int]) -> None:
    """Deliver the queued messages in batches once the current transaction commits."""
    ids = list(message_ids)
    if ids:
        transaction.on_commit(partial(messages_deliver_many, message_ids=ids), robust=True)


def messages_deliver_many(*, message_ids: Iterable[int]) -> int:
    """Send many queued messages: rows read :data:`BULK` at a time, e-mail through one open
    mailer connection per batch, and the sent ones marked with one conditional UPDATE per
    batch (a failure is recorded on its own row). Returns how many were sent; never raises.
    An id given twice is sent once."""
    ids = list(dict.fromkeys(message_ids))
    sent = 0
    for start in range(0, len(ids), BULK):
        chunk = ids[start : start + BULK]
        try:
            sent += _deliver_batch(chunk)
        except Exception:  # the database itself failed: leave them queued for the job
            log.exception("notifications: delivering %s messages failed", len(chunk))
    return sent


def _deliver_batch(ids: list[int]) -> int:
    from django.core.mail import mailers

    from yuqi.core.bulk import id_array, ids_condition
    from yuqi.notifications.channels import EmailChannel

    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    rows_of, params = _chosen(table, ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.channel, m.address, m.subject, m.body, m.language, m.subject_ref"
            f" FROM {rows_of} AND m.status = %s ORDER BY m.created_at, m.id",
            [*params, MessageStatus.QUEUED.value],
        )
        rows = cursor.fetchall()
    if not rows:
        return 0
    mailer = mailers.default
    email = EmailChannel(mailer)
    ok_ids: list[int] = []
    try:
        if any(row[1] == "email" for row in rows):
            mailer.open()
        for pk, name, address, subject, body, language, ref in rows:
            if name == "email":  # never raises; no message objects of ours per e-mail
                error = email.deliver(address, subject, body, ref)
                if not error:
                    ok_ids.append(pk)
                    continue
            else:
                outgoing = Outgoing(
                    address=address,
                    subject=subject,
                    body=body,
                    language=language,
                    ref=ref,
                    message_id=pk,
                )
                try:
                    result = channel(name).send(outgoing)
                except Exception as exc:  # a channel broke its promise not to raise
                    ok, error = False, f"{type(exc).__name__}: {exc}"
                else:
                    ok, error = result.ok, result.error
                if ok:
                    ok_ids.append(pk)
                    continue
            error = mask_pii(error)
            OutboundMessage.objects.filter(pk=pk, status=MessageStatus.QUEUED).update(
                status=MessageStatus.FAILED, error=error, sent_at=None
            )
            log.warning("notifications: %s message %s failed: %s", name, pk, error)
            if name == "email":  # a broken session must not fail the rest of the batch
                mailer.close()
    finally:
        mailer.close()
    if ok_ids:
        if connection.vendor == "postgresql":
            target = f"{table} m SET status = %s, error = '', sent_at = %s"
            target += " FROM unnest(%s::bigint[]) AS chosen(id) WHERE m.id = chosen.id"
            params = [id_array(ok_ids)]
        else:
            chosen, params = ids_condition("id", ok_ids)
            target = f"{table} AS m SET status = %s, error = '', sent_at = %s WHERE {chosen}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {target} AND m.status = %s",
                [
                    MessageStatus.SENT.value,
                    connection.ops.adapt_datetimefield_value(now()),
                    *params,
                    MessageStatus.QUEUED.value,
                ],
            )
    return len(ok_ids)


def _chosen(table: str, ids: list[int]) -> tuple[str, list[Any]]:
    """``FROM`` the messages (as ``m``) with these ids, ``WHERE`` begun: on PostgreSQL a
    join on ``unnest`` of one array parameter. ``m.id = ANY(array)`` is left there as a
    filter on the rows the status index yields and checked against the ids one by one
    (5,000 ids by 10,000 queued rows: ten times the join's cost, measured in docs/scale.md).
    The ids must be distinct: the join yields a row once per id given."""
    from yuqi.core.bulk import id_array, ids_condition

    if connection.vendor == "postgresql":
        return (
            f"{table} m JOIN unnest(%s::bigint[]) AS chosen(id) ON m.id = chosen.id WHERE TRUE",
            [id_array(ids)],
        )
    chosen, params = ids_condition("m.id", ids)
    return f"{table} AS m WHERE {chosen}", params
