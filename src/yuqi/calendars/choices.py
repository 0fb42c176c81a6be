"""Choice sets of the calendars context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DateKind(models.TextChoices):
    """An entered date either closes a day that would be open, or opens one that would not."""

    CLOSED = "closed", _("Closed (holiday or local closure)")
    OPEN = "open", _("Open (make-up working day)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
