"""Settings → Business calendars: a calendar with its periods, dates, entered years and teams;
calendar dates and entered years also on their own (rows for every calendar have none)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from yuqi.calendars.models import (
    BusinessCalendar,
    CalendarDate,
    EnteredYear,
    TeamCalendar,
    WorkingPeriod,
)
from yuqi.calendars.services import business_calendar_save
from yuqi.calendars.validation import period_error


class WorkingPeriodFormSet(forms.BaseInlineFormSet):
    """No two periods of one weekday may overlap (checked across the whole formset)."""

    def clean(self) -> None:
        super().clean()
        seen: dict[int, list[tuple[Any, Any]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("start") is None:
                continue
            if data.get("end") is None or data.get("weekday") is None:
                continue
            day = seen.setdefault(int(data["weekday"]), [])
            error = period_error(data["start"], data["end"], day)
            if error:
                raise ValidationError(error)
            day.append((data["start"], data["end"]))


class WorkingPeriodInline(admin.TabularInline):
    model = WorkingPeriod
    formset = WorkingPeriodFormSet
    extra = 1


class CalendarDateInline(admin.TabularInline):
    model = CalendarDate
    fields = ("date", "kind", "note")
    extra = 0


class EnteredYearInline(admin.TabularInline):
    model = EnteredYear
    fields = ("year", "note")
    extra = 0


class TeamCalendarInline(admin.TabularInline):
    model = TeamCalendar
    fields = ("team",)
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "label", "time_zone", "china_holidays", "is_default")
    inlines = (WorkingPeriodInline, CalendarDateInline, EnteredYearInline, TeamCalendarInline)

    def save_model(self, request: Any, obj: BusinessCalendar, form: Any, change: bool) -> None:
        business_calendar_save(calendar=obj)

    def has_delete_permission(self, request: Any, obj: BusinessCalendar | None = None) -> bool:
        if obj is not None and obj.is_default:
            return False  # exactly one default: make another the default first
        return super().has_delete_permission(request, obj)


@admin.register(CalendarDate)
class CalendarDateAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "calendar", "note")
    list_filter = ("kind", "calendar")
    date_hierarchy = "date"


@admin.register(EnteredYear)
class EnteredYearAdmin(admin.ModelAdmin):
    list_display = ("year", "calendar", "note")
