"""Fixtures of the customer channels tests: SMS into memory, a clean cache, and reading the
code a customer received."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from yuqi.notifications import channels as sms


@pytest.fixture(autouse=True)
def sms_outbox(settings, tmp_path):
    settings.SMS_BACKEND = "locmem"
    settings.DATA_DIR = tmp_path
    sms.outbox.clear()
    cache.clear()
    yield sms.outbox
    sms.outbox.clear()
    cache.clear()


def last_code(outbox) -> str:
    """The 6-digit code in the newest SMS."""
    match = re.search(r"\d{6}", outbox[-1].body)
    assert match, outbox[-1].body
    return match.group(0)
