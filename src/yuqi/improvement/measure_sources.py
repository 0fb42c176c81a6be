"""The improvement context's measure for the scorecard and the consistency check, registered
with ``yuqi.core.measures`` in ``ImprovementConfig.ready()``:

* ``improvement_verified_effective`` = actions closed in the period as effective (on a check
  whose interval shows an improvement) ÷ actions closed in the period; n = actions closed,
  with the Wilson 95 % interval. The note gives the open actions past their due date.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.clock import day_start
from yuqi.core.measures import MeasureReading, register_measure_source
from yuqi.domain.estimates import proportion


def verified_effective(start: date, end: date) -> MeasureReading:
    from yuqi.improvement.models import OPEN, ImprovementAction

    closed = ImprovementAction.objects.filter(
        status="closed",
        closed_at__gte=day_start(start),
        closed_at__lt=day_start(end + timedelta(days=1)),
    )
    n = closed.count()
    link = f"{reverse('improvement:board')}?status=closed"
    source = _("Improvement actions")
    if not n:
        return MeasureReading(
            None, _("No improvement action closed in this period."), link=link, source=source
        )
    effective = closed.filter(outcome="effective").count()
    interval = proportion(effective, n)
    overdue = ImprovementAction.objects.filter(status__in=OPEN, due_date__lt=end).count()
    return MeasureReading(
        value=effective / n,
        n=n,
        low=interval.ci_low,
        high=interval.ci_high,
        link=link,
        note=_("%(n)d open and overdue") % {"n": overdue},
        source=source,
    )


def register_measure_sources() -> None:
    register_measure_source("improvement_verified_effective", verified_effective)
