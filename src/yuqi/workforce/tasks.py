"""Background jobs of the workforce context; they only call services."""

from __future__ import annotations

from django.tasks import task

from yuqi.workforce import services


@task
def plan_roster(roster_id: int) -> str:
    """Plan the shifts and place the agents of a queued roster (``services.fill_roster``)."""
    roster = services.fill_roster(roster_id)
    return f"roster {roster_id}: {roster.job_state}"


@task
def refresh_agent_time() -> str:
    """Every minute: the agent-time rollup of the days whose agent states were written,
    changed or deleted since the last refresh; planner statistics after a large rebuild."""
    from yuqi.workforce.rollups import agent_time_refresh, analyze_agent_time

    result = agent_time_refresh()
    if result.full or result.rows >= 10_000:
        analyze_agent_time()
    return f"rolled up {result.days} days into {result.rows} agent-time slots"


@task
def refresh_adherence() -> str:
    """Every five minutes: the adherence of the periods whose shifts may still be running that the
    pages read (``yuqi.workforce.adherence_store``)."""
    from yuqi.workforce.services import adherence_refresh

    return f"adherence of {adherence_refresh()} periods stored"
