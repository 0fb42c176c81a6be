"""Values printed as the templates print them, for the tags that write a panel's markup in
Python (one pass instead of a node per value) and for the ``minute``/``day`` filters.

``shown(value)`` is ``{{ value }}``: localised (a date or number as the language writes it),
then escaped unless marked safe. ``minute(value)`` is ``{{ value|date:"Y-m-d H:i" }}`` and
``day(value)`` ``{{ value|date:"Y-m-d" }}``: Django's ``date`` filter reads the format through
its lazily compiled patterns and a formatter object, some 20 µs a value, where these formats
name no localised part and are written out directly (anything but a ``datetime`` or ``date``
goes to Django's filter, so a blank value still prints nothing).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs


def shown(value: Any) -> str:
    """``{{ value }}`` in a template with autoescaping on."""
    if type(value) is str:
        return html.escape(value)  # what conditional_escape does to a plain string
    return conditional_escape(localize(template_localtime(value)))


def minute(value: Any) -> str:
    """``value|date:"Y-m-d H:i"`` (an aware time in the current time zone, as the template
    engine hands it to the filter)."""
    if type(value) is dt.datetime:
        t = template_localtime(value)
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
    return date_filter(template_localtime(value), "Y-m-d H:i")


def day(value: Any) -> str:
    """``value|date:"Y-m-d"``."""
    if type(value) is dt.date or type(value) is dt.datetime:
        t = template_localtime(value)
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d}"
    return date_filter(template_localtime(value), "Y-m-d")
