"""``{% playbook_steps entry %}``: the steps of one playbook on the ticket page
(``complaints/book/playbook.html``): a ticked step with its time, an open one as a tick button
(for a user who may work the open ticket) or a grey circle.

Each step was a dozen parts through the template engine (a form, its CSRF field, the step's
code, id and label), and a ticket's playbooks have half a dozen steps or more; the tag writes
the same markup (escaped and localised as the template's variables were; the former loop is
kept in ``tests/complaints/test_playbook_steps.py``, which compares the two) in one pass.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from yuqi.core.template_values import minute, shown

register = template.Library()


def csrf_input(context: template.Context) -> str:
    """What ``{% csrf_token %}`` draws in ``context`` (``CsrfTokenNode.render``, its
    warning for a missing token aside)."""
    token = context.get("csrf_token")
    if not token:
        return ""
    if token == "NOTPROVIDED":
        return format_html("")  # as the tag does (an error since Django 6)
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def playbook_steps(context: template.Context, entry: dict[str, Any]) -> SafeString:
    tickable = context.get("may_work") and context.get("is_open")
    form_head = ""  # the tick form's opening, drawn for the first open step
    parts = []
    for item in entry["steps"]:
        step = item["step"]
        label = shown(step.label)
        if item["done_at"]:
            body = f'✔ {label} <span class="muted">{shown(minute(item["done_at"]))}</span>'
        elif tickable:
            if not form_head:
                form_head = (
                    f'<form method="post" hx-post="{shown(context.get("ticket_post_url", ""))}" '
                    f'hx-target="#ticket" hx-swap="outerHTML" class="inline">{csrf_input(context)}'
                    '<input type="hidden" name="action" value="book_tick">'
                )
            body = (
                f"\n      {form_head}"
                f'<input type="hidden" name="step" value="{shown(step.pk)}">'
                '<button type="submit" class="link" '
                f'data-tick="{shown(entry["book"].code)}-{shown(step.code)}">'
                f"○ {label}</button></form>"
            )
        else:
            body = f'\n      <span class="muted">○</span> {label}'
        parts.append(f'\n    <li data-step="{shown(step.code)}">{body}</li>\n  ')
    return mark_safe("".join(parts))  # every value is escaped by shown() or format_html
