"""The ticket page's lists, each drawn in one pass: ``{% timeline_items timeline %}``,
``{% sent_items sent %}`` (messages sent), ``{% promise_items promises %}`` and ``{%
checklist_items checklist tickable %}`` (the expectation checklist, as boxes to tick or as
marks).

A closed ticket has a dozen events or more, each line five values, a filter and a condition
through the template engine; these tags write the same markup (escaped and localised as the
template's variables were, :mod:`yuqi.core.template_values`; the former loops are kept in
``tests/complaints/test_ticket_lines.py``, which compares the two). Event texts, promises and
message subjects may hold customer-typed text: every value is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.complaints.presenters import TimelineLine
from yuqi.core.template_values import minute, shown
from yuqi.core.templatetags.badges import badge

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


@register.simple_tag
def sent_items(messages: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each message sent (``notifications.facade.SentMessage``), or the line
    saying there is none."""
    parts = [
        f"\n    <li><time>{shown(minute(m.sent_at or m.created_at))}</time> "
        f'<span class="badge muted">{shown(m.channel_label)}</span> '
        f'{shown(m.subject or m.template)} <span class="muted">{shown(m.recipient)} · '
        f"{shown(m.status_label)}</span></li>\n  "
        for m in messages
    ]
    if not parts:
        return mark_safe(f'<li class="muted">{shown(gettext("No messages sent yet."))}</li>')
    return mark_safe("".join(parts))  # every value escaped by shown or badge


@register.simple_tag
def promise_items(promises: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each promise (``commitments.facade.CommitmentLine``), or the line
    saying there is none."""
    due = None
    parts = []
    for p in promises:
        if due is None:
            due = gettext("due")
        parts.append(
            f"\n    <li>{badge(p.status, 'commitments.CommitmentStatus')} "
            f'{shown(p.kind_label)} · {shown(p.text)} <span class="muted">{shown(due)} '
            f"{shown(minute(p.due_at))} · {shown(p.promised_by)}</span></li>\n  "
        )
    if not parts:
        return mark_safe(f'<li class="muted">{shown(gettext("No promises on this ticket."))}</li>')
    return mark_safe("".join(parts))  # every value escaped by shown or badge


@register.simple_tag
def checklist_items(items: Iterable[dict[str, Any]], tickable: bool) -> SafeString:
    """The checklist's ``<li>``: a box per item to tick (``tickable``) or a mark."""
    if tickable:
        return mark_safe(
            "".join(
                f'<li><label><input type="checkbox" name="{shown(item["code"])}"'
                f"{' checked' if item['done'] else ''}> {shown(item['label'])}</label></li>"
                for item in items
            )
        )
    return mark_safe(
        "".join(
            f"<li>{'✔' if item['done'] else '<span class="muted">○</span>'} "
            f"{shown(item['label'])}</li>"
            for item in items
        )
    )
