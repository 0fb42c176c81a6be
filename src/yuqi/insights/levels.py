"""Expectations that are too low or over-served, and where each expectation comes from.

The flags are computed from each expectation's latest SERVQUAL evidence (mean expectation E,
mean perception P, the gap P − E with its 95 % interval, n, and the survey's norm E) by the
pure rules of :mod:`yuqi.domain.expectation_levels`; nothing is stored, so a new evidence
collection changes them. The origins (:class:`ExpectationOrigin`) are recorded by people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.errors import DomainError
from yuqi.domain.expectation_levels import (
    LOW_CEILING,
    MIN_ANSWERS,
    NORM_DROP,
    OVER_SERVED_MARGIN,
    LevelFlags,
    level_flags,
)
from yuqi.insights.models import (
    LIVE_STATUSES,
    SELF_MADE_ORIGINS,
    Evidence,
    Expectation,
    ExpectationHistory,
    ExpectationOrigin,
    ExpectationOriginKind,
)

FLAGS = ("over_served", "too_low")
MAX_NOTE = 300


@dataclass(frozen=True)
class ExpectationLevel:
    """An expectation's flags with the numbers they come from."""

    flags: LevelFlags
    expectation: float | None
    perception: float | None
    gap: float | None
    gap_low: float | None
    gap_high: float | None
    n: int
    norm: float | None
    period_end: date | None
    key: str = ""
    survey: str = ""

    @property
    def over_served(self) -> bool:
        return self.flags.over_served

    @property
    def too_low(self) -> bool:
        return self.flags.too_low


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _level(evidence: Evidence) -> ExpectationLevel:
    s = evidence.summary or {}
    n = s.get("n")
    n = int(n) if isinstance(n, int | float) and not isinstance(n, bool) else 0
    e, low = _float(s.get("expectation")), _float(s.get("ci_low"))
    m = _float(s.get("norm"))
    return ExpectationLevel(
        flags=level_flags(expectation=e, gap_low=low, n=n, survey_norm=m),
        expectation=e,
        perception=_float(s.get("perception")),
        gap=_float(s.get("gap")),
        gap_low=low,
        gap_high=_float(s.get("ci_high")),
        n=n,
        norm=m,
        period_end=evidence.period_end,
        key=evidence.key,
        survey=str(s.get("survey") or ""),
    )


def _survey_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.filter(source="survey").order_by(
        "expectation_id", "-period_end", "-collected_at", "pk"
    )


#: Every expectation's survey evidence (the evaluation table's and the register's flags),
#: compiled once per database: building and compiling it cost more than running it.
_SURVEY_EVIDENCE_READ = CompiledRead(_survey_evidence, model=Evidence)


def levels(ids: Iterable[int] | None = None) -> dict[int, ExpectationLevel]:
    """Expectation id → its level from the latest survey evidence (none: not in the map).

    One query; the latest period wins, and within it the item before the dimension."""
    if ids is None:
        rows: Iterable[Evidence] = _SURVEY_EVIDENCE_READ.objects()
    else:
        rows = _survey_evidence().filter(expectation_id__in=list(ids))
    latest: dict[int, Evidence] = {}
    for evidence in rows:
        latest.setdefault(evidence.expectation_id, evidence)
    return {pk: _level(evidence) for pk, evidence in latest.items()}


def flagged_ids(flag: str) -> set[int]:
    """Ids of the expectations carrying ``flag`` (``over_served`` or ``too_low``)."""
    if flag not in FLAGS:
        return set()
    return {pk for pk, level in levels().items() if getattr(level, flag)}


def rules_text() -> str:
    """The two rules in the reader's language, with their thresholds."""
    return _(
        "Possibly over-served: the whole 95%% interval of the SERVQUAL gap P − E is above "
        "+%(margin)s points (1–7 scale): resources may be better spent elsewhere. Expectation "
        "too low: with at least %(n)s answers, the mean expectation E is %(ceiling)s or less "
        "(the bottom of the scale), or %(drop)s points or more below the survey's norm (the "
        "median E of its items): customers expecting nothing may be leaving."
    ) % {"margin": OVER_SERVED_MARGIN, "n": MIN_ANSWERS, "ceiling": LOW_CEILING, "drop": NORM_DROP}


# --- origins ---------------------------------------------------------------------------------


def _origins_in_order() -> QuerySet[ExpectationOrigin]:
    return ExpectationOrigin.objects.order_by("expectation_id", "origin")


#: Every expectation's origins, compiled once per database (as the evidence above).
_ORIGINS_READ = CompiledRead(_origins_in_order, model=ExpectationOrigin)


def origins(ids: Iterable[int] | None = None) -> dict[int, list[ExpectationOrigin]]:
    if ids is None:
        rows: Iterable[ExpectationOrigin] = _ORIGINS_READ.objects()
    else:
        rows = _origins_in_order().filter(expectation_id__in=list(ids))
    found: dict[int, list[ExpectationOrigin]] = {}
    for row in rows:
        found.setdefault(row.expectation_id, []).append(row)
    return found


@transaction.atomic
def origins_set(
    *, expectation: Expectation, origins: Sequence[str], note: str = "", by: Any = None
) -> list[ExpectationOrigin]:
    """Replace the expectation's origins by ``origins`` (codes of
    :class:`ExpectationOriginKind`); ``note`` (at most 300 characters) says what we know, e.g.
    which advert or which promise. An empty list clears them."""
    if isinstance(origins, str) or len(origins) > len(ExpectationOriginKind.values):
        raise DomainError(_("Choose origins from the list."), field="origins")
    wanted = list(dict.fromkeys(str(o) for o in origins))
    unknown = [o for o in wanted if o not in ExpectationOriginKind.values]
    if unknown:
        raise DomainError(_("Choose origins from the list."), field="origins")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            _("The note is at most %(n)s characters.") % {"n": MAX_NOTE}, field="note"
        )
    row = Expectation.objects.select_for_update().get(pk=expectation.pk)
    current = {o.origin: o for o in row.origins.all()}
    ExpectationOrigin.objects.filter(expectation=row).exclude(origin__in=wanted).delete()
    moment = now()
    for code in wanted:
        if code in current:
            if current[code].note != note:
                current[code].note = note
                current[code].save(update_fields=["note"])
        else:
            ExpectationOrigin.objects.create(
                expectation=row, origin=code, note=note, by=by, at=moment
            )
    if set(current) != set(wanted):
        ExpectationHistory.objects.create(
            expectation=row,
            event="origins",
            detail={"previous": sorted(current), "origins": wanted},
            by=by,
            at=moment,
        )
    return list(row.origins.order_by("origin"))


@dataclass(frozen=True)
class SelfMadeSummary:
    """How many live expectations the centre created itself, and which."""

    live: int
    with_origin: int
    self_made: int
    by_origin: dict[str, int] = field(default_factory=dict)
    expectations: tuple[Expectation, ...] = ()

    @property
    def share(self) -> float | None:
        return self.self_made / self.with_origin if self.with_origin else None


def self_made_summary() -> SelfMadeSummary:
    """Expectations we created ourselves (advertising, a promise, our own past service)."""
    live = Expectation.objects.filter(status__in=LIVE_STATUSES)
    rows = ExpectationOrigin.objects.filter(expectation__in=live)
    by_origin = Counter(rows.values_list("origin", flat=True))
    self_ids = set(
        rows.filter(origin__in=SELF_MADE_ORIGINS).values_list("expectation_id", flat=True)
    )
    return SelfMadeSummary(
        live=live.count(),
        with_origin=rows.values("expectation_id").distinct().count(),
        self_made=len(self_ids),
        by_origin={code: by_origin.get(code, 0) for code in ExpectationOriginKind.values},
        expectations=tuple(live.filter(pk__in=self_ids).order_by("code")),
    )


@transaction.atomic
def wave_evidence_collect(campaign_code: str) -> int:
    """Attach one survey wave's SERVQUAL gaps to the live register (the latest wave's
    evidence then decides the flags). Returns how many expectations received evidence."""
    from yuqi.insights.expectations import _collect_surveys
    from yuqi.surveys import facade as surveys

    facts, first, last = surveys.campaign_servqual_gaps(campaign_code)
    if not facts or first is None or last is None:
        return 0
    live = list(Expectation.objects.select_for_update().filter(status__in=LIVE_STATUSES))
    return _collect_surveys(live, first, last, facts=facts)
