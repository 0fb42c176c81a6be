"""The e-mail intake in personal-information requests.

A message is the customer's when it was filed on their ticket (``customer_id``), or, left for
staff without a customer (several customers share the address, no ticket opened…), when its
sender, sender name, subject or note names them (their e-mail address above all).

Export: each such message (sender, subject, time, outcome, ticket) and its attachments (file
name, types, size, checksum; the files stay in the data folder, as every source's export lists
records, not files). The text of the message is the ticket's (complaints).

Erasure keeps each message row and attachment row (the runs' and the intake's counts stay),
clears the sender and the person's data in subject and note, clears each attachment's name,
checksum and stored name, and deletes the stored file from the data folder (overwritten
first). The Message-ID stays unless it names the person: replies still thread by it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from yuqi.domain.erasure import erase_text, mentions
from yuqi.mailbox.models import InboundAttachment, InboundMail, MailboxRun
from yuqi.mailbox.storage import stored_path
from yuqi.privacy.facade import (
    ERASED,
    DataSubject,
    Erased,
    delete_file,
    erase_rows,
    erase_rows_mentioning,
    jsonable,
    register_personal_data_source,
    register_retention_purger,
)

TEXT = ("subject", "note")
CLEAR = ("sender", "sender_name")
SCANNED = (*CLEAR, *TEXT, "message_id")
MAIL_FIELDS = (
    "folder",
    "message_id",
    "sender",
    "sender_name",
    "subject",
    "size",
    "received_at",
    "outcome",
    "complaint_number",
    "note",
)
ATTACHMENT_FIELDS = ("mail_id", "filename", "declared_type", "detected_type", "size", "sha256")


def mail_ids(subject: DataSubject) -> list[int]:
    """The customer's messages: on their tickets, or naming them without a customer."""
    ids = set(
        InboundMail.objects.filter(customer_id=subject.customer_id).values_list("pk", flat=True)
    )
    who = subject.identifiers
    email = who.email.strip()
    loose = InboundMail.objects.filter(customer_id__isnull=True)
    if email:
        ids.update(loose.filter(sender__iexact=email).values_list("pk", flat=True))
    for row in loose.exclude(pk__in=ids).values("pk", *SCANNED).iterator(chunk_size=2000):
        if mentions([row[name] for name in SCANNED], who):
            ids.add(row["pk"])
    return sorted(ids)


def _records(rows: Any, table: str, fields: tuple[str, ...]) -> list[dict]:
    records = []
    for row in rows.values("pk", *fields):
        record = {"table": table, "id": row.pop("pk")}
        record.update({key: jsonable(value) for key, value in row.items()})
        records.append(record)
    return records


def export(subject: DataSubject) -> list[dict]:
    ids = mail_ids(subject)
    if not ids:
        return []
    mails = InboundMail.objects.filter(pk__in=ids).order_by("pk")
    parts = InboundAttachment.objects.filter(mail_id__in=ids).order_by("pk")
    return _records(mails, InboundMail._meta.label, MAIL_FIELDS) + _records(
        parts, InboundAttachment._meta.label, ATTACHMENT_FIELDS
    )


def _forget_attachments(ids: list[int]) -> int:
    """Delete the stored files of the messages' attachments; clear their names and checksum."""
    rows = InboundAttachment.objects.filter(mail_id__in=ids)
    for stored in rows.exclude(stored_name="").values_list("stored_name", flat=True):
        try:
            delete_file(stored_path(stored))
        except ValueError:  # a name outside the mailbox folder: nothing of ours to delete
            continue
    return rows.exclude(filename=ERASED, stored_name="", sha256="").update(
        filename=ERASED, stored_name="", sha256=""
    )


def erase(subject: DataSubject) -> Erased:
    who = subject.identifiers
    ids = mail_ids(subject)
    mails = InboundMail.objects.filter(pk__in=ids)
    rows = erase_rows(mails, who, TEXT, clear=CLEAR)
    for pk, message_id in mails.values_list("pk", "message_id"):
        if mentions([message_id], who):
            InboundMail.objects.filter(pk=pk).update(message_id=erase_text(message_id, who))
    rows += _forget_attachments(ids)
    rows += erase_rows_mentioning(MailboxRun.objects.exclude(error=""), who, ("error",))
    return Erased(rows)


def purge_mail(cutoff: datetime) -> int:
    """Messages read before ``cutoff`` lose their sender, subject, note and attachments
    (files deleted), unless their ticket is still open; the rows keep outcome, size, time and
    ticket number, so the intake's counts stay."""
    from yuqi.complaints.facade import complaint_refs

    rows = list(
        InboundMail.objects.filter(received_at__lt=cutoff)
        .exclude(subject=ERASED)
        .values_list("pk", "complaint_id")
    )
    tickets = complaint_refs({cid for _pk, cid in rows if cid is not None})
    due = [
        pk
        for pk, cid in rows
        if cid is None or cid not in tickets or tickets[cid].state == "closed"
    ]
    _forget_attachments(due)
    return InboundMail.objects.filter(pk__in=due).update(
        sender="", sender_name="", subject=ERASED, note=""
    )


def register() -> None:
    register_personal_data_source(
        "mailbox",
        export,
        erase,
        label=_("E-mails received"),
        purpose=_("Take complaints sent by e-mail and thread replies onto their tickets"),
        categories=_("sender address and name, subject, attachments"),
        order=260,
    )
    register_retention_purger(
        "inbound_mail",
        purge_mail,
        label=_("E-mails received (sender, subject, attachments)"),
        default_days=3 * 365,
    )
