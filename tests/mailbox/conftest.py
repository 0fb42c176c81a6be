from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.mailbox.dovecot import ImapServer, require_dovecot, start_dovecot, stop_dovecot


@pytest.fixture(scope="module")
def dovecot_server() -> Iterator[ImapServer]:
    """A real IMAP server for the module's tests (see ``tests/mailbox/dovecot.py``)."""
    require_dovecot()
    server, process = start_dovecot()
    try:
        yield server
    finally:
        stop_dovecot(server, process)


@pytest.fixture
def imap(dovecot_server: ImapServer) -> Iterator[ImapServer]:
    """The server with empty folders for each test."""
    dovecot_server.clear()
    return dovecot_server


@pytest.fixture(autouse=True)
def _english():
    """Notes are written in the active language; the tests read them in English (one test
    checks the Chinese)."""
    with translation.override("en"):
        yield
