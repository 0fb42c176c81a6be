"""Customers' attachments: images and PDFs only, judged by their content, size-limited, stored
privately under ``<data dir>/uploads/intake/`` with random names.

Checks, in order: at most ``MAX_FILES`` files; each at most ``max_bytes()`` (read in chunks,
refused as soon as it passes the limit); the first bytes are an allowed signature
(:mod:`yuqi.domain.upload_sniff`), whatever the name says; an image must open and verify in
Pillow within a pixel limit (no decompression bomb); a PDF must parse in pypdf and carry no
JavaScript or embedded files.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from yuqi.core.errors import DomainError
from yuqi.core.private_files import open_private, private_dir
from yuqi.domain.upload_sniff import EXTENSIONS, HEAD_BYTES, sniff

MAX_FILES = 3
MAX_PIXELS = 40_000_000
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")


def max_bytes() -> int:
    return int(getattr(settings, "YUQI_INTAKE_MAX_FILE_MB", 5)) * 1024 * 1024


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "intake"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _clean_name(name: str) -> str:
    base = Path(str(name or "")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or "file")[:120]


def _refuse(name: str, reason: str) -> DomainError:
    return DomainError(_("%(name)s: %(reason)s") % {"name": name, "reason": reason}, field="files")


def _read(upload: Any, name: str) -> bytes:
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(name, _("larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise _refuse(name, _("larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        chunks.append(chunk)
    return b"".join(chunks)


def _image_ok(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return False
            image.verify()
    except Exception:  # any decoding problem: not a usable image
        return False
    return True


def _pdf_ok(data: bytes) -> bool:
    if any(marker in data for marker in PDF_ACTIVE):
        return False
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) > 0
    except Exception:  # a malformed PDF
        return False


def attachment_check(upload: Any) -> CheckedFile:
    """One uploaded file as a :class:`CheckedFile`; raises ``DomainError`` (``field="files"``)
    naming the file and why it was refused."""
    name = _clean_name(getattr(upload, "name", ""))
    data = _read(upload, name)
    kind = sniff(data[:HEAD_BYTES])
    if kind is None:
        raise _refuse(name, _("only photos (JPEG, PNG, GIF, WebP) and PDF files are accepted."))
    valid = _pdf_ok(data) if kind == "application/pdf" else _image_ok(data)
    if not valid:
        raise _refuse(name, _("the file is damaged or not a plain image or PDF."))
    return CheckedFile(name=name, content_type=kind, data=data)


def attachments_check(uploads: list[Any]) -> list[CheckedFile]:
    if len(uploads) > MAX_FILES:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_FILES}, field="files")
    return [attachment_check(upload) for upload in uploads]


def attachment_write(checked: CheckedFile) -> str:
    """Write the file privately under a random name; returns the stored name."""
    folder = private_dir(storage_dir())
    stored = secrets.token_hex(16) + EXTENSIONS[checked.content_type]
    with open_private(folder / stored, "xb") as handle:
        handle.write(checked.data)
    return stored


def attachment_path(stored_name: str) -> Path:
    """Where a stored attachment is; refuses names that are not this module's own."""
    if Path(stored_name).name != stored_name or stored_name.startswith("."):
        raise ValueError("not a stored attachment name")
    return storage_dir() / stored_name
