"""Reads of the notifications context."""

from __future__ import annotations

from django.db.models import QuerySet

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


def unread_alert_count(user_id: int) -> int:
    """The bell's number (one indexed count)."""
    return OutboundMessage.objects.filter(user_id=user_id, read_at__isnull=True).count()
