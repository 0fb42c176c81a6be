"""The one clock: every "now" in Yuqi comes from here, so tests can freeze it."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone (for date-range filters)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def as_of_label(as_of: datetime | None) -> str:
    """When stored figures were computed, for "Figures as of …": the local time, with the
    date when it is not today; empty when they were counted just now."""
    if as_of is None:
        return ""
    local = timezone.localtime(as_of)
    if local.date() == timezone.localdate(now()):
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
