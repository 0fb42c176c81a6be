"""The alerts sent to me, on my home page (``core.panels``, page ``home``): SLA alerts,
promise reminders and approval requests are e-mailed to staff (``notify_users``); the home
page lists those of the last seven days, newest first, so an agent who does not watch their
mailbox still sees them. (No read/unread state is kept: the list is what was sent.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from yuqi.core.clock import now
from yuqi.core.panels import Panel
from yuqi.notifications.models import OutboundMessage

DAYS = 7
LIMIT = 8


def home_my_alerts(user_id: int, user: Any) -> Panel | None:
    if not (user and user.is_authenticated):
        return None
    at = now()
    rows = OutboundMessage.objects.filter(
        user_id=user_id, created_at__gte=at - timedelta(days=DAYS)
    ).order_by("-created_at", "-pk")
    alerts = list(rows.only("subject", "template", "created_at")[:LIMIT])
    if not alerts:
        return None
    context = {
        "alerts": alerts,
        "total": rows.count(),
        "last_day": sum(1 for a in alerts if a.created_at >= at - timedelta(days=1)),
        "days": DAYS,
    }
    return Panel("notifications/panels/home_my_alerts.html", context, order=18)
