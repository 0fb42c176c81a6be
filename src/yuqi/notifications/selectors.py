"""Reads of the notifications context."""

from __future__ import annotations

from django.db.models import QuerySet

from yuqi.core.compiled_reads import CompiledRead, counted
from yuqi.notifications.choices import ChannelName, MessageStatus
from yuqi.notifications.models import OutboundMessage


def message_rows(*, status: str = "", channel: str = "", ref: str = "") -> QuerySet:
    """The message log, newest first, filtered by status, channel and reference prefix
    (``complaint:`` for all complaints, ``complaint:42`` for one)."""
    rows = OutboundMessage.objects.defer("address").order_by("-created_at", "-pk")
    if status in MessageStatus.values:
        rows = rows.filter(status=status)
    if channel in ChannelName.values:
        rows = rows.filter(channel=channel)
    if ref:
        rows = rows.filter(subject_ref__startswith=ref.strip())
    return rows


def alerts_for(user_id: int) -> QuerySet:
    """In-app alerts: every message logged for this user (SLA alerts, promise reminders and
    rejections…), newest first, whether or not the e-mail could be delivered."""
    return (
        OutboundMessage.objects.filter(user_id=user_id)
        .defer("address")
        .order_by("-created_at", "-pk")
    )


#: The bell is on every page: its count is compiled once.
_UNREAD_READ = CompiledRead(
    lambda *, user_id: counted(
        OutboundMessage.objects.filter(user_id=user_id, read_at__isnull=True)
    ),
    model=OutboundMessage,
    user_id=OutboundMessage._meta.get_field("user_id"),
)


def unread_alert_count(user_id: int) -> int:
    """The bell's number (one indexed count)."""
    return _UNREAD_READ.rows(user_id=user_id)[0]["n"]
