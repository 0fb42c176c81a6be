"""Writes of the calendars context (the admin saves through these)."""

from __future__ import annotations

from django.db import transaction

from yuqi.calendars.models import BusinessCalendar, TeamCalendar
from yuqi.calendars.selectors import UnknownCalendar


@transaction.atomic
def business_calendar_save(*, calendar: BusinessCalendar) -> BusinessCalendar:
    """Save a calendar; making it the default takes the flag from the previous default.

    The others are cleared first (locked) so the one-default constraint holds throughout.
    """
    if calendar.is_default:
        others = BusinessCalendar.objects.select_for_update().filter(is_default=True)
        if calendar.pk is not None:
            others = others.exclude(pk=calendar.pk)
        for other in others:
            other.is_default = False
            other.save(update_fields=["is_default", "updated_at"])
    calendar.save()
    return calendar


@transaction.atomic
def team_calendar_set(*, team_id: int, calendar_name: str | None) -> None:
    """Put a team on a named calendar, or (``None``) back on the default."""
    if calendar_name is None:
        for mapping in TeamCalendar.objects.filter(team_id=team_id):
            mapping.delete()  # one by one, so calendar_changed is sent
        return
    calendar = BusinessCalendar.objects.filter(name=calendar_name).first()
    if calendar is None:
        raise UnknownCalendar(calendar_name)
    mapping = TeamCalendar.objects.select_for_update().filter(team_id=team_id).first()
    if mapping is None:
        TeamCalendar.objects.create(team_id=team_id, calendar=calendar)
    elif mapping.calendar_id != calendar.pk:
        mapping.calendar = calendar
        mapping.save(update_fields=["calendar"])
