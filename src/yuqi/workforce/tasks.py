"""Background jobs of the workforce context; they only call services."""

from __future__ import annotations

from django.tasks import task

from yuqi.workforce import services


@task
def plan_roster(roster_id: int) -> str:
    """Plan the shifts and place the agents of a queued roster (``services.fill_roster``)."""
    roster = services.fill_roster(roster_id)
    return f"roster {roster_id}: {roster.job_state}"
