"""Reads of the calendars context: stored rows → :class:`yuqi.domain.calendar.BusinessCalendar`,
due-time checks, the days shown on the calendars page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.calendars.choices import DateKind
from yuqi.calendars.models import (
    BusinessCalendar,
    CalendarDate,
    CalendarsVersion,
    EnteredYear,
    TeamCalendar,
    WorkingPeriod,
)
from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.errors import DomainError
from yuqi.domain import calendar as domain

#: Used only when the database holds no calendar at all (the data migration ships three).
FALLBACK_NAME = "default"


class UnknownCalendar(DomainError):
    def __init__(self, name: str) -> None:
        super().__init__(
            _("No business calendar is called “%(name)s”.") % {"name": name},
            field="calendar",
            code="not_found",
        )
        self.name = name


def _with_rows():
    return BusinessCalendar.objects.prefetch_related(
        Prefetch("periods", queryset=WorkingPeriod.objects.order_by("weekday", "start")),
        Prefetch("dates", queryset=CalendarDate.objects.order_by("date")),
        Prefetch("entered_years", queryset=EnteredYear.objects.order_by("year")),
    )


def stored_calendar(
    *, team_id: int | None = None, name: str | None = None
) -> BusinessCalendar | None:
    """The row: the team's calendar, else the named one, else the default (None if no rows).

    An unknown ``name`` raises :class:`UnknownCalendar` rather than quietly using another one.
    """
    rows = _with_rows()
    if team_id is not None:
        mapping = TeamCalendar.objects.filter(team_id=team_id).values_list("calendar_id", flat=True)
        found = rows.filter(pk__in=mapping).first()
        if found is not None:
            return found
    if name is not None:
        found = rows.filter(name=name).first()
        if found is None:
            raise UnknownCalendar(name)
        return found
    return rows.filter(is_default=True).first() or rows.order_by("pk").first()


#: Read on every page that shows a calendar's time; compiled once (its statement cost more
#: Python to build than to run).
_TOKEN_READ = CompiledRead(
    lambda: CalendarsVersion.objects.order_by("pk").values_list("token")[:1],
    model=CalendarsVersion,
)


def calendars_token() -> str | None:
    """The token that changes with every calendar row written (None if its row is missing)."""
    found = _TOKEN_READ.rows()
    return str(found[0][0]) if found else None


def team_calendar_ids() -> dict[int, int]:
    """Every team's calendar id, in one query (teams without a row use the default)."""
    return dict(TeamCalendar.objects.values_list("team_id", "calendar_id"))


def domain_calendar_by_id(calendar_id: int) -> domain.BusinessCalendar | None:
    row = _with_rows().filter(pk=calendar_id).first()
    return None if row is None else build_calendar(row)


def _shared_rows() -> tuple[list[CalendarDate], set[int]]:
    dates = list(CalendarDate.objects.filter(calendar__isnull=True).order_by("date"))
    years = set(EnteredYear.objects.filter(calendar__isnull=True).values_list("year", flat=True))
    return dates, years


def build_calendar(
    row: BusinessCalendar,
    *,
    shared: tuple[list[CalendarDate], set[int]] | None = None,
    missing_year: domain.MissingYearPolicy = domain.MissingYearPolicy.WEEKDAYS,
) -> domain.BusinessCalendar:
    """The immutable domain calendar of a stored row (periods, dates and years prefetched).

    Dates for all calendars come first; the calendar's own dates override them on the same day.
    """
    shared_dates, shared_years = shared if shared is not None else _shared_rows()
    weekly: list[list[domain.WorkPeriod]] = [[] for _ in range(7)]
    for period in row.periods.all():
        weekly[period.weekday].append(domain.WorkPeriod(period.start, period.end))
    kinds: dict[dt.date, str] = {d.date: d.kind for d in shared_dates}
    kinds.update({d.date: d.kind for d in row.dates.all()})
    years = shared_years | {y.year for y in row.entered_years.all()}
    return domain.BusinessCalendar(
        weekly=tuple(tuple(day) for day in weekly),
        tz=ZoneInfo(row.time_zone),
        china_holidays=row.china_holidays,
        closed_dates=frozenset(d for d, kind in kinds.items() if kind == DateKind.CLOSED),
        open_dates=frozenset(d for d, kind in kinds.items() if kind == DateKind.OPEN),
        entered_years=frozenset(years),
        missing_year=missing_year,
        name=row.name,
    )


def domain_calendar(
    *, team_id: int | None = None, name: str | None = None
) -> domain.BusinessCalendar:
    row = stored_calendar(team_id=team_id, name=name)
    if row is None:
        return domain.BusinessCalendar(
            missing_year=domain.MissingYearPolicy.WEEKDAYS, name=FALLBACK_NAME
        )
    return build_calendar(row)


def calendar_rows() -> list[BusinessCalendar]:
    """Every stored calendar with its periods, dates, entered years (and team mappings)."""
    return list(
        _with_rows().prefetch_related(
            Prefetch("teams", queryset=TeamCalendar.objects.select_related("team"))
        )
    )


def local_today() -> dt.date:
    """Today in the site's time zone (``YUQI_TIME_ZONE``, Asia/Shanghai)."""
    return timezone.localtime(now()).date()


def missing_holiday_years(*, horizon_days: int = 400, today: dt.date | None = None) -> list[int]:
    """Years from today to ``horizon_days`` ahead that a calendar using China's holidays would
    have to guess: not in ``chinese_calendar`` and not entered by hand (for all calendars or
    for that calendar)."""
    first = today or local_today()
    last = first + dt.timedelta(days=horizon_days)
    candidates = [
        year for year in range(first.year, last.year + 1) if year not in domain.CHINA_DATA_YEARS
    ]
    if not candidates:
        return []
    china = list(BusinessCalendar.objects.filter(china_holidays=True).values_list("pk", flat=True))
    if not china:
        return []
    entered: dict[int | None, set[int]] = defaultdict(set)
    for calendar_id, year in EnteredYear.objects.filter(year__in=candidates).values_list(
        "calendar_id", "year"
    ):
        entered[calendar_id].add(year)
    return [
        year
        for year in candidates
        if year not in entered[None] and any(year not in entered[pk] for pk in china)
    ]


def missing_years_warning(years: list[int]) -> str | None:
    """The manager-facing warning for years without statutory holiday data (None if none)."""
    if not years:
        return None
    return _(
        "%(years)s has no statutory holiday data yet; enter it in Settings → Calendar dates / "
        "Entered years. Until then deadlines in that year count every weekday as a working day."
    ) % {"years": ", ".join(str(y) for y in years)}


# ------------------------------------------------------------------------- due-time checks
class Basis:
    WORKING_DAYS = "working_days"
    BUSINESS_HOURS = "business_hours"
    DAYS = "days"


@dataclass(frozen=True)
class DueResult:
    """A due time checked on a stored calendar; ``assumed_years`` lack holiday data."""

    due: dt.datetime  # in the calendar's time zone
    start: dt.datetime
    calendar: str
    basis: str
    amount: float
    assumed_years: tuple[int, ...]
    warning: str | None

    def as_dict(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "calendar": self.calendar,
            "basis": self.basis,
            "assumed_years": list(self.assumed_years),
            "warning": self.warning,
        }


def parse_start(text: str, tz: dt.tzinfo) -> dt.datetime:
    """An ISO-8601 instant; a naive one is read in ``tz`` (the calendar's zone)."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise DomainError(
            _("Not an ISO-8601 date and time: %(value)s") % {"value": text}, field="from"
        ) from exc
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def due_time(
    *,
    start: str | dt.datetime,
    calendar_name: str | None = None,
    working_days: int | None = None,
    business_hours: float | None = None,
    days: int | None = None,
) -> DueResult:
    """When something started at ``start`` is due; exactly one of the three amounts.

    * ``working_days``: close of business on the N-th working day after the start's date
      (the starting day is not counted; PRC Civil Code art. 201, 203);
    * ``business_hours``: that much open time on the calendar (lunch breaks, nights,
      holidays do not count);
    * ``days``: close of business on the N-th calendar day, moved to the next working day if
      closed.
    """
    given = {
        Basis.WORKING_DAYS: working_days,
        Basis.BUSINESS_HOURS: business_hours,
        Basis.DAYS: days,
    }
    chosen = [(basis, amount) for basis, amount in given.items() if amount is not None]
    if len(chosen) != 1:
        raise DomainError(
            _("Give exactly one of working days, business hours or days."), code="invalid"
        )
    basis, amount = chosen[0]
    calendar = domain_calendar(name=calendar_name)
    begin = parse_start(start, calendar.tz) if isinstance(start, str) else start
    if begin.tzinfo is None:
        begin = begin.replace(tzinfo=calendar.tz)
    try:
        if basis == Basis.WORKING_DAYS:
            due = calendar.add_business_days(begin, int(amount))
        elif basis == Basis.BUSINESS_HOURS:
            if amount < 0:
                raise domain.CalendarError(_("Business hours must not be negative."))
            due = calendar.add_business_time(begin, dt.timedelta(hours=float(amount)))
        else:
            due = calendar.add_calendar_days(begin, int(amount))
    except domain.CalendarError as exc:
        raise DomainError(str(exc), field=basis) from exc
    assumed = tuple(sorted(calendar.years_without_holiday_data(begin, due)))
    return DueResult(
        due=calendar.local(due),
        start=calendar.local(begin),
        calendar=calendar.name,
        basis=basis,
        amount=float(amount),
        assumed_years=assumed,
        warning=_assumed_warning(assumed),
    )


def _assumed_warning(years: tuple[int, ...]) -> str | None:
    if not years:
        return None
    return _(
        "No statutory holiday data for %(years)s: every weekday was assumed to be a working "
        "day. Enter that year's holidays and make-up days (Calendar dates, Entered years)."
    ) % {"years": ", ".join(str(y) for y in years)}


# ------------------------------------------------------------------------- the page
DAY_KIND_LABELS = {
    domain.DayKind.WORKDAY: gettext_lazy("Working day"),
    domain.DayKind.REST_DAY: gettext_lazy("Rest day"),
    domain.DayKind.HOLIDAY: gettext_lazy("Statutory holiday"),
    domain.DayKind.MAKEUP_WORKDAY: gettext_lazy("Make-up working day (调休)"),
    domain.DayKind.CLOSED: gettext_lazy("Closed (entered)"),
    domain.DayKind.OPEN: gettext_lazy("Open (entered)"),
}


@dataclass(frozen=True)
class DayLine:
    day: dt.date
    kind: str
    holiday: str | None
    periods: str
    assumed: bool

    @property
    def is_makeup(self) -> bool:
        return self.kind == domain.DayKind.MAKEUP_WORKDAY

    @property
    def is_open(self) -> bool:
        return bool(self.periods)

    @property
    def kind_label(self) -> str:
        return str(DAY_KIND_LABELS[domain.DayKind(self.kind)])


#: The descriptions of the calendars shipped by the migrations, in the reader's language; a
#: description a manager typed is shown as typed.
SHIPPED_LABELS = {
    "Standard office hours: Mon–Fri 08:30–12:00, 13:30–17:30, China holidays": gettext_lazy(
        "Standard office hours: Mon–Fri 08:30–12:00, 13:30–17:30, China holidays"
    ),
    "24/7: every day 00:00–24:00, no holidays": gettext_lazy(
        "24/7: every day 00:00–24:00, no holidays"
    ),
    "Call centre: every day 08:00–22:00, open on holidays": gettext_lazy(
        "Call centre: every day 08:00–22:00, open on holidays"
    ),
}


def calendar_label(label: str) -> str:
    """A calendar's description: a shipped one translated, one typed by a manager as is."""
    return str(SHIPPED_LABELS.get(label, label))


@dataclass(frozen=True)
class CalendarView:
    name: str
    label: str
    time_zone: str
    china_holidays: bool
    is_default: bool
    week: tuple[tuple[str, str], ...]  # (weekday label, "08:30-12:00, 13:30-17:30")
    days: tuple[DayLine, ...]
    teams: tuple[str, ...]


def calendar_views(*, start: dt.date | None = None, days: int = 30) -> list[CalendarView]:
    """Each calendar's week and its next ``days`` dates with their kind, for the page."""
    from yuqi.calendars.choices import Weekday

    first = start or local_today()
    shared = _shared_rows()
    views = []
    for row in calendar_rows():
        calendar = build_calendar(row, shared=shared)
        week = tuple(
            (str(label), ", ".join(str(p) for p in calendar.weekly[value]) or "—")
            for value, label in Weekday.choices
        )
        lines = []
        for offset in range(days):
            info = calendar.day_info(first + dt.timedelta(days=offset))
            lines.append(
                DayLine(
                    day=info.day,
                    kind=str(info.kind),
                    holiday=info.chinese_name,
                    periods=", ".join(str(p) for p in info.periods),
                    assumed=info.assumed,
                )
            )
        views.append(
            CalendarView(
                name=row.name,
                label=calendar_label(row.label),
                time_zone=row.time_zone,
                china_holidays=row.china_holidays,
                is_default=row.is_default,
                week=week,
                days=tuple(lines),
                teams=tuple(str(mapping.team) for mapping in row.teams.all()),
            )
        )
    return views
