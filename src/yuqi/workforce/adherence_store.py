"""Adherence of periods whose shifts may still be running, stored and refreshed by the worker.

The adherence report (:func:`yuqi.workforce.services.fresh_adherence_report`) walks every
agent state and published shift of the period: about 2 CPU-seconds on the large demo. A
period none of whose shifts can still run has a final answer, cached under the data version
(``yuqi.workforce.versions.cached_report``). A period whose shifts may still run counts
scheduled time up to now, so its answer changes every minute; it used to be cached by the
minute, and the first request of each minute (the scorecard's, the staffing plan's) paid the
two seconds. It is now stored instead (``AdherenceResult``, one row per period and time zone:
the report and when it was computed) and the page says how fresh it is ("Figures as of
HH:MM"):

* :func:`stored_report` reads a live period's stored report; a period never stored (a fresh
  install, a period first asked for) or stored more than :data:`STALE_AFTER` ago (no worker
  running) is computed on the spot and stored, so a page always shows the figures of some
  recent moment.
* :func:`adherence_refresh` (the worker's ``workforce-adherence`` job every five minutes)
  recomputes the periods the pages read by default today (``yuqi.core.measures.default_periods``
  of ``roster_adherence`` and ``observed_shrinkage``, and the adherence page's last week), and
  deletes the rows of periods no longer live (the version cache answers those) and of other
  periods once they are :data:`REFRESH_EVERY` old. A period someone chose (any range of up to
  63 days, its end possibly far ahead) is thus stored for the minutes after it was asked, not
  refreshed by the worker until it ends: the worker's work stays that of the default periods,
  whatever ranges were looked at.
* :func:`stored_summary` reads only what the measures ``roster_adherence`` and
  ``observed_shrinkage`` need (the staffing plan, the scorecard): the total of all agents and
  how many agents there are (:class:`AdherenceSummary`), stored in the same row beside the
  report by the same write, so both always come from one computation. Decoding the whole
  report (every agent, every problem) cost the staffing plan about 2.5 ms a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.measures import default_periods
from yuqi.domain.workforce.adherence import AdherenceReport, AgentAdherence, StateProblem
from yuqi.workforce import versions
from yuqi.workforce.models import AdherenceResult

#: A stored report older than this is computed again on the spot (the worker refreshes every
#: five minutes; this only matters when no worker runs).
STALE_AFTER = dt.timedelta(minutes=30)

#: How often the worker's job runs; a chosen (not default) period's row is dropped at this age.
REFRESH_EVERY = dt.timedelta(minutes=5)

#: The measures whose default periods the job computes ahead.
MEASURES = ("roster_adherence", "observed_shrinkage")

#: The adherence page's default period: the last ``PAGE_DAYS`` days and today.
PAGE_DAYS = 7


@dataclass(frozen=True, slots=True)
class AdherenceSummary:
    """What the measures read of an adherence report: the figures of all agents together and
    how many agents the report has."""

    total: AgentAdherence
    agents: int


def summary_of(report: AdherenceReport) -> AdherenceSummary:
    return AdherenceSummary(report.total, len(report.agents))


def live(end: dt.date, moment: dt.datetime) -> bool:
    """Whether a shift of a day up to ``end`` may still be running at ``moment``."""
    return moment < versions.live_until(end)


# --------------------------------------------------------------------------- JSON


def _agent(item: AgentAdherence) -> list[Any]:
    # Dicts as lists of pairs: jsonb keeps no key order.
    return [
        item.agent,
        item.scheduled_seconds,
        item.adherent_seconds,
        item.logged_seconds,
        list(item.shrinkage_seconds.items()),
        list(item.state_seconds.items()),
    ]


def _agent_back(row: list[Any]) -> AgentAdherence:
    agent, scheduled, adherent, logged, shrinkage, states = row
    return AgentAdherence(agent, scheduled, adherent, logged, dict(shrinkage), dict(states))


def encoded(report: AdherenceReport) -> dict[str, Any]:
    return {
        "agents": [_agent(item) for item in report.agents],
        "total": _agent(report.total),
        "problems": [[p.kind, p.agent, list(p.rows), p.seconds, p.detail] for p in report.problems],
    }


def decoded(data: dict[str, Any]) -> AdherenceReport:
    return AdherenceReport(
        agents=tuple(_agent_back(row) for row in data["agents"]),
        total=_agent_back(data["total"]),
        problems=tuple(
            StateProblem(kind, agent, tuple(rows), seconds, detail)
            for kind, agent, rows, seconds, detail in data["problems"]
        ),
    )


def encoded_summary(summary: AdherenceSummary) -> dict[str, Any]:
    return {"total": _agent(summary.total), "agents": summary.agents}


def decoded_summary(data: dict[str, Any]) -> AdherenceSummary:
    return AdherenceSummary(_agent_back(data["total"]), data["agents"])


# --------------------------------------------------------------------------- store


def _zone() -> str:
    # The shifts are placed in the current time zone (``services.shift_span``).
    return timezone.get_current_timezone_name()


def store(
    start: dt.date, end: dt.date, compute: Callable[[], AdherenceReport]
) -> tuple[AdherenceReport, dt.datetime]:
    """Compute the period now and store it (replacing what was stored). The time stored is
    the moment the computation started and the version the one read before it, so nothing
    written during it is claimed."""
    at = now()
    version = versions.current()
    report = compute()
    values = {
        "report": encoded(report),
        "summary": encoded_summary(summary_of(report)),
        "computed_at": at,
        "version": version,
    }
    try:
        with transaction.atomic():
            AdherenceResult.objects.update_or_create(
                start=start, end=end, zone=_zone(), defaults=values
            )
    except IntegrityError:  # stored meanwhile by another process: keep ours
        AdherenceResult.objects.filter(start=start, end=end, zone=_zone()).update(**values)
    return report, at


def stored_report(
    start: dt.date, end: dt.date, compute: Callable[[], AdherenceReport]
) -> tuple[AdherenceReport, dt.datetime]:
    """The period's report and when it was computed: as stored (one query), or computed and
    stored now when there is none or it is older than :data:`STALE_AFTER`."""
    row = (
        AdherenceResult.objects.filter(start=start, end=end, zone=_zone())
        .values_list("report", "computed_at")
        .first()
    )
    if row is not None and now() - row[1] <= STALE_AFTER:
        return decoded(row[0]), row[1]
    return store(start, end, compute)


#: A period's stored summary and when it was computed (one query, built and compiled once).
_SUMMARY_READ = CompiledRead(
    lambda *, start, end, zone: AdherenceResult.objects.filter(
        start=start, end=end, zone=zone
    ).values_list("summary", "computed_at"),
    model=AdherenceResult,
    start=AdherenceResult._meta.get_field("start"),
    end=AdherenceResult._meta.get_field("end"),
    zone=AdherenceResult._meta.get_field("zone"),
)


def stored_summary(
    start: dt.date, end: dt.date, compute: Callable[[], AdherenceReport]
) -> tuple[AdherenceSummary, dt.datetime]:
    """The summary of the period's report (:func:`stored_report`'s report) and when it was
    computed: the stored summary alone (one query), or, when none is stored, the summary of
    :func:`stored_report`'s answer (a row stored before summaries were: its report)."""
    rows = _SUMMARY_READ.rows(start=start, end=end, zone=_zone())  # one row at most: unique
    if rows:
        data, computed_at = rows[0]
        if data and now() - computed_at <= STALE_AFTER:
            return decoded_summary(data), computed_at
    report, at = stored_report(start, end, compute)
    return summary_of(report), at


def wanted_periods(today: dt.date) -> set[tuple[dt.date, dt.date]]:
    """The periods the pages read by default today."""
    periods = {(today - dt.timedelta(days=PAGE_DAYS), today)}
    for code in MEASURES:
        periods |= default_periods(code, today)
    return periods


def adherence_refresh(
    compute: Callable[[dt.date, dt.date], AdherenceReport], *, today: dt.date | None = None
) -> int:
    """Recompute the pages' default periods that are live; delete the rows of periods no
    longer live and of chosen periods :data:`REFRESH_EVERY` old (asked for again, they are
    computed on the spot). ``compute(start, end)`` is the fresh report
    (``services.fresh_adherence_report``; the worker calls ``services.adherence_refresh``).
    Returns how many periods were computed."""
    moment = now()
    today = today or timezone.localdate(moment)
    zone = _zone()
    wanted = {(first, last) for first, last in wanted_periods(today) if live(last, moment)}
    rows = AdherenceResult.objects.values_list("pk", "start", "end", "zone", "computed_at")
    dropped = [
        pk
        for pk, first, last, where, computed_at in rows
        if not live(last, moment)
        or (
            (where != zone or (first, last) not in wanted) and moment - computed_at >= REFRESH_EVERY
        )
    ]
    if dropped:
        AdherenceResult.objects.filter(pk__in=dropped).delete()
    for first, last in sorted(wanted):
        store(first, last, partial(compute, first, last))
    return len(wanted)
