from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.support.clock import freeze_now

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen(monkeypatch):
    """ "Now" is Monday 2026-11-16 10:00 in Shanghai unless moved with ``frozen.set``."""
    return freeze_now(monkeypatch, dt.datetime(2026, 11, 16, 10, tzinfo=SH))


@pytest.fixture(autouse=True)
def english(settings):
    """Messages in English unless a test switches (the Chinese ones are checked apart)."""
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield
