"""Periodic sweeps of the promise ledger (declared in ``yuqi.core.schedule.PERIODIC_JOBS``)."""

from __future__ import annotations

from django.tasks import task

from yuqi.commitments.services import commitments_break_overdue, commitments_remind_due


@task
def remind_due_commitments() -> str:
    """Remind promisers before their promises fall due (each promise at most once per due)."""
    return f"sent {commitments_remind_due()} promise reminders"


@task
def break_overdue_commitments() -> str:
    """Mark live promises past their due time broken; alert; raise the customer's risk."""
    return f"marked {commitments_break_overdue()} promises broken"
