"""Badges for promise status and approval, one colour source for list, page and panel."""

from __future__ import annotations

from django import template

register = template.Library()

STATUS_BADGE = {
    "open": "",
    "renegotiated": "action-1",
    "fulfilled": "action-0",
    "broken": "action-2",
    "cancelled": "muted",
}
APPROVAL_BADGE = {
    "pending": "vip",
    "rejected": "action-2",
    "lapsed": "action-2",
    "approved": "action-0",
}


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "")


@register.filter
def approval_badge(state: str) -> str:
    return APPROVAL_BADGE.get(state, "muted")
