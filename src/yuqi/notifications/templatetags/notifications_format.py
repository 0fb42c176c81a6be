"""Filters for message templates: times in the centre's time zone, one format everywhere."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def local_time(value: object) -> str:
    """An aware datetime (or ISO-8601 text) as ``2026-02-25 17:30`` in ``settings.TIME_ZONE``
    (Asia/Shanghai); a date as ``2026-02-25``; anything else unchanged; None as ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        zone = ZoneInfo(settings.TIME_ZONE)
        local = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
