from __future__ import annotations

from django.tasks import task

from yuqi.operations.pyramid.service_store import service_refresh
from yuqi.operations.pyramid.services import segments_refresh


@task
def refresh_segments() -> str:
    """Recompute the customer pyramid as of today and store this month's snapshot."""
    result = segments_refresh()
    periods = service_refresh()  # the service tables follow the customers' new segments
    return (
        f"segmented {result.customers} customers as of {result.as_of}; {result.changed} changed;"
        f" service of {periods} periods stored"
    )


@task
def refresh_segment_service() -> str:
    """Recompute the pyramid's service by segment and tier of the periods the page shows."""
    return f"service of {service_refresh()} periods stored"


@task
def refresh_scorecard() -> str:
    """Every five minutes: the scorecard of this month to today in every language
    (``yuqi.operations.scorecard.store``)."""
    from yuqi.operations.scorecard.store import scorecard_refresh

    return f"scorecard stored in {scorecard_refresh()} languages"
