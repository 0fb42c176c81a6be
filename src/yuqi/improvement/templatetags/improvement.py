"""``{% evaluation_actions code as ea %}``: an expectation's open and verified actions, for the
evaluation table's row. The actions of every row are read once per request (two queries)."""

from __future__ import annotations

from typing import Any

from django import template

from yuqi.improvement.selectors import ExpectationActions, actions_for_expectations

register = template.Library()

_MEMO = "_improvement_evaluation_actions"


@register.simple_tag(takes_context=True)
def evaluation_actions(context: Any, code: str) -> ExpectationActions | None:
    user = context.get("user")
    if user is None or not user.has_perm("improvement.view_improvementaction"):
        return None
    request = context.get("request")
    memo = getattr(request, _MEMO, None) if request is not None else None
    if memo is None:
        codes = [snap.code for _row, snap in context.get("lines") or []] or [code]
        memo = actions_for_expectations(codes)
        if request is not None:
            setattr(request, _MEMO, memo)
    return memo.get(code)
