from __future__ import annotations

import datetime as dt

import pytest

from yuqi.calendars import selectors

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def today(monkeypatch):
    """Freeze the calendars context's clock: ``today(2026, 2, 10)`` (Asia/Shanghai)."""

    def freeze(year: int, month: int, day: int) -> dt.datetime:
        moment = dt.datetime(year, month, day, 9, tzinfo=SHANGHAI)
        monkeypatch.setattr(selectors, "now", lambda: moment)
        return moment

    return freeze
