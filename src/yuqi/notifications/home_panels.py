"""My unread alerts on my home page (``core.panels``, page ``home``): SLA alerts, promise
reminders and approval outcomes sent to me (``notify_users``) that I have not marked read, the
newest first, with a link to the alert list (the top bar's bell) where they are read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yuqi.core.panels import Panel
from yuqi.notifications.selectors import alerts_for, unread_alert_count

LIMIT = 5


def home_my_alerts(user_id: int, user: Any) -> Panel | None:
    """Provider for ``home``: None when nothing is unread (the bell says 0 too)."""
    if not (user and user.is_authenticated):
        return None
    unread = unread_alert_count(user_id)
    if not unread:
        return None
    latest = list(alerts_for(user_id).filter(read_at__isnull=True)[:LIMIT])
    context = {"alerts": latest, "total": unread, "list_url": reverse("notifications:alerts")}
    return Panel("notifications/panels/home_my_alerts.html", context, order=18)
