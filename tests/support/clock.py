"""A frozen, movable "now" for tests: one helper instead of a copy per test package."""

from __future__ import annotations

import datetime as dt

import pytest


class FrozenClock:
    """Stands in for ``django.utils.timezone.now`` (and so ``yuqi.core.clock.now``): returns
    ``at`` in UTC, as Django does, until ``at`` is moved (assigned, ``set`` or ``advance``)."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)

    def set(self, at: dt.datetime) -> None:
        self.at = at

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta


def freeze_now(monkeypatch: pytest.MonkeyPatch, at: dt.datetime) -> FrozenClock:
    """Freeze ``django.utils.timezone.now`` at ``at`` for the test; returns the clock."""
    clock = FrozenClock(at)
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock
