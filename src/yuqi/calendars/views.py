"""The calendars page: each calendar's week and next 30 days, and the missing-year warning."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.calendars import selectors
from yuqi.core.access import requires


@requires("calendars.view_businesscalendar")
def calendar_list(request: HttpRequest) -> HttpResponse:
    missing = selectors.missing_holiday_years()
    context = {
        "calendars": selectors.calendar_views(days=30),
        "missing_years": missing,
        "missing_warning": selectors.missing_years_warning(missing),
        "can_edit": request.user.has_perm("calendars.change_businesscalendar")
        and request.user.is_staff,
    }
    return render(request, "calendars/list.html", context)
