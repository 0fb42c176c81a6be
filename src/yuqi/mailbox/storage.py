"""Attachments kept in the private data folder: ``<data dir>/mailbox/<yyyy>/<mm>/<random>``,
0600 in 0700 folders, never under the sender's name and never executed or served inline."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from yuqi.core.clock import now
from yuqi.core.private_files import open_private, private_dir


def attachments_root() -> Path:
    return Path(settings.DATA_DIR) / "mailbox"


def store_bytes(payload: bytes) -> tuple[str, str]:
    """Write ``payload`` under a new random name; returns (stored name, sha256)."""
    moment = timezone.localtime(now())
    relative = f"{moment:%Y}/{moment:%m}/{secrets.token_hex(16)}"
    path = attachments_root() / relative
    private_dir(path.parent)
    with open_private(path, "xb") as handle:
        handle.write(payload)
    return relative, hashlib.sha256(payload).hexdigest()


def stored_path(stored_name: str) -> Path:
    """The file of a stored attachment; refuses names that would leave the folder."""
    root = attachments_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise ValueError("not an attachment of the mailbox")
    return path


def discard(stored_names: list[str]) -> None:
    """Delete files written for a message whose transaction then rolled back."""
    for name in stored_names:
        with contextlib.suppress(OSError, ValueError):
            stored_path(name).unlink(missing_ok=True)
