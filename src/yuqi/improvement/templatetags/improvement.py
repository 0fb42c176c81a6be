"""``{% evaluation_actions code as ea %}``: an expectation's open and verified actions, for the
evaluation table's row; ``{% evaluation_action_row snap columns %}`` draws that row. The
actions of every row are read once per request (two queries), the permission checked once per
request and the action's address reversed once per request, not once per row."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.core.id_links import id_link
from yuqi.core.template_values import shown
from yuqi.improvement.selectors import ExpectationActions, actions_for_expectations

register = template.Library()

PERMISSION = "improvement.view_improvementaction"
_MEMO = "_improvement_evaluation_actions"
#: The request's (user, may see the actions).
_ALLOWED = "_improvement_evaluation_allowed"


def _allowed(context: Any) -> bool:
    """``user.has_perm(PERMISSION)``, asked once per request and user (the table asked it
    on each of its rows)."""
    user = context.get("user")
    if user is None:
        return False
    request = context.get("request")
    known = getattr(request, _ALLOWED, None) if request is not None else None
    if known is not None and known[0] is user:
        return bool(known[1])
    allowed = bool(user.has_perm(PERMISSION))
    if request is not None:
        setattr(request, _ALLOWED, (user, allowed))
    return allowed


@register.simple_tag(takes_context=True)
def evaluation_actions(context: Any, code: str) -> ExpectationActions | None:
    if not _allowed(context):
        return None
    request = context.get("request")
    memo = getattr(request, _MEMO, None) if request is not None else None
    if memo is None:
        codes = [snap.code for _row, snap in context.get("lines") or []] or [code]
        memo = actions_for_expectations(codes)
        if request is not None:
            setattr(request, _MEMO, memo)
    return memo.get(code)


@register.simple_tag(takes_context=True)
def evaluation_action_row(context: Any, snap: Any, columns: int) -> SafeString:
    """``improvement/partials/evaluation_row.html`` for the evaluation table's row ``snap``
    (spanning ``columns``), written in one pass instead of an included template per row:
    the same HTML (``tests/improvement/test_evaluation_action_row.py`` compares the two)."""
    found = evaluation_actions(context, snap.code)
    if not found:
        return mark_safe("\n")
    link = id_link(context, "improvement:detail")

    def v(value: Any) -> str:  # {{ value }}
        if context.autoescape:
            return shown(value)
        return str(render_value_in_context(value, context))

    parts = [
        f'<tr class="ia-eval-row" data-for="{v(snap.code)}"><td colspan="{v(columns)}">'
        f"<strong>{v(gettext('Improvement actions'))}:</strong>\n"
    ]
    for position, action in enumerate(found.open, start=1):
        parts.append(
            f'<a href="{link(action.pk)}" class="ia-open">{v(action.number)} {v(action.title)}</a> '
            f'<span class="badge muted">{v(action.get_status_display())}</span>'
        )
        if position < len(found.open):
            parts.append(" · ")
    parts.append("\n")
    for position, (action, check) in enumerate(found.verified, start=1):
        if position == 1 and found.open:
            parts.append(" | ")
        badge = "action-0" if action.outcome == "effective" else "muted"
        parts.append(
            f'<a href="{link(action.pk)}" class="ia-verified">{v(action.number)}</a> '
            f'<span class="badge {badge}">{v(action.get_outcome_display())}</span>'
        )
        if check and check.difference is not None:
            parts.append(
                f' <small class="muted">{v(gettext("verified"))}: '
                f"{v(floatformat(check.value_before, 1))} → {v(floatformat(check.value_after, 1))}"
                f" (95% {v(gettext('interval'))} {v(floatformat(check.low, 1))} – "
                f"{v(floatformat(check.high, 1))})</small>"
            )
        if position < len(found.verified):
            parts.append(" · ")
    parts.append("\n</td></tr>\n")
    return mark_safe("".join(parts))  # every value escaped above
