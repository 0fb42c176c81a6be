"""The measures an action can be checked on, and their observations over a window.

Each measure gives either counts ``(x, n)`` — compared with
:func:`yuqi.domain.effect.compare_proportions` — or one value per observation — compared with
:func:`yuqi.domain.effect.compare_means` (Welch). The figures come from the owning contexts'
facades (operations, surveys, complaints, customers, quality, insights):

* ``contact_kpi`` (``answer_rate``, ``service_level``, ``abandon_rate``, ``fcr``, optionally
  ``@queue``): the KPI's numerator and denominator from the contact counts;
* ``csat``: top-2-box share (4 or 5 of 5) of the CSAT answers;
* ``nps``: each answer scored +100 (9–10), 0 (7–8) or −100 (0–6), so the mean is the NPS;
* ``ces``: the effort answers (1–7);
* ``servqual`` (``dim:<dimension>`` or ``item:<question code>``): each response's P − E;
* ``complaint_rate`` (a category code, "" for all): tickets opened in the window ÷ customers
  on the books, shown per 10,000 customers;
* ``qa_item`` (``<form>:<item>``): evaluations that failed the item ÷ evaluations that scored it;
* ``peer_gap`` (a proportion indicator): our side of the gap, from the same KPI counts; the
  peers' best is taken as fixed over the two windows (their figures carry no sampling data);
* ``registered`` (a code of ``yuqi.core.measures``, e.g. ``complaint_sla_compliance`` or
  ``promise_kept_on_time``): the owning context's reading for the window; a share with its n
  is turned back into counts ``x = round(value · n)``. A reading that is not a share in
  [0, 1] with an n cannot be compared and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from yuqi.domain.improvement import Window

#: KPI code → (numerator, denominator) from ``KpiCounts``, and whether higher is better
KPI_PROPORTIONS: dict[str, bool] = {
    "answer_rate": True,
    "service_level": True,
    "abandon_rate": False,
    "fcr": True,
}

#: kind → the default direction (True: higher is better)
DEFAULT_DIRECTION: dict[str, bool] = {
    "contact_kpi": True,
    "csat": True,
    "nps": True,
    "ces": True,
    "servqual": True,
    "complaint_rate": False,
    "qa_item": False,
    "peer_gap": True,
    "registered": True,
}


@dataclass(frozen=True)
class Sample:
    """Observations of one window: counts (``x``, ``n``) or ``values``; ``scale`` turns a
    proportion into what people read (100 for %, 10,000 for per 10,000 customers)."""

    x: int | None = None
    n: int | None = None
    values: tuple[float, ...] | None = None
    scale: float = 100.0

    @property
    def is_proportion(self) -> bool:
        return self.values is None

    @property
    def size(self) -> int:
        return len(self.values) if self.values is not None else int(self.n or 0)


class MeasureError(ValueError):
    """A measure that cannot be computed as named (unknown kind or reference)."""


def direction(kind: str, ref: str) -> bool:
    if kind in ("contact_kpi", "peer_gap"):
        return KPI_PROPORTIONS.get(ref.split("@", 1)[0], True)
    return DEFAULT_DIRECTION.get(kind, True)


def check_ref(kind: str, ref: str) -> str:
    """The reference cleaned, or :class:`MeasureError` saying what is expected."""
    ref = (ref or "").strip()
    if len(ref) > 80:
        raise MeasureError(_("The measure detail has at most 80 characters."))
    if kind in ("contact_kpi", "peer_gap"):
        if ref.split("@", 1)[0] not in KPI_PROPORTIONS:
            raise MeasureError(
                _("Name one of these KPIs: %(codes)s.") % {"codes": ", ".join(KPI_PROPORTIONS)}
            )
    elif kind == "servqual":
        head, _sep, tail = ref.partition(":")
        if head not in ("dim", "item") or not tail:
            raise MeasureError(_("Name a SERVQUAL dimension (dim:…) or item (item:…)."))
    elif kind == "qa_item":
        if ":" not in ref:
            raise MeasureError(_("Name a QA item as form:item."))
    elif kind == "registered":
        from yuqi.core.measures import registered_codes

        if ref not in registered_codes():
            raise MeasureError(
                _("Name one of these scorecard measures: %(codes)s.")
                % {"codes": ", ".join(registered_codes())}
            )
    elif kind not in ("csat", "nps", "ces", "complaint_rate"):
        raise MeasureError(_("Unknown measure."))
    return ref


def _kpi(ref: str, window: Window) -> Sample:
    from yuqi.operations.facade import kpi_counts

    code, _sep, queue = ref.partition("@")
    c = kpi_counts(date_from=window.start, date_to=window.end, queue=queue or None)
    if code == "answer_rate":
        return Sample(c.answered, c.offered)
    if code == "service_level":
        return Sample(c.answered_within, c.sl_denominator)
    if code == "abandon_rate":
        return Sample(c.abandoned - c.short_abandoned, c.offered - c.short_abandoned)
    if code == "fcr":
        return Sample(c.fcr_resolved, c.fcr_flagged)
    raise MeasureError(code)


def _answers(kind: str, window: Window) -> list[float]:
    from yuqi.surveys.facade import answer_values

    return answer_values(measure=kind, date_from=window.start, date_to=window.end)


def sample(kind: str, ref: str, window: Window) -> Sample:
    """The measure's observations over ``window`` (see the module docstring)."""
    if kind in ("contact_kpi", "peer_gap"):
        return _kpi(ref, window)
    if kind == "csat":
        values = _answers("csat", window)
        return Sample(sum(1 for v in values if v >= 4), len(values))
    if kind == "nps":
        scores = [100.0 if v >= 9 else (-100.0 if v <= 6 else 0.0) for v in _answers("nps", window)]
        return Sample(values=tuple(scores), scale=1.0)
    if kind == "ces":
        return Sample(values=tuple(_answers("ces", window)), scale=1.0)
    if kind == "servqual":
        from yuqi.surveys.facade import servqual_gap_values

        head, _sep, tail = ref.partition(":")
        gaps = servqual_gap_values(
            dimension=tail if head == "dim" else "",
            item=tail if head == "item" else "",
            date_from=window.start,
            date_to=window.end,
        )
        return Sample(values=tuple(gaps), scale=1.0)
    if kind == "complaint_rate":
        from yuqi.complaints.facade import complaints_in_category
        from yuqi.customers.facade import customer_total

        count = complaints_in_category(category=ref, date_from=window.start, date_to=window.end)
        customers = customer_total()
        return Sample(min(count, customers), customers, scale=10_000.0)
    if kind == "qa_item":
        from yuqi.quality.facade import qa_item_counts

        found = qa_item_counts(date_from=window.start, date_to=window.end, ref=ref)
        row = found[0] if found else None
        return Sample(row.failed if row else 0, row.scored if row else 0)
    if kind == "registered":
        return _registered(ref, window)
    raise MeasureError(kind)


def _registered(code: str, window: Window) -> Sample:
    from yuqi.core.measures import measure_source

    source = measure_source(code)
    if source is None:
        raise MeasureError(_("This scorecard measure is no longer available."))
    reading = source(window.start, window.end)
    if reading.value is None or not reading.n:
        return Sample(0, 0)
    if not 0.0 <= reading.value <= 1.0:
        raise MeasureError(
            _("This scorecard measure is not a share; choose a KPI or survey measure instead.")
        )
    return Sample(round(reading.value * reading.n), int(reading.n))


def unit_suffix(kind: str) -> str:
    if kind == "complaint_rate":
        return _(" per 10,000 customers")
    if kind in ("contact_kpi", "peer_gap", "csat", "qa_item", "registered"):
        return "%"
    if kind == "nps":
        return _(" points")
    return ""


def label(kind: str, ref: str) -> str:
    """The measure in words, for the page and the check's sentence."""
    from yuqi.improvement.models import MeasureKind

    if not kind:
        return ""
    name = str(MeasureKind(kind).label)
    return f"{name} · {ref_label(kind, ref)}" if ref else name


def ref_label(kind: str, ref: str) -> str:
    """The measure's detail in words where the owning context names it, else the code."""
    if kind in ("contact_kpi", "peer_gap"):
        from yuqi.insights.facade import indicator_labels

        code, _sep, queue = ref.partition("@")
        kpi = indicator_labels().get(code, code)
        return f"{kpi} ({queue})" if queue else kpi
    if kind == "complaint_rate":
        from yuqi.complaints.facade import category_choices

        return next((c.label for c in category_choices() if c.code == ref), ref)
    if kind == "qa_item":
        from yuqi.quality.facade import qa_item_labels

        return qa_item_labels().get(ref, ref)
    if kind == "servqual" and ref.startswith("dim:"):
        from yuqi.surveys.facade import servqual_dimension_labels

        return servqual_dimension_labels().get(ref[4:], ref)
    return ref


def difference_unit(kind: str) -> str:
    """The unit of a difference: percentage points for shares, else the value's unit."""
    if kind in ("contact_kpi", "peer_gap", "csat", "qa_item", "registered"):
        return _(" percentage points")
    return unit_suffix(kind)


def window_today(start: date | None, end: date | None) -> Window | None:
    if start is None or end is None:
        return None
    return Window(start, end)
