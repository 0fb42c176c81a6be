"""Ship three calendars (editable in Settings → Business calendars):

* 标准工作时间 (default): Monday–Friday 08:30–12:00 and 13:30–17:30, closed on China's statutory
  holidays, open on 调休 make-up working days — back-office work such as complaint handling.
* 全天候: every day 00:00–24:00, no holidays — 24/7 targets such as regulator time limits
  counted in calendar days.
* 呼叫中心: every day 08:00–22:00 and open on statutory holidays too (``china_holidays`` off):
  a hotline answers through Spring Festival, so the front line's clock keeps running; a local
  closure is entered as a calendar date. Teams that rest on holidays use 标准工作时间 instead.
"""

import datetime as dt

from django.db import migrations

CALENDARS = (
    # name, label, china_holidays, is_default, {weekday: [(start, end), ...]}
    (
        "标准工作时间",
        "Standard office hours: Mon–Fri 08:30–12:00, 13:30–17:30, China holidays",
        True,
        True,
        {day: [("08:30", "12:00"), ("13:30", "17:30")] for day in range(5)},
    ),
    (
        "全天候",
        "24/7: every day 00:00–24:00, no holidays",
        False,
        False,
        {day: [("00:00", "24:00")] for day in range(7)},
    ),
    (
        "呼叫中心",
        "Call centre: every day 08:00–22:00, open on holidays",
        False,
        False,
        {day: [("08:00", "22:00")] for day in range(7)},
    ),
)


def _time(text: str) -> dt.time:
    return dt.time(0) if text == "24:00" else dt.time.fromisoformat(text)


def create(apps, schema_editor):
    Calendar = apps.get_model("calendars", "BusinessCalendar")
    Period = apps.get_model("calendars", "WorkingPeriod")
    for name, label, china, default, week in CALENDARS:
        if Calendar.objects.filter(name=name).exists():
            continue
        if default and Calendar.objects.filter(is_default=True).exists():
            default = False
        calendar = Calendar.objects.create(
            name=name, label=label, china_holidays=china, is_default=default
        )
        Period.objects.bulk_create(
            Period(calendar=calendar, weekday=day, start=_time(start), end=_time(end))
            for day, spans in week.items()
            for start, end in spans
        )


def remove(apps, schema_editor):
    Calendar = apps.get_model("calendars", "BusinessCalendar")
    Calendar.objects.filter(name__in=[c[0] for c in CALENDARS]).delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
