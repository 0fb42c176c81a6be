"""``{% contact_timeline lines may_open_complaint %}``: the customer 360's recent contacts as
the items of its ``<ol class="timeline">``.

Up to 30 contacts of a dozen parts each, through the template engine, were a good part of the
360's drawing. This tag writes the same markup (escaped and localised as the template's
variables were; the former loop is kept in ``tests/interactions/test_contact_timeline.py``,
which compares the two) in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext

from yuqi.interactions.facade import ContactLine

register = template.Library()


def _v(value: Any) -> str:
    """A value as ``{{ value }}`` prints it: localised, then escaped."""
    return conditional_escape(str(localize(value)))


def _item(line: ContactLine, may_open_complaint: Any, new_url: str) -> str:
    arrived = conditional_escape(date_filter(localtime(line.arrived_at), "Y-m-d H:i"))
    queue = f"<span>{_v(line.queue)}</span>" if line.queue else ""
    category = f"<strong>{_v(line.category)}</strong>" if line.category else ""
    if line.abandoned:
        gave_up = gettext("gave up after %(s)s s") % {"s": _v(line.wait_seconds)}
        wait = f'<span class="warn">{gave_up}</span>\n      '
    else:
        waited = gettext("waited %(w)s s, handled in %(h)s s") % {
            "w": _v(line.wait_seconds),
            "h": _v(line.handle_seconds),
        }
        agent = f'<span class="muted">· {_v(line.agent)}</span>' if line.agent else ""
        transferred = (
            f'<span class="badge muted">{gettext("transferred")}</span>' if line.transferred else ""
        )
        if line.first_contact_resolved is True:
            resolved = f'<span class="badge">{gettext("resolved first time")}</span>'
        elif line.first_contact_resolved is False:
            resolved = f'<span class="badge muted">{gettext("not resolved")}</span>'
        else:
            resolved = ""
        wait = (
            f'<span class="muted">{waited}</span>\n        {agent}\n        {transferred}\n'
            f"        {resolved}\n      "
        )
    outcome = (
        f'<span class="badge muted">{_v(line.outcome_label)}</span>' if line.outcome_label else ""
    )
    if line.complaint_number:
        url = conditional_escape(reverse("complaints:detail", args=[line.complaint_number]))
        complaint = f'<a href="{url}">→ {_v(line.complaint_number)}</a>\n      '
    elif may_open_complaint and not line.abandoned:
        complaint = (
            f'<a class="open-complaint" href="{new_url}?contact={_v(line.id)}">'
            f"{gettext('Open a complaint from this contact')}</a>"
        )
    else:
        complaint = ""
    notes = (
        f'<div class="contact-notes muted">{_v(Truncator(line.notes).chars(200))}</div>'
        if line.notes
        else ""
    )
    return (
        f'\n    <li class="{"abandoned" if line.abandoned else ""}">\n'
        f"      <time>{arrived}</time>\n"
        f'      <span class="badge">{_v(line.channel_label)}</span>\n'
        f"      {queue}\n"
        f"      {category}\n"
        f"      {wait}\n"
        f"      {outcome}\n"
        f"      {complaint}\n"
        f"      {notes}\n"
        "    </li>\n    "
    )


@register.simple_tag
def contact_timeline(lines: Iterable[ContactLine], may_open_complaint: Any = False) -> SafeString:
    new_url = conditional_escape(reverse("complaints:new"))
    return mark_safe(  # every value is escaped by _v or conditional_escape
        "".join(_item(line, may_open_complaint, new_url) for line in lines)
    )
