"""The message log (and the file SMS outbox) in personal-information requests.

Erasure keeps each message row (counts by status and channel stay) and clears its address,
masked recipient and the person's data in subject and body; the outbox file in the data
folder is rewritten without them. Messages to a number or address before it was a customer's
(the public form's one-time codes) have no customer: they are found by their address.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yuqi.notifications.models import OutboundMessage
from yuqi.privacy.facade import (
    ERASED,
    DataSubject,
    Erased,
    Holding,
    erase_holdings,
    erase_in_file,
    erase_rows,
    export_holdings,
    register_personal_data_source,
    register_retention_purger,
)

HOLDING = Holding(
    OutboundMessage,
    "customer_id",
    ("subject", "body", "error"),
    export_fields=("subject_ref", "channel", "template", "status", "created_at", "sent_at"),
    clear=("address", "recipient", "params"),
)


def outbox_files() -> list[Path]:
    folder = Path(settings.DATA_DIR) / "outbox"
    return sorted(path for path in folder.glob("*") if path.is_file()) if folder.is_dir() else []


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, [HOLDING])


def erase(subject: DataSubject) -> Erased:
    rows = erase_holdings(subject.customer_id, subject.identifiers, [HOLDING])
    unlinked = OutboundMessage.objects.filter(customer_id__isnull=True).exclude(address="")
    rows += erase_rows(
        unlinked,
        subject.identifiers,
        ("address", *HOLDING.fields),
        clear=("recipient", "params"),
        only_mentioning=True,
    )
    files = sum(erase_in_file(path, subject.identifiers) for path in outbox_files())
    return Erased(rows + files)


def purge_log(cutoff: datetime) -> int:
    """Messages created before ``cutoff`` keep their row (status, channel, time) and lose
    their address and text."""
    return (
        OutboundMessage.objects.filter(created_at__lt=cutoff)
        .exclude(body=ERASED)
        .update(address="", recipient="", subject="", body=ERASED, error="")
    )


def register() -> None:
    register_personal_data_source(
        "notifications",
        export,
        erase,
        label=_("Message log"),
        purpose=_("Tell the customer about their tickets, promises and surveys"),
        categories=_("phone number, e-mail address, message text"),
        order=500,
    )
    register_retention_purger("message_log", purge_log, label=_("Message log"), default_days=180)
