"""Periodic work: alert the owners of overdue improvement actions."""

from __future__ import annotations

from django.tasks import task


@task
def alert_overdue_actions() -> str:
    """Alert the owner of each open action past its due date (once per due date)."""
    from yuqi.improvement.services import overdue_alerts

    return f"{overdue_alerts()} overdue improvement actions alerted"
