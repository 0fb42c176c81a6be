from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from tests.support.clock import freeze_now
from yuqi.surveys import ports

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read page text and messages in English; the catalog is tested elsewhere."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    """A frozen, movable clock for everything (``yuqi.core.clock.now`` and ``auto_now``)."""
    return freeze_now(monkeypatch, START)


@pytest.fixture(autouse=True)
def outbox(monkeypatch):
    """Messages the surveys context asked the notifications context to send."""
    sent: list[dict] = []

    def record(**kwargs):
        sent.append(kwargs)
        return True

    monkeypatch.setattr(ports, "send_invitation_message", record)
    return sent


@pytest.fixture
def reopened(monkeypatch):
    """Complaints the surveys context asked to reopen for recovery."""
    calls: list[dict] = []

    def record(**kwargs):
        calls.append(kwargs)
        return True

    monkeypatch.setattr(ports, "reopen_complaint_for_recovery", record)
    return calls
