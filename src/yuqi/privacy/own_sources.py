"""The sources the privacy context registers itself: its own requests and consent ledger,
the import files in the data folder (imports sits below the contexts and cannot register
itself), and a last pass over the text files and workbooks of the folders Yuqi writes such
files into (exports, uploads, outboxes; not the whole data folder)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yuqi.core.clock import now
from yuqi.imports.retention import import_files, import_uploads_purge, uploads_folder
from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    Holding,
    erase_in_file,
    export_holdings,
    register_personal_data_source,
    register_retention_purger,
)
from yuqi.privacy.models import ConsentEntry, PrivacyRequest

HOLDINGS = (
    Holding(
        PrivacyRequest,
        "customer_id",
        (),
        export_fields=("kind", "channel", "received_at", "due_on"),
    ),
    Holding(ConsentEntry, "customer_id", (), export_fields=("purpose", "given", "source", "at")),
)
SKIPPED = {"secret_key", "demo-logins.json"}
SWEPT_SUFFIXES = {".csv", ".txt", ".json", ".jsonl", ".log", ".eml", ".tsv", ".xlsx"}


def export_own(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, HOLDINGS)


def erase_own(subject: DataSubject) -> Erased:
    return Erased(0)  # the requests hold no name or number; the erasure scrubs their texts


def erase_import_files(subject: DataSubject) -> Erased:
    return Erased(sum(erase_in_file(path, subject.identifiers) for path in import_files()))


def swept_folders() -> list[Path]:
    """The folders Yuqi writes text files naming customers into, each flat (its writers put
    files in it, never below): import error reports (exports), uploaded import files, the SMS
    outbox and the e-mail outbox (``YUQI_EMAIL_BACKEND=file``). Attachments (public form,
    mailbox) are images, PDFs and raw parts their own sources delete with their records; the
    rest of the data folder (static files, models, the database, whatever an operator keeps
    there) is not Yuqi's to search."""
    outbox = Path(settings.DATA_DIR) / "outbox"
    folders = [Path(settings.EXPORTS_DIR), uploads_folder(), outbox, outbox / "mail"]
    mailer: dict[str, Any] = settings.MAILERS.get("default", {})
    mail = mailer.get("OPTIONS", {}).get("file_path")
    if mail:
        folders.append(Path(mail))
    return list(dict.fromkeys(folder.resolve() for folder in folders))


def data_folder_files() -> list[Path]:
    return sorted(
        path
        for folder in swept_folders()
        if folder.is_dir()
        for path in folder.iterdir()
        if path.is_file()
        and path.name not in SKIPPED
        and path.suffix.lower() in SWEPT_SUFFIXES
        and not path.name.startswith(".erase-")
    )


def erase_data_folder(subject: DataSubject) -> Erased:
    return Erased(sum(erase_in_file(path, subject.identifiers) for path in data_folder_files()))


def purge_uploads(cutoff: datetime) -> int:
    return len(import_uploads_purge(retention=max(now() - cutoff, timedelta(0))))


def no_export(subject: DataSubject) -> list[dict]:
    return []


def register() -> None:
    register_personal_data_source(
        "privacy",
        export_own,
        erase_own,
        label=_("Personal-information requests and consent"),
        purpose=_("Answer requests and respect consent (PIPL arts. 44–47)"),
        categories=_("requests, identity checks, consent given or withdrawn"),
        order=50,
    )
    register_personal_data_source(
        "imports",
        no_export,
        erase_import_files,
        label=_("Imported files and error reports"),
        purpose=_("Load customers and contacts from other systems"),
        categories=_("rows of uploaded files and of error reports"),
        order=800,
    )
    register_personal_data_source(
        "data-folder",
        no_export,
        erase_data_folder,
        label=_("Other files in the data folder"),
        purpose=_("Outboxes and exports kept on disk"),
        categories=_("any text file or workbook that names the customer"),
        order=950,
    )
    register_retention_purger(
        "uploads", purge_uploads, label=_("Uploaded import files"), default_days=30
    )
