"""The promise ledger's measure for the balanced scorecard, registered with
``yuqi.core.measures`` in ``CommitmentsConfig.ready()``.

``promise_kept_on_time`` = promises due in the period fulfilled by their due time ÷ promises
due in the period that are settled (kept, fulfilled late or broken; cancelled ones left out,
open ones not yet counted) — :func:`yuqi.commitments.facade.commitment_measures`, the
figure of the promise table on the service measures page, where the cell links. n = settled
promises, with the Wilson 95 % interval.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.measures import MeasureReading, register_measure_source
from yuqi.domain.estimates import proportion


def promise_kept_on_time(start: date, end: date) -> MeasureReading:
    from yuqi.commitments.facade import commitment_measures

    query = urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()})
    link = f"{reverse('complaints:measures')}?{query}#promises"
    source = _("Service measures: promises")
    rows = commitment_measures(date_from=start, date_to=end, by="")
    total = rows[0] if rows else None
    if total is None or not total.settled:
        reason = (
            _("No promise fell due in this period.")
            if total is None
            else _("No promise due in this period is settled yet.")
        )
        return MeasureReading(None, reason, link=link, source=source)
    interval = proportion(total.kept_on_time, total.settled)
    return MeasureReading(
        value=total.kept_on_time_rate,
        n=total.settled,
        low=interval.ci_low,
        high=interval.ci_high,
        link=link,
        note=_("%(broken)d broken, %(late)d late, %(open)d open")
        % {"broken": total.broken, "late": total.fulfilled_late, "open": total.open},
        source=source,
    )


def register_measure_sources() -> None:
    """Called from ``CommitmentsConfig.ready()``."""
    register_measure_source("promise_kept_on_time", promise_kept_on_time)
