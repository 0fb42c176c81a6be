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


@task
def sweep_book_alerts() -> str:
    """Every 5 minutes: contact-clock, high-risk and regulator-appeal alerts, each once."""
    from yuqi.complaints.book_alerts import book_alerts_sweep

    result = book_alerts_sweep()
    return (
        f"contact warnings {result.contact_warnings}, lapses {result.contact_lapses}, "
        f"risk {result.risk_alerts}, appeals {result.appeal_alerts}"
    )


@task
def fill_met_targets() -> str:
    """Every hour: the stored target of met clocks stopped before it was stored (an upgrade's
    old rows; nothing to do afterwards but one indexed look-up)."""
    from yuqi.complaints.clocks import fill_met_targets as fill

    return f"filled {fill()} met clocks' targets"
