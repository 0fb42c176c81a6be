"""The customer channels in personal-information requests.

Export: what the customer filed on the public form (kind, ticket, language, time), the files
they attached (listed by name, type, size and checksum; the files themselves stay in the data
folder, as every source's export lists records, not files) and their opt-out of notices.

Erasure keeps each submission row (the intake counts stay) and each attachment row (type and
size), clears the attachment's file name and checksum, and deletes the stored file from the
data folder (overwritten first). The one-time codes sent to the customer's number go (they
hold only keyed hashes, but those find the number again). The opt-out stays: the erasure stops
every contact but service anyway. What a proactive notice sent the customer is in the message
log (notifications); the text they filed is in the ticket or the suggestion (complaints).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from yuqi.channels.attachments import attachment_path
from yuqi.channels.codes import phone_key
from yuqi.channels.models import Attachment, IntakeSubmission, NoticeOptOut, VerificationCode
from yuqi.domain.pii import national_phone
from yuqi.privacy.facade import (
    ERASED,
    DataSubject,
    Erased,
    Holding,
    delete_file,
    export_holdings,
    register_personal_data_source,
    register_retention_purger,
)

HOLDINGS = (
    Holding(
        IntakeSubmission,
        "customer_id",
        (),
        export_fields=(
            "kind",
            "complaint_number",
            "feedback_id",
            "language",
            "new_customer",
            "created_at",
        ),
    ),
    Holding(
        Attachment,
        "submission__customer_id",
        ("original_name",),
        export_fields=("submission_id", "content_type", "size", "sha256", "created_at"),
    ),
    Holding(NoticeOptOut, "customer_id", (), export_fields=("source", "created_at")),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, HOLDINGS)


def _forget_files(rows: list[tuple[int, str]]) -> int:
    """Delete the stored files of ``(pk, stored name)`` rows and clear their name and
    checksum (the stored name is random and unique: it stays, pointing at nothing)."""
    for _pk, stored in rows:
        try:
            delete_file(attachment_path(stored))
        except ValueError:  # not one of this context's names: nothing of ours to delete
            continue
    return Attachment.objects.filter(pk__in=[pk for pk, _stored in rows]).update(
        original_name=ERASED, sha256=""
    )


def _phones(subject: DataSubject) -> set[str]:
    """The customer's number now and before a correction, as the public form stores them."""
    who = subject.identifiers
    numbers = {national_phone(value) for value in (who.phone, *who.extra) if value}
    return {number for number in numbers if number.isdigit()}


def erase(subject: DataSubject) -> Erased:
    files = list(
        Attachment.objects.filter(submission__customer_id=subject.customer_id)
        .order_by("pk")
        .values_list("pk", "stored_name")
    )
    rows = _forget_files(files)
    keys = {phone_key(phone) for phone in _phones(subject)}
    codes, _by_model = VerificationCode.objects.filter(phone_key__in=keys).delete()
    return Erased(rows + codes)


def purge_files(cutoff: datetime) -> int:
    """Files attached before ``cutoff`` are deleted, unless their ticket is still open (the
    handler still needs them); the rows keep their type, size and time."""
    from yuqi.complaints.facade import complaint_refs

    rows = list(
        Attachment.objects.filter(created_at__lt=cutoff)
        .exclude(original_name=ERASED)
        .values_list("pk", "stored_name", "submission__complaint_id")
    )
    tickets = complaint_refs({cid for _pk, _name, cid in rows if cid is not None})
    due = [
        (pk, stored)
        for pk, stored, cid in rows
        if cid is None or cid not in tickets or tickets[cid].state == "closed"
    ]
    return _forget_files(due)


def register() -> None:
    register_personal_data_source(
        "channels",
        export,
        erase,
        label=_("Public form submissions and attachments"),
        purpose=_("Take complaints, suggestions and praise from customers directly"),
        categories=_("submissions, attached photos and PDFs, one-time codes, notice opt-out"),
        order=250,
    )
    register_retention_purger(
        "intake_files",
        purge_files,
        label=_("Files customers attached on the public form"),
        default_days=3 * 365,
    )
