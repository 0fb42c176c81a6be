"""Background jobs of the interactions context; they only call services."""

from __future__ import annotations

from django.tasks import task

from yuqi.interactions.derived import analyze_contacts, contacts_derive


@task
def derive_contact_columns() -> str:
    """Every minute: the derived KPI columns of contacts written since the last run (so KPI
    pages rarely find any pending); planner statistics after a large batch."""
    count = contacts_derive()
    if count >= 10_000:
        analyze_contacts()
    return f"derived {count} contacts"


@task
def refresh_kpi_rollups() -> str:
    """Every minute: the KPI rollups of the days whose contacts were written, changed or
    deleted since the last refresh; planner statistics after a large rebuild."""
    from yuqi.interactions.rollups import analyze_rollups, rollups_refresh

    result = rollups_refresh()
    if result.full or result.rows >= 10_000:
        analyze_rollups()
    return f"rolled up {result.days} days into {result.rows} rows"
