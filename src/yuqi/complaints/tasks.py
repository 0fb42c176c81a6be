"""Background jobs of the complaints context; they only call services (logic lives there)."""

from __future__ import annotations

from django.tasks import task

from yuqi.complaints.alerts import sla_alerts_sweep
from yuqi.complaints.services import complaints_recompute_open_clocks


@task
def sweep_sla_alerts() -> str:
    """Every 5 minutes (``core.schedule.PERIODIC_JOBS``): send due at-risk/breach alerts once."""
    result = sla_alerts_sweep()
    return f"examined {result.examined}, sent {result.sent}, deferred {result.deferred}"


@task
def recompute_open_clocks(cause: str = "calendar_changed") -> str:
    """Recompute every open ticket's clocks (a business calendar changed)."""
    count = complaints_recompute_open_clocks(cause=cause)
    return f"recomputed {count} tickets"
