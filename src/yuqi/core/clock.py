"""The one clock: every "now" in Yuqi comes from here, so tests can freeze it."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone (for date-range filters)."""
    return timezone.make_aware(datetime.combine(day, time.min))
