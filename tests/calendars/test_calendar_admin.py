"""Settings → Business calendars: the admin pages open, and overlapping periods are refused."""

from __future__ import annotations

import pytest
from django.forms import inlineformset_factory
from django.utils import translation

from tests.calendars.factories import CalendarFactory, standard
from yuqi.calendars.admin import WorkingPeriodFormSet
from yuqi.calendars.models import BusinessCalendar, WorkingPeriod

pytestmark = pytest.mark.django_db

PeriodFormSet = inlineformset_factory(
    BusinessCalendar,
    WorkingPeriod,
    formset=WorkingPeriodFormSet,
    fields=("weekday", "start", "end"),
    extra=0,
)


def formset(calendar, rows):
    data = {
        "periods-TOTAL_FORMS": str(len(rows)),
        "periods-INITIAL_FORMS": "0",
    }
    for i, (weekday, start, end) in enumerate(rows):
        data |= {f"periods-{i}-weekday": weekday, f"periods-{i}-start": start}
        data |= {f"periods-{i}-end": end}
    return PeriodFormSet(data, instance=calendar, prefix="periods")


def test_a_lunch_break_is_accepted():
    rows = [("0", "08:30", "12:00"), ("0", "13:30", "17:30"), ("1", "08:30", "17:30")]
    assert formset(CalendarFactory(), rows).is_valid()


def test_overlapping_periods_on_one_day_are_refused():
    rows = [("0", "08:30", "12:00"), ("0", "11:00", "17:30")]
    form = formset(CalendarFactory(), rows)
    with translation.override("en"):
        assert not form.is_valid()
        assert "overlap" in str(form.non_form_errors())


def test_the_admin_pages_open(admin_user, as_user):
    client = as_user(admin_user)
    assert client.get("/admin/calendars/businesscalendar/").status_code == 200
    page = client.get(f"/admin/calendars/businesscalendar/{standard().pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/calendars/calendardate/").status_code == 200
    assert client.get("/admin/calendars/enteredyear/").status_code == 200
    assert client.get("/admin/notifications/outboundmessage/").status_code == 200


def test_the_default_calendar_cannot_be_deleted(admin_user, as_user):
    page = as_user(admin_user).get(f"/admin/calendars/businesscalendar/{standard().pk}/delete/")
    assert page.status_code == 403
