"""Checks on working periods shared by the model, the admin formset and the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

MIDNIGHT = dt.time(0)


def minutes(t: dt.time, *, end: bool = False) -> int:
    """Minutes after midnight; an end of 00:00 counts as 24:00."""
    if end and t == MIDNIGHT:
        return 24 * 60
    return t.hour * 60 + t.minute


def period_error(
    start: dt.time, end: dt.time, others: Iterable[tuple[dt.time, dt.time]] = ()
) -> str | None:
    """Why a period cannot be stored (start not before end, or overlap), or None."""
    begin, finish = minutes(start), minutes(end, end=True)
    if begin >= finish:
        return _("A working period must end after it starts (00:00 as the end means 24:00).")
    for other_start, other_end in others:
        if begin < minutes(other_end, end=True) and minutes(other_start) < finish:
            return _("Working periods of the same day must not overlap (%(a)s and %(b)s).") % {
                "a": _span(start, end),
                "b": _span(other_start, other_end),
            }
    return None


def _span(start: dt.time, end: dt.time) -> str:
    last = "24:00" if end == MIDNIGHT else f"{end:%H:%M}"
    return f"{start:%H:%M}-{last}"
