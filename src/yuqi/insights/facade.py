"""What other contexts may read from insights (the expectation register, the evaluation run):
frozen dataclasses, no models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.request_memo import memoised
from yuqi.insights import selectors


@dataclass(frozen=True)
class BenchmarkGap:
    """Our standing on one indicator in the latest peer period of a range.

    Gaps are shortfalls in the indicator's unit (positive = we are behind); ``percentile`` is
    the share of peers we beat, ties counting half; ``None`` where we have no value yet.
    """

    indicator: str
    label: str
    direction: str
    period_start: date | None
    period_end: date | None
    ours: float | None
    n_peers: int
    best: float | None
    median: float | None
    percentile: float | None
    gap_to_best: float | None
    gap_to_median: float | None
    target: float | None
    gap_to_target: float | None
    trend: str


@dataclass(frozen=True)
class OfferingGapFact:
    """An offering on one side only: ``they_have`` (他有我无) or ``we_have`` (我有他无)."""

    side: str
    code: str
    name: str
    peer_count: int
    n_peers: int
    peers: tuple[str, ...]


def benchmark_gaps(*, period_from: date, period_to: date) -> tuple[BenchmarkGap, ...]:
    report = selectors.benchmark_report(period_from=period_from, period_to=period_to)
    return tuple(
        BenchmarkGap(
            indicator=item.indicator,
            label=item.label,
            direction=str(item.direction),
            period_start=item.period.start if item.period else None,
            period_end=item.period.end if item.period else None,
            ours=item.ours,
            n_peers=item.position.n_peers,
            best=item.position.best,
            median=item.position.median,
            percentile=item.position.percentile,
            gap_to_best=item.position.gap_to_best,
            gap_to_median=item.position.gap_to_median,
            target=item.target,
            gap_to_target=item.position.gap_to_target,
            trend=str(item.trend.status),
        )
        for item in report.indicators
    )


def offering_gaps() -> tuple[OfferingGapFact, ...]:
    table = selectors.offering_table()
    return tuple(
        OfferingGapFact(side, r.code, r.name, r.peer_count, table.n_peers, r.peers)
        for side, rows in (("they_have", table.they_have), ("we_have", table.we_have))
        for r in rows
    )


@dataclass(frozen=True)
class ExpectationRef:
    """A live expectation of the register (for the knowledge context: scripts, coverage)."""

    code: str
    statement: str
    statement_en: str
    category: str
    grade: str
    script: str  # the C-grade guidance script (Chinese), "" without one
    script_en: str


def live_expectations(*, grade: str | None = None) -> tuple[ExpectationRef, ...]:
    """Live expectations (optionally of one grade), with their guidance scripts."""
    from yuqi.insights.models import LIVE_STATUSES, Expectation

    rows = Expectation.objects.filter(status__in=LIVE_STATUSES).select_related("guidance")
    if grade is not None:
        rows = rows.filter(grade=grade)
    out = []
    for row in rows.order_by("code"):
        guidance = getattr(row, "guidance", None)
        out.append(
            ExpectationRef(
                code=row.code,
                statement=row.statement,
                statement_en=row.statement_en,
                category=row.category,
                grade=row.grade or "",
                script=guidance.script if guidance else "",
                script_en=guidance.script_en if guidance else "",
            )
        )
    return tuple(out)


def expectation_codes_for_categories(category_codes: list[str]) -> list[str]:
    """Codes of live expectations whose category matches one of the taxonomy codes (same,
    parent or child), in the order the categories are given."""
    from yuqi.insights.models import LIVE_STATUSES, Expectation

    def _matches(category: str, code: str) -> bool:  # as insights.expectations._matches
        return (
            code == category or code.startswith(category + ".") or category.startswith(code + ".")
        )

    if not category_codes:
        return []
    rows = list(
        Expectation.objects.filter(status__in=LIVE_STATUSES)
        .exclude(category="")
        .order_by("grade", "-score", "code")
        .values_list("code", "category")
    )
    out: list[str] = []
    for wanted in category_codes:
        for code, category in rows:
            if code not in out and _matches(category, wanted):
                out.append(code)
    return out


@dataclass(frozen=True)
class Guidance:
    """A C-grade expectation's guidance script, as the known-expectations panel shows it."""

    script: str
    script_en: str


@dataclass(frozen=True)
class LiveExpectation:
    """A live expectation as the ticket's and the 360's panels use it: its key, code,
    category, grade, statement and due date, and its guidance (None without one)."""

    pk: int
    code: str
    category: str
    grade: str
    statement: str
    due_date: date | None
    guidance: Guidance | None


def _live_expectations_with_guidance() -> Any:
    from yuqi.insights.models import LIVE_STATUSES, Expectation

    return (
        Expectation.objects.filter(status__in=LIVE_STATUSES)
        .exclude(category="")
        .order_by("grade", "-score", "code")
        .values_list(
            "pk",
            "code",
            "category",
            "grade",
            "statement",
            "due_date",
            "guidance__pk",
            "guidance__script",
            "guidance__script_en",
        )
    )


#: The live expectations' read, compiled once per database: the seven columns the panels use
#: and the guidance's two (building and compiling the expectation and guidance columns was
#: about 1 ms of every ticket and 360, making every column of both into models half of one).
LIVE_EXPECTATIONS_READ = CompiledRead(
    _live_expectations_with_guidance, model="insights.Expectation"
)


@memoised
def live_expectations_with_guidance() -> list[LiveExpectation]:
    """The live expectations with a category, best grade and score first, each with its
    guidance: read once per request by the customer 360's and the ticket's known-expectations
    panel and their suggested articles."""
    return [
        LiveExpectation(
            pk,
            code,
            category,
            grade,
            statement,
            due_date,
            None if guidance is None else Guidance(script, script_en),
        )
        for (
            pk,
            code,
            category,
            grade,
            statement,
            due_date,
            guidance,
            script,
            script_en,
        ) in LIVE_EXPECTATIONS_READ.rows()
    ]


def customer_expectation_codes_for_categories(category_codes: list[str]) -> list[str]:
    """:func:`expectation_codes_for_categories` from the request's one read of the live
    expectations (:func:`live_expectations_with_guidance`), for the customer 360 and the
    ticket, whose known-expectations panels read the same rows."""
    if not category_codes:
        return []
    rows = [(row.code, row.category) for row in live_expectations_with_guidance()]
    out: list[str] = []
    for wanted in category_codes:
        for code, category in rows:
            if code not in out and (
                wanted == category
                or wanted.startswith(category + ".")
                or category.startswith(wanted + ".")
            ):
                out.append(code)
    return out


def peer_values_record(records: list[dict]) -> tuple[int, int, int]:
    """Store peer indicator values measured by another context (the quality context's
    mystery-shopper test calls), each with its ``source`` (provenance), next to the imported
    ones; records as the peer importer's (peer, indicator, period_start, period_end, value,
    source). Returns (created, updated, unchanged)."""
    from yuqi.insights.services import peer_values_store

    result = peer_values_store(records=records)
    return result.created, result.updated, result.unchanged


@dataclass(frozen=True)
class ExpectationLink:
    """An expectation of the register, live or not (improvement actions link to them)."""

    id: int
    code: str
    statement: str
    statement_en: str
    grade: str
    status: str
    action: str  # the register's free-text action ("" without one)
    due_date: date | None
    owner_id: int | None


def expectation_links(
    *, codes: list[str] | None = None, with_action_only: bool = False
) -> dict[str, ExpectationLink]:
    """Expectations by code (``codes`` None: every one; a code not in the register — a
    deleted expectation — is simply missing from the answer)."""
    from yuqi.insights.models import Expectation

    rows = Expectation.objects.order_by("code")
    if codes is not None:
        rows = rows.filter(code__in=codes)
    if with_action_only:
        rows = rows.exclude(action="")
    return {
        row.code: ExpectationLink(
            row.pk,
            row.code,
            row.statement,
            row.statement_en,
            row.grade or "",
            row.status,
            row.action,
            row.due_date,
            row.owner_id,
        )
        for row in rows
    }


def indicator_labels() -> dict[str, str]:
    """Benchmarked indicator code → label in the active language."""
    from yuqi.insights.models import Indicator

    return {code: str(label) for code, label in Indicator.choices}


def offering_labels() -> dict[str, str]:
    """Offering code → name (Chinese; English where the language is English)."""
    from django.utils.translation import get_language

    from yuqi.insights.models import Offering

    english = (get_language() or "").startswith("en")
    return {
        o.code: (o.name_en if english and o.name_en else o.name)
        for o in Offering.objects.order_by("code")
    }
