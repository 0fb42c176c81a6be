from __future__ import annotations

import datetime as dt

import factory

from yuqi.calendars.models import BusinessCalendar, CalendarDate, EnteredYear, WorkingPeriod

STANDARD = "标准工作时间"  # shipped by the data migration (the default)
ALWAYS = "全天候"
CALL_CENTRE = "呼叫中心"


class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessCalendar

    name = factory.Sequence(lambda n: f"cal-{n}")
    label = "test calendar"
    china_holidays = True


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingPeriod

    calendar = factory.SubFactory(CalendarFactory)
    weekday = 0
    start = dt.time(9)
    end = dt.time(17)


class DateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDate

    calendar = None
    date = dt.date(2026, 3, 9)
    kind = "closed"


class EnteredYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnteredYear

    calendar = None
    year = 2027
    note = "国办发明电〔2026〕 entered by hand"


def standard() -> BusinessCalendar:
    return BusinessCalendar.objects.get(name=STANDARD)
