"""``{% timeline_items timeline %}``: the ticket page's timeline, every line in one pass.

A closed ticket has a dozen events or more, each line five values, a filter and a condition
through the template engine; the tag writes the same markup (escaped and localised as the
template's variables were, :mod:`yuqi.core.template_values`; the former loop is kept in
``tests/complaints/test_ticket_lines.py``, which compares the two). Event texts may hold
customer-typed text: every value is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from yuqi.complaints.presenters import TimelineLine
from yuqi.core.template_values import minute, shown

register = template.Library()


@register.simple_tag
def timeline_items(lines: Iterable[TimelineLine]) -> SafeString:
    """The ``<li>`` of each line, as ``complaints/partials/ticket.html``'s loop drew them."""
    parts = []
    for line in lines:
        by = f' <span class="muted">· {shown(line.by)}</span>' if line.by else ""
        parts.append(
            f'\n    <li data-kind="{shown(line.kind)}"><time>{shown(minute(line.at))}</time> '
            f"<strong>{shown(line.label)}</strong> {shown(line.text)}{by}</li>\n  "
        )
    return mark_safe("".join(parts))  # every value escaped by shown
