"""Background work: the automatic checks, hourly (registered in ``apps.py``)."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from yuqi.core.clock import now


@task
def run_automatic_checks() -> dict[str, int]:
    """Scan the last two days of contacts and tickets (overlapping runs raise no duplicate)."""
    from yuqi.quality.services import checks_run

    result = checks_run(since=now() - timedelta(days=2))
    return {
        "contacts": result.scanned_contacts,
        "complaints": result.scanned_complaints,
        "flags": result.created,
    }
