"""The missing-holiday-data warning on the home page, registered from ``apps.py``
``ready()`` (``core.panels``, page ``home``), so the kernel's home view does not import
``calendars``."""

from __future__ import annotations

from typing import Any

from yuqi.calendars.facade import missing_years_warning
from yuqi.core.panels import Panel

PERMISSION = "calendars.change_businesscalendar"


def home_missing_years(user_id: int, user: Any) -> Panel | None:
    """Provider for ``home``: for those who may edit calendars, a warning when the coming
    year's holidays are not entered yet; ``None`` otherwise."""
    if not user.has_perm(PERMISSION):
        return None
    warning = missing_years_warning()
    if not warning:
        return None
    return Panel("calendars/panels/home_warning.html", {"warning": warning}, order=10)
