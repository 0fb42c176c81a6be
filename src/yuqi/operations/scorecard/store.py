"""The scorecard of the default period, stored and refreshed by the worker.

The scorecard reads every measure's sources for the month to today and the month before
(KPI rollups, customers, pyramid snapshots, complaints' clocks, surveys, commitments, roster
adherence, quality, knowledge): about 35 queries and 75–100 CPU ms a request on the demos,
whose answer changes with nearly every write of the service. The page's default month is
therefore stored instead (``ScorecardResult``, one row per period, language and time zone:
every enabled measure's reading this month and the month before, and when they were
computed) and the page says how fresh it is ("Figures as of HH:MM"). The measures
themselves (names, targets, warnings, order, enabled) are read on every request, so a
change in the admin shows at once.

* :func:`stored_scorecard` is what the page and its download show: the default period's
  stored readings (one query); a period never stored (a fresh install, a new day, a
  language or time zone first asked for), stored more than :data:`STALE_AFTER` ago (no
  worker running), or missing a measure enabled since, is computed on the spot and stored.
  Any other month is computed on the spot, as before, and not stored.
* :func:`scorecard_refresh` (the worker's ``operations-scorecard`` job every five minutes)
  recomputes the default period in every language of the site, in the site's time zone,
  and deletes the rows of other periods, and of other time zones once they are
  :data:`REFRESH_EVERY` old.

The readings stored are the sources' own, field for field (``tests/operations/
test_scorecard_store.py``): the page's figures are those of a direct computation at
``computed_at``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from yuqi.core.clock import now
from yuqi.core.measures import MeasureReading
from yuqi.operations.models import ScorecardMeasure, ScorecardResult
from yuqi.operations.scorecard.selectors import (
    Period,
    Readings,
    Scorecard,
    enabled_measures,
    month_period,
    previous_period,
    read_measures,
    scorecard,
    scorecard_from,
)

#: A stored scorecard older than this is computed again on the spot (the worker refreshes
#: every five minutes; this only matters when no worker runs).
STALE_AFTER = timedelta(minutes=30)

#: How often the worker's job runs; another time zone's row is dropped at this age.
REFRESH_EVERY = timedelta(minutes=5)


# --------------------------------------------------------------------------- JSON


def _encoded(reading: MeasureReading) -> list[Any]:
    return [
        reading.value,
        reading.reason,
        reading.n,
        reading.low,
        reading.high,
        reading.link,
        reading.note,
        reading.source,
        None if reading.as_of is None else reading.as_of.isoformat(),
    ]


def _decoded(row: list[Any]) -> MeasureReading:
    value, reason, n, low, high, link, note, source, as_of = row
    at = None if as_of is None else datetime.fromisoformat(as_of)
    return MeasureReading(value, reason, n, low, high, link, note, source, at)


def encoded(current: Readings, before: Readings) -> dict[str, Any]:
    return {
        "current": {code: _encoded(r) for code, r in current.items()},
        "previous": {code: _encoded(r) for code, r in before.items()},
    }


def decoded(data: dict[str, Any]) -> tuple[Readings, Readings]:
    return (
        {code: _decoded(row) for code, row in data["current"].items()},
        {code: _decoded(row) for code, row in data["previous"].items()},
    )


# --------------------------------------------------------------------------- store


def _zone() -> str:
    return timezone.get_current_timezone_name()


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def default_period() -> Period:
    """The month the page shows by default: this month to today."""
    today = timezone.localdate(now())
    return month_period(today, today=today)


def _codes(measures: list[ScorecardMeasure]) -> list[str]:
    return list(dict.fromkeys(m.code for m in measures))


def store(period: Period, codes: list[str]) -> tuple[Readings, Readings, datetime]:
    """Read ``codes`` for ``period`` and the month before now and store them (replacing what
    was stored). The time stored is the moment the reading started, so nothing written
    during it is claimed."""
    at = now()
    current, before = read_measures(codes, period, previous_period(period))
    key: dict[str, Any] = {
        "start": period.start,
        "end": period.end,
        "language": _language(),
        "zone": _zone(),
    }
    values = {"readings": encoded(current, before), "computed_at": at}
    try:
        with transaction.atomic():
            ScorecardResult.objects.update_or_create(**key, defaults=values)
    except IntegrityError:  # stored meanwhile by another process: keep ours
        ScorecardResult.objects.filter(**key).update(**values)
    return current, before, at


def stored_scorecard(period: Period) -> tuple[Scorecard, datetime | None]:
    """The scorecard of ``period`` and, when it is the stored default period's, when its
    figures were computed (``None``: computed now, for another month)."""
    if period != default_period():
        return scorecard(period=period), None
    measures = enabled_measures()
    codes = _codes(measures)
    row = (
        ScorecardResult.objects.filter(
            start=period.start, end=period.end, language=_language(), zone=_zone()
        )
        .values_list("readings", "computed_at")
        .first()
    )
    if (
        row is not None
        and now() - row[1] <= STALE_AFTER
        and set(codes) <= set(row[0].get("current", {}))
    ):
        current, before = decoded(row[0])
        at = row[1]
    else:
        current, before, at = store(period, codes)
    return scorecard_from(period, measures, current, before), at


def scorecard_refresh() -> int:
    """Recompute the default period in every language of the site (the worker's job); drop
    the rows of other periods, and of other time zones :data:`REFRESH_EVERY` old. Returns
    how many scorecards were computed."""
    moment = now()
    period = default_period()
    zone = _zone()
    stale = [
        pk
        for pk, start, end, where, computed_at in ScorecardResult.objects.values_list(
            "pk", "start", "end", "zone", "computed_at"
        )
        if (start, end) != (period.start, period.end)
        or (where != zone and moment - computed_at >= REFRESH_EVERY)
    ]
    if stale:
        ScorecardResult.objects.filter(pk__in=stale).delete()
    codes = _codes(enabled_measures())
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            store(period, codes)
    return len(settings.LANGUAGES)
