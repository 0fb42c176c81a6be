"""The mailbox job: read new messages over IMAP, thread each onto a ticket or open one, keep
attachments safely, and never process one message twice.

Once only: every message gets a row keyed by folder + UIDVALIDITY + UID (unique), written in
the same transaction as the ticket it opens or the timeline line it adds. A crash before the
commit leaves nothing, so the message is read again; a crash after it leaves the row, so the
next run skips the message (and only marks or moves it). Two runs at once collide on the key
and the second rolls back. The same message delivered twice (same Message-ID) is recorded as
a duplicate and changes no ticket.

Processed messages are marked seen and, with ``YUQI_IMAP_DONE_FOLDER``, moved there; a
message that could not be read stays where it is, unseen, and is listed on the page.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yuqi.complaints.facade import (
    ComplaintLine,
    complaint_by_number,
    complaint_open_from_email,
    complaint_record_email,
    complaint_refs,
)
from yuqi.core.clock import now
from yuqi.customers.facade import customer_create_from_email, customer_ids_by_email
from yuqi.domain.pii import mask_email, mask_pii
from yuqi.mailbox.choices import AttachmentStatus, Outcome, RunStatus
from yuqi.mailbox.content import yuqi_ticket_ids
from yuqi.mailbox.models import InboundAttachment, InboundMail, MailboxRun
from yuqi.mailbox.reading import MB, Limits, ParsedMail, parse_message
from yuqi.mailbox.storage import discard, store_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True
    done_folder: str = ""
    batch: int = 50
    timeout: int = 30
    limits: Limits = field(default_factory=lambda: Limits(30 * MB, 10 * MB, 10))
    create_customers: bool = True

    @classmethod
    def from_settings(cls) -> MailboxConfig:
        return cls(
            host=settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            user=settings.IMAP_USER,
            password=settings.IMAP_PASSWORD,
            folder=settings.IMAP_FOLDER,
            ssl=settings.IMAP_SSL,
            done_folder=settings.IMAP_DONE_FOLDER,
            batch=settings.IMAP_BATCH,
            timeout=settings.IMAP_TIMEOUT,
            limits=Limits(
                settings.IMAP_MAX_MESSAGE_MB * MB,
                settings.IMAP_MAX_ATTACHMENT_MB * MB,
                settings.IMAP_MAX_ATTACHMENTS,
            ),
            create_customers=settings.IMAP_CREATE_CUSTOMERS,
        )


@dataclass(frozen=True)
class PollResult:
    run_id: int
    status: str
    seen: int
    created: int
    threaded: int
    skipped: int
    failed: int
    error: str = ""


def _connect(config: MailboxConfig) -> Any:
    from imap_tools import MailBox, MailBoxUnencrypted

    if config.ssl:
        return MailBox(config.host, config.port, timeout=config.timeout)
    return MailBoxUnencrypted(config.host, config.port, timeout=config.timeout)


def mailbox_poll(
    *, config: MailboxConfig | None = None, connect: Callable[[MailboxConfig], Any] | None = None
) -> PollResult | None:
    """One run over the mailbox; None when no mailbox is configured. Never raises for a
    mailbox or message problem: the run is recorded ``failed`` with the error. ``connect``
    opens the mailbox (an imap-tools ``MailBox``; the demo passes a mailbox in memory)."""
    config = config or MailboxConfig.from_settings()
    if not config.host:
        return None
    connect = connect or _connect
    _close_interrupted_runs()
    run = MailboxRun.objects.create(started_at=now(), folder=config.folder[:200])
    counts: Counter[str] = Counter()
    error = ""
    try:
        with connect(config) as box:
            box.login(config.user, config.password, initial_folder=config.folder)
            _read_folder(box, config, run, counts)
    except Exception as exc:  # the server, the network, the login: recorded on the run
        error = mask_pii(f"{type(exc).__name__}: {exc}")[:2000]
        log.warning("mailbox: run %s failed: %s", run.pk, error)
    run.finished_at = now()
    run.status = RunStatus.FAILED if error else RunStatus.OK
    run.error = error
    run.seen = sum(counts.values())
    run.created = counts[Outcome.CREATED]
    run.threaded = counts[Outcome.THREADED]
    run.skipped = counts[Outcome.SKIPPED] + counts[Outcome.DUPLICATE]
    run.failed = counts[Outcome.FAILED]
    run.save()
    return PollResult(
        run.pk, run.status, run.seen, run.created, run.threaded, run.skipped, run.failed, error
    )


def _close_interrupted_runs() -> None:
    """Runs still "running" after an hour were stopped (the worker died): say so. Their
    messages are safe: each was committed whole or not at all."""
    stale = now() - timedelta(hours=1)
    MailboxRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=stale).update(
        status=RunStatus.FAILED,
        finished_at=now(),
        error=_("Interrupted: the worker stopped during the run."),
    )


def _uidvalidity(box: Any, folder: str) -> int:
    status = box.folder.status(folder, ["UIDVALIDITY"])
    return int(status["UIDVALIDITY"])


def _read_folder(box: Any, config: MailboxConfig, run: MailboxRun, counts: Counter[str]) -> None:
    uidvalidity = _uidvalidity(box, config.folder)
    uids = sorted(int(uid) for uid in box.uids("ALL"))
    if not uids:
        return
    known = dict(
        InboundMail.objects.filter(
            folder=config.folder, uidvalidity=uidvalidity, uid__gte=uids[0], uid__lte=uids[-1]
        ).values_list("uid", "outcome")
    )
    # Recorded but still here (a crash after the commit, or a move that failed): finish them.
    done = [uid for uid in uids if uid in known and known[uid] != Outcome.FAILED]
    todo = [uid for uid in uids if uid not in known][: config.batch]
    for uid in todo:
        outcome = _process(box, config, run, uidvalidity, uid)
        if outcome is None:
            continue
        counts[outcome] += 1
        if outcome != Outcome.FAILED:
            done.append(uid)
    _finish(box, config, done)


def _finish(box: Any, config: MailboxConfig, uids: list[int]) -> None:
    """Mark processed messages seen and move them to the done folder (when set)."""
    if not uids:
        return
    from imap_tools import MailMessageFlags

    names = [str(uid) for uid in sorted(set(uids))]
    box.flag(names, MailMessageFlags.SEEN, True)
    if config.done_folder:
        if not box.folder.exists(config.done_folder):
            box.folder.create(config.done_folder)
        box.move(names, config.done_folder)


def _fetch(box: Any, uid: int, *, headers_only: bool) -> Any:
    found = box.fetch(uid_list=[str(uid)], mark_seen=False, headers_only=headers_only)
    return next(iter(found), None)


def _process(
    box: Any, config: MailboxConfig, run: MailboxRun, uidvalidity: int, uid: int
) -> str | None:
    """Read and record one message; returns its outcome (None: gone, or another run has it)."""
    head = _fetch(box, uid, headers_only=True)
    if head is None:
        return None  # expunged meanwhile
    size = int(head.size_rfc822 or 0)
    too_big = size > config.limits.max_message_bytes
    try:
        msg = head if too_big else (_fetch(box, uid, headers_only=False) or head)
        parsed = parse_message(msg, uid=uid, size=size, limits=config.limits, headers_only=too_big)
    except Exception as exc:  # a message imap-tools could not take apart at all
        parsed = ParsedMail(uid=uid, size=size)
        return _record_failure(run, config, uidvalidity, parsed, exc)
    written: list[str] = []
    try:
        with transaction.atomic():
            return _apply(run, config, uidvalidity, parsed, written)
    except IntegrityError:
        discard(written)
        return None  # another run recorded this UID first
    except Exception as exc:
        discard(written)
        return _record_failure(run, config, uidvalidity, parsed, exc)
    except BaseException:  # the process is stopping: nothing was committed, nothing is kept
        discard(written)
        raise


def _record_failure(
    run: MailboxRun, config: MailboxConfig, uidvalidity: int, parsed: ParsedMail, exc: Exception
) -> str | None:
    log.warning("mailbox: message uid %s could not be processed: %s", parsed.uid, exc)
    note = mask_pii(f"{type(exc).__name__}: {exc}")[:2000]
    try:
        with transaction.atomic():
            _row(run, config, uidvalidity, parsed, Outcome.FAILED, note=note)
    except IntegrityError:
        return None
    return Outcome.FAILED


def _row(
    run: MailboxRun,
    config: MailboxConfig,
    uidvalidity: int,
    parsed: ParsedMail,
    outcome: str,
    note: str = "",
) -> InboundMail:
    return InboundMail.objects.create(
        run=run,
        folder=config.folder[:200],
        uidvalidity=uidvalidity,
        uid=parsed.uid,
        message_id=parsed.message_id,
        sender=parsed.sender,
        sender_name=parsed.sender_name,
        subject=parsed.subject,
        size=parsed.size,
        received_at=now(),
        outcome=outcome,
        note=note,
    )


def _thread_target(parsed: ParsedMail) -> ComplaintLine | None:
    """The ticket a reply belongs to: by the Message-IDs it answers, else by a ticket number
    in its subject."""
    if parsed.references:
        earlier = (
            InboundMail.objects.filter(message_id__in=parsed.references, complaint_id__isnull=False)
            .order_by("-id")
            .values_list("complaint_number", flat=True)
            .first()
        )
        if earlier:
            line = complaint_by_number(earlier)
            if line is not None:
                return line
        for ticket_id in yuqi_ticket_ids(parsed.references):  # a reply to Yuqi's own e-mail
            line = complaint_refs([ticket_id]).get(ticket_id)
            if line is not None:
                return line
    for number in parsed.numbers:
        line = complaint_by_number(number)
        if line is not None:
            return line
    return None


def _apply(
    run: MailboxRun, config: MailboxConfig, uidvalidity: int, parsed: ParsedMail, written: list[str]
) -> str:
    # The key row first: a second run on the same message stops here (IntegrityError).
    row = _row(run, config, uidvalidity, parsed, Outcome.SKIPPED)
    notes = list(parsed.notes)
    if parsed.message_id:
        earlier = (
            InboundMail.objects.filter(message_id=parsed.message_id)
            .exclude(pk=row.pk)
            .exclude(outcome=Outcome.FAILED)
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            row.outcome = Outcome.DUPLICATE
            row.complaint_id, row.complaint_number = earlier.complaint_id, earlier.complaint_number
            row.note = _("Delivered again (same Message-ID as message %(uid)s): ignored.") % {
                "uid": earlier.uid
            }
            row.save()
            return row.outcome
    senders = customer_ids_by_email(parsed.sender) if parsed.sender else []
    ticket = _thread_target(parsed)
    if ticket is not None:
        row.outcome = Outcome.THREADED
        if ticket.customer_id not in senders:
            notes.append(_("The sender is not the address on file for this customer."))
    else:
        customer_id = _customer_for(parsed, senders, config, notes)
        if customer_id is None:
            row.note = " ".join(notes)
            row.save()
            return row.outcome  # SKIPPED: left for staff
        ticket = complaint_open_from_email(
            customer_id=customer_id, subject=parsed.subject, text=parsed.text
        )
        row.outcome = Outcome.CREATED
    row.complaint_id, row.complaint_number = ticket.id, ticket.number
    row.customer_id = ticket.customer_id
    kept = _store_parts(row, parsed, written, notes)
    complaint_record_email(
        complaint_id=ticket.id,
        parameters={
            "sender": mask_email(parsed.sender) if parsed.sender else "",
            "subject": parsed.subject[:200],
            "excerpt": parsed.text[:500] if row.outcome == Outcome.THREADED else "",
            "attachments": kept,
            "notes": notes[:10],
            "mail_id": row.pk,
        },
    )
    row.note = " ".join(notes)
    row.save()
    return row.outcome


def _customer_for(
    parsed: ParsedMail, senders: list[int], config: MailboxConfig, notes: list[str]
) -> int | None:
    if not parsed.sender:
        notes.append(_("No sender address: no ticket opened."))
        return None
    if len(senders) == 1:
        return senders[0]
    if len(senders) > 1:
        notes.append(_("Several customers have this address: no ticket opened."))
        return None
    if not config.create_customers:
        notes.append(_("Unknown sender: no ticket opened."))
        return None
    return customer_create_from_email(email=parsed.sender, name=parsed.sender_name)


def _store_parts(row: InboundMail, parsed: ParsedMail, written: list[str], notes: list[str]) -> int:
    kept = 0
    for part in parsed.parts:
        stored_name = sha = ""
        if part.payload is not None:
            stored_name, sha = store_bytes(part.payload)
            written.append(stored_name)
            kept += 1
        else:
            notes.append(f"{part.filename}: {part.note}")
        InboundAttachment.objects.create(
            mail=row,
            filename=part.filename,
            declared_type=part.declared_type,
            detected_type=part.detected_type,
            size=part.size,
            sha256=sha,
            stored_name=stored_name,
            status=AttachmentStatus.STORED if stored_name else AttachmentStatus.REFUSED,
            note=part.note[:250],
        )
    return kept
