"""REST endpoints of the calendars context (mounted under /api/v1/ in yuqi.config.api)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from yuqi.calendars import selectors
from yuqi.core.api_access import api_requires

router = Router(tags=["calendars"])

PERMISSION = "calendars.view_businesscalendar"


class OpeningPeriodOut(Schema):
    weekday: int = Field(description="0 Monday … 6 Sunday")
    start: str = Field(description="HH:MM local time")
    end: str = Field(description="HH:MM local time; 24:00 is the end of the day")


class CalendarOut(Schema):
    name: str
    label: str
    time_zone: str
    china_holidays: bool
    is_default: bool
    periods: list[OpeningPeriodOut]


class DueQuery(Schema):
    start: str = Field(
        alias="from",
        max_length=40,
        # What datetime.fromisoformat reads (a bare date is midnight); anything else was
        # schema-valid text answered 422 (ST202).
        pattern=r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$",
        description="ISO-8601 start; without an offset: the calendar's time zone",
    )
    working_days: int | None = Field(
        None, ge=1, le=3_660, description="working days after the start"
    )
    business_hours: float | None = Field(None, ge=0, le=87_840, description="hours of open time")
    days: int | None = Field(None, ge=1, le=36_600, description="calendar days after the start")


class DueOut(Schema):
    due: dt.datetime = Field(description="in the calendar's time zone, with its offset")
    calendar: str
    basis: str
    assumed_years: list[int] = Field(description="years without statutory holiday data")
    warning: str | None


def _clock(t: dt.time, *, end: bool = False) -> str:
    return "24:00" if end and t == dt.time(0) else t.strftime("%H:%M")


@router.get("/calendars", response=list[CalendarOut])
@api_requires(PERMISSION)
def calendar_list(request: HttpRequest) -> list[dict]:
    """Every business calendar with its weekly working periods."""
    return [
        {
            "name": row.name,
            "label": row.label,
            "time_zone": row.time_zone,
            "china_holidays": row.china_holidays,
            "is_default": row.is_default,
            "periods": [
                {"weekday": p.weekday, "start": _clock(p.start), "end": _clock(p.end, end=True)}
                for p in row.periods.all()
            ],
        }
        for row in selectors.calendar_rows()
    ]


@router.get("/calendars/{name}/due", response=DueOut)
@api_requires(PERMISSION)
def calendar_due(request: HttpRequest, name: str, query: Query[DueQuery]) -> dict:
    """When something started at ``from`` is due, as ``yuqi calendar due``: give exactly one of
    ``working_days``, ``business_hours``, ``days``. A result in a year without holiday data is
    flagged in ``assumed_years`` and ``warning``."""
    try:
        result = selectors.due_time(
            start=query.start,
            calendar_name=name,
            working_days=query.working_days,
            business_hours=query.business_hours,
            days=query.days,
        )
    except selectors.UnknownCalendar as exc:
        raise HttpError(404, exc.message) from exc
    return result.as_dict() | {"due": result.due}
