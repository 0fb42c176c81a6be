"""Demo step: the customer pyramid at the end of each of the demo's last months.

Run after the interactions are loaded, so the migration matrix has a history to show. The
refresh itself is ``operations.pyramid.segments_refresh``; the date of the last contact is read
from ``interactions.Interaction`` directly (the interactions facade has no such read yet).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from yuqi.interactions.models import Interaction
from yuqi.operations.pyramid.services import PyramidRefresh, month_start, segments_refresh_months


def demo_refresh_dates(end: date, *, months: int) -> list[date]:
    """The last day of each of the ``months − 1`` months before ``end``'s, then ``end``."""
    dates = [end]
    day = end
    for _ in range(months - 1):
        day = month_start(day) - timedelta(days=1)
        dates.append(day)
    return sorted(dates)


def load_demo_segments(*, months: int = 3) -> list[PyramidRefresh]:
    """Refresh the pyramid as of the end of each of the last ``months`` months of the demo
    (the current one as of the last day with contacts), oldest first, so the customers'
    segment column ends with the latest."""
    last = Interaction.objects.aggregate(last=Max("arrived_at"))["last"]
    end = timezone.localdate(last) if last else timezone.localdate()
    return segments_refresh_months(as_of_days=demo_refresh_dates(end, months=months))
