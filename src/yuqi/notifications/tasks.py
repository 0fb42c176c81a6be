from __future__ import annotations

from django.tasks import task

from yuqi.notifications.services import messages_deliver_stale


@task
def deliver_queued_messages() -> str:
    """Send messages whose after-commit delivery never ran (the process stopped first)."""
    return f"sent {messages_deliver_stale()} queued messages"
