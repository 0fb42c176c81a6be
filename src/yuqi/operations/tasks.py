from __future__ import annotations

from django.tasks import task

from yuqi.operations.pyramid.services import segments_refresh


@task
def refresh_segments() -> str:
    """Recompute the customer pyramid as of today and store this month's snapshot."""
    result = segments_refresh()
    return f"segmented {result.customers} customers as of {result.as_of}; {result.changed} changed"
