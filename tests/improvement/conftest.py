from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")


class FrozenClock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)

    def set(self, at: dt.datetime) -> None:
        self.at = at


@pytest.fixture
def frozen(monkeypatch):
    """ "Now" is Monday 2026-11-16 10:00 in Shanghai unless moved with ``frozen.set``."""
    clock = FrozenClock(dt.datetime(2026, 11, 16, 10, tzinfo=SH))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture(autouse=True)
def english(settings):
    """Messages in English unless a test switches (the Chinese ones are checked apart)."""
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield
