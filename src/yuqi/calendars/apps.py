from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "yuqi.calendars"
    label = "calendars"
    verbose_name = _("Business calendars")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.calendars import models, signals

        for model in (
            models.BusinessCalendar,
            models.WorkingPeriod,
            models.CalendarDate,
            models.EnteredYear,
            models.TeamCalendar,
        ):
            auditlog.register(model)
        signals.connect()

        from yuqi.calendars.panels import home_missing_years
        from yuqi.core.panels import register_panel

        register_panel("home", "missing-holiday-years", home_missing_years)
