"""The complaints' measures for the balanced scorecard, registered with ``yuqi.core.measures``
in ``ComplaintsConfig.ready()`` (operations reads them without importing complaints).

Each is the figure of the service measures page (``/complaints/measures/``) for the same
days — the counts of :func:`yuqi.complaints.measures.complaint_measures`, whose docstring
defines them (its total row's opened counts, recovery cost and customer base, read alone by
``opened_measures``; the clocks by ``facade.sla_compliance``) — and links there:

* ``complaint_sla_compliance`` = clocks met ÷ clocks due in the period (their target fell
  in it), every clock kind; an open clock past its target counts as breached now; the note
  gives the clocks open and overdue now (every period: the backlog); n = clocks due, with
  the Wilson 95 % interval;
* ``regulator_appeals_per_10k`` = tickets at a regulator level × 10,000 ÷ customers;
* ``recovery_cost_per_contact`` = approved recovery cost ÷ complaints opened (yuan).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.measures import MeasureReading, register_measure_source, scope_memo
from yuqi.domain.estimates import proportion


def _measures(start: date, end: date):
    memo = scope_memo()
    key = ("complaints.measures", start, end)
    if memo is not None and key in memo:
        return memo[key]
    from yuqi.complaints.measures import opened_measures

    found = opened_measures(date_from=start, date_to=end)
    if memo is not None:
        memo[key] = found
    return found


def _link(start: date, end: date) -> str:
    query = urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()})
    return f"{reverse('complaints:measures')}?{query}"


def _source() -> str:
    return _("Service measures")


def sla_compliance(start: date, end: date) -> MeasureReading:
    from yuqi.complaints.facade import sla_compliance as compliance

    memo = scope_memo()
    key = ("complaints.sla", start, end)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = compliance(date_from=start, date_to=end)
        if memo is not None:
            memo[key] = found
    if not found.due:
        return MeasureReading(
            None,
            _("No complaint clock had its target in this period."),
            link=_link(start, end),
            note=_("%(n)d open and overdue now") % {"n": found.open_overdue_now},
            source=_source(),
        )
    interval = proportion(found.met, found.due)
    return MeasureReading(
        value=found.rate,
        n=found.due,
        low=interval.ci_low,
        high=interval.ci_high,
        link=_link(start, end),
        note=_("%(met)d of %(due)d clocks due met; %(n)d open and overdue now")
        % {"met": found.met, "due": found.due, "n": found.open_overdue_now},
        source=_source(),
    )


def regulator_per_10k(start: date, end: date) -> MeasureReading:
    m = _measures(start, end)
    if not m.opened:
        return MeasureReading(
            None, _("No complaints opened in this period."), link=_link(start, end)
        )
    if not m.customers:
        return MeasureReading(None, _("No customers on the books."), link=_link(start, end))
    return MeasureReading(
        value=m.regulator_per_10k,
        n=m.regulator,
        link=_link(start, end),
        note=_("%(n)d appeals, %(customers)d customers")
        % {"n": m.regulator, "customers": m.customers},
        source=_source(),
    )


def recovery_cost_per_complaint(start: date, end: date) -> MeasureReading:
    m = _measures(start, end)
    cost = m.recovery_cost_per_complaint
    if cost is None:
        return MeasureReading(
            None, _("No complaints opened in this period."), link=_link(start, end)
        )
    return MeasureReading(
        value=float(cost),
        n=m.opened,
        link=_link(start, end),
        note=_("¥%(total)s over %(n)d complaints")
        % {"total": m.recovery_cost_total, "n": m.opened},
        source=_source(),
    )


def register_measure_sources() -> None:
    """Called from ``ComplaintsConfig.ready()``."""
    register_measure_source("complaint_sla_compliance", sla_compliance)
    register_measure_source("regulator_appeals_per_10k", regulator_per_10k)
    register_measure_source("recovery_cost_per_contact", recovery_cost_per_complaint)
