"""Stored business calendars; :mod:`yuqi.domain.calendar` does the arithmetic on them.

A working period's end of ``00:00`` means 24:00 (the end of the day), as in the domain module:
a time column cannot hold 24:00, and a period never crosses midnight.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuqi.calendars.choices import DateKind, Weekday
from yuqi.calendars.validation import period_error


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})


class BusinessCalendar(models.Model):
    """A named weekly schedule; exactly one is the default (used when nothing else applies)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=120, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=60, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    china_holidays = models.BooleanField(
        _("China's statutory holidays"),
        default=True,
        help_text=_("Close on statutory holidays and open on 调休 make-up working days."),
    )
    is_default = models.BooleanField(_("default calendar"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="calendars_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.is_default or self.pk is None:
            return
        if BusinessCalendar.objects.filter(pk=self.pk, is_default=True).exists():
            raise ValidationError(
                {"is_default": _("Make another calendar the default instead; one must be.")}
            )


class WorkingPeriod(models.Model):
    """One open period of a weekday in local wall time; several per day for lunch breaks."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("calendar"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"), help_text=_("00:00 means 24:00, the end of the day."))

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        ordering = ["calendar", "weekday", "start"]

    def __str__(self) -> str:
        end = "24:00" if self.end.hour == 0 and self.end.minute == 0 else f"{self.end:%H:%M}"
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{end}"

    def clean(self) -> None:
        """Start before end; overlaps with the other periods of the day are checked where all
        of them are edited together (the admin's inline formset)."""
        if self.start is None or self.end is None:
            return
        error = period_error(self.start, self.end)
        if error:
            raise ValidationError(error)


class CalendarDate(models.Model):
    """A date entered by hand: a local closure, or a statutory holiday / 调休 day of a year
    that ``chinese_calendar`` does not know yet. Without a calendar it applies to all."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dates",
        verbose_name=_("calendar"),
        help_text=_("Blank: applies to every calendar."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DateKind.choices)
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("calendar date")
        verbose_name_plural = _("calendar dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                condition=Q(calendar__isnull=False),
                name="calendars_date_unique_per_calendar",
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(calendar__isnull=True),
                name="calendars_date_unique_for_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class EnteredYear(models.Model):
    """This year's State Council schedule has been entered by hand as calendar dates, so the
    year's weekdays are no longer an assumption."""

    year = models.PositiveSmallIntegerField(_("year"))
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entered_years",
        verbose_name=_("calendar"),
        help_text=_("Blank: applies to every calendar."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("entered year")
        verbose_name_plural = _("entered years")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "year"],
                condition=Q(calendar__isnull=False),
                name="calendars_year_unique_per_calendar",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(calendar__isnull=True),
                name="calendars_year_unique_for_all",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class TeamCalendar(models.Model):
    """Which calendar a team works on (teams without a row use the default calendar)."""

    team = models.OneToOneField(
        "interactions.Team",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("team"),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="teams",
        verbose_name=_("calendar"),
    )

    class Meta:
        verbose_name = _("team calendar")
        verbose_name_plural = _("team calendars")

    def __str__(self) -> str:
        return f"{self.team_id} → {self.calendar_id}"


class CalendarsVersion(models.Model):
    """One row whose token is drawn anew with every saved or deleted calendar row (calendar,
    period, date, entered year, team mapping), in the same transaction as the change.

    Server processes keep the built calendars between requests keyed on this token
    (:mod:`yuqi.calendars.facade`): one small read per page instead of six, and a change is
    seen by every process on its next request. Not a business record (nothing to audit).
    """

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("calendars version")

    def __str__(self) -> str:
        return str(self.token)
