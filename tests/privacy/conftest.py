"""Privacy tests write their files (SMS outbox, imports, customers' attachments) into a
temporary data folder; the e-mail tests read from a throw-away IMAP server (dovecot)."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import frozen, outbox
from tests.mailbox.conftest import dovecot_server, imap

__all__ = ["dovecot_server", "frozen", "imap", "outbox"]


@pytest.fixture(autouse=True)
def data_folder(settings, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "uploads"
    return folder
