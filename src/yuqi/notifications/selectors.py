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
