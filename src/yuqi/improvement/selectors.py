"""Reads of the improvement context: the board, an action's links (with the gone ones), the
evaluation table's summary per expectation, and the two Pareto charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from yuqi.core.compiled_reads import CompiledRead
from yuqi.improvement.models import (
    OPEN,
    ActionLink,
    EffectCheck,
    ImprovementAction,
    LinkKind,
    Outcome,
    Status,
)

MAX_BAR_COUNT = 30


@dataclass(frozen=True)
class BoardFilter:
    owner: int | None = None
    grade: str = ""
    status: str = ""
    overdue: bool = False


def board(filters: BoardFilter, today: date) -> QuerySet[ImprovementAction]:
    rows = ImprovementAction.objects.select_related("owner").annotate(
        open_tasks=Count("tasks", filter=Q(tasks__done_at__isnull=True))
    )
    if filters.owner:
        rows = rows.filter(owner_id=filters.owner)
    if filters.grade:
        rows = rows.filter(grade=filters.grade)
    if filters.status == "open":
        rows = rows.filter(status__in=OPEN)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.overdue:
        rows = rows.filter(status__in=OPEN, due_date__lt=today)
    return rows.order_by("due_date", "number")


def board_columns(rows: Iterable[ImprovementAction]) -> list[dict[str, Any]]:
    """The board's columns, one per status, each with its cards."""
    by_status: dict[str, list[ImprovementAction]] = defaultdict(list)
    for row in rows:
        by_status[row.status].append(row)
    return [
        {"status": value, "label": label, "cards": by_status.get(value, [])}
        for value, label in Status.choices
    ]


def counts_by(rows: Iterable[ImprovementAction], key: str) -> list[tuple[str, int]]:
    found: dict[str, int] = defaultdict(int)
    for row in rows:
        found[str(getattr(row, key) or "–")] += 1
    return sorted(found.items())


def link_labels(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Current labels of the linked things; a missing key means the thing is gone."""
    pairs = list(pairs)
    wanted: dict[str, set[str]] = defaultdict(set)
    for kind, ref in pairs:
        wanted[kind].add(ref)
    out: dict[tuple[str, str], str] = {}
    if wanted.get(LinkKind.EXPECTATION):
        from yuqi.insights.facade import expectation_links

        for code, e in expectation_links(codes=sorted(wanted[LinkKind.EXPECTATION])).items():
            out[(LinkKind.EXPECTATION, code)] = e.statement
    if wanted.get(LinkKind.ROOT_CAUSE):
        from yuqi.complaints.facade import root_cause_choices

        for c in root_cause_choices():
            out[(LinkKind.ROOT_CAUSE, c.code)] = c.label
    if wanted.get(LinkKind.CATEGORY):
        from yuqi.complaints.facade import category_choices

        for c in category_choices():
            out[(LinkKind.CATEGORY, c.code)] = c.label
    if wanted.get(LinkKind.INDICATOR):
        from yuqi.insights.facade import indicator_labels

        for code, text in indicator_labels().items():
            out[(LinkKind.INDICATOR, code)] = text
    if wanted.get(LinkKind.OFFERING):
        from yuqi.insights.facade import offering_labels

        for code, text in offering_labels().items():
            out[(LinkKind.OFFERING, code)] = text
    if wanted.get(LinkKind.QA_ITEM):
        from yuqi.quality.facade import qa_item_labels

        for code, text in qa_item_labels().items():
            out[(LinkKind.QA_ITEM, code)] = text
    return {pair: text for pair, text in out.items() if pair[1] in wanted.get(pair[0], ())}


@dataclass(frozen=True)
class LinkLine:
    kind: str
    kind_label: str
    ref: str
    label: str
    gone: bool
    url: str = ""


def action_links(action: ImprovementAction) -> list[LinkLine]:
    """The action's links with their current labels; a link whose thing was deleted keeps
    the label it had when linked and is marked gone."""
    from django.urls import reverse

    from yuqi.insights.facade import expectation_links

    links = list(action.links.all())
    current = link_labels((link.kind, link.ref) for link in links)
    exp_ids = {
        code: e.id
        for code, e in expectation_links(
            codes=[link.ref for link in links if link.kind == LinkKind.EXPECTATION]
        ).items()
    }
    out = []
    for link in links:
        key = (link.kind, link.ref)
        gone = key not in current
        url = ""
        if link.kind == LinkKind.EXPECTATION and not gone:
            url = reverse("insights:expectation", args=[exp_ids[link.ref]])
        out.append(
            LinkLine(
                link.kind,
                str(LinkKind(link.kind).label),
                link.ref,
                current.get(key, link.label),
                gone,
                url,
            )
        )
    return out


@dataclass(frozen=True)
class ActionLine:
    """What the evaluation table shows of an action: five columns, not the model (its owner
    and every other column were read and made into instances for nothing)."""

    pk: int
    number: str
    title: str
    status: str
    outcome: str

    def get_status_display(self) -> str:
        """As the model's ``get_status_display()``: the label in the active language."""
        return _label(Status.choices, self.status)

    def get_outcome_display(self) -> str:
        """As the model's ``get_outcome_display()`` ("" without an outcome)."""
        return _label(Outcome.choices, self.outcome)


def _label(choices: list[tuple[str, Any]], value: str) -> str:
    """Django's ``get_FOO_display()``: the choice's label, else the value itself."""
    return str(dict(choices).get(value, value))


@dataclass(frozen=True)
class CheckLine:
    """What the evaluation table shows of an action's latest effect check."""

    value_before: float | None
    value_after: float | None
    difference: float | None
    low: float | None
    high: float | None


@dataclass
class ExpectationActions:
    """The evaluation table's line for one expectation: its open actions and the verified
    effect of its closed ones."""

    open: list[ActionLine] = field(default_factory=list)
    verified: list[tuple[ActionLine, CheckLine | None]] = field(default_factory=list)


def _expectation_links(*, codes: list[str]) -> QuerySet[ActionLink, tuple[Any, ...]]:
    return (
        ActionLink.objects.filter(kind=LinkKind.EXPECTATION, ref__in=codes)
        .order_by("action__due_date", "action__number")
        .values_list(
            "ref",
            "action_id",
            "action__number",
            "action__title",
            "action__status",
            "action__outcome",
        )
    )


def _checks(*, action_ids: list[int]) -> QuerySet[EffectCheck, tuple[Any, ...]]:
    return (
        EffectCheck.objects.filter(action_id__in=action_ids)
        .order_by("action_id", "-checked_at", "-pk")
        .values_list("action_id", "value_before", "value_after", "difference", "low", "high")
    )


#: The evaluation table's two reads, compiled once per database and number of ids (building
#: and compiling them, and making the actions with their owners and the checks as models, was
#: about 2 ms of every evaluation page).
EXPECTATION_LINKS_READ = CompiledRead(
    _expectation_links, model=ActionLink, codes=ActionLink._meta.get_field("ref")
)
CHECKS_READ = CompiledRead(
    _checks, model=EffectCheck, action_ids=EffectCheck._meta.get_field("action")
)


def actions_for_expectations(codes: Iterable[str]) -> dict[str, ExpectationActions]:
    """By expectation code: open actions and closed ones with their latest check. Two
    queries whatever the number of codes (one when no action is closed)."""
    found: dict[str, ExpectationActions] = {}
    closed_ids: list[int] = []
    for ref, action_id, number, title, status, outcome in EXPECTATION_LINKS_READ.rows(
        codes=list(codes)
    ):
        entry = found.setdefault(ref, ExpectationActions())
        action = ActionLine(action_id, number, title, status, outcome)
        if status == Status.CLOSED:
            entry.verified.append((action, None))
            closed_ids.append(action_id)
        else:
            entry.open.append(action)
    if closed_ids:
        latest: dict[int, CheckLine] = {}
        for action_id, *values in CHECKS_READ.rows(action_ids=closed_ids):
            latest.setdefault(action_id, CheckLine(*values))
        for entry in found.values():
            entry.verified = [(a, latest.get(a.pk)) for a, _c in entry.verified]
    return found


# --- Pareto charts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    count: int
    share: float  # of the total, 0–1
    cumulative: float  # 0–1


def pareto(counts: dict[str, tuple[str, int]]) -> list[Bar]:
    """Bars (code → (label, count)) sorted by count, with cumulative shares."""
    total = sum(n for _label, n in counts.values())
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))[:MAX_BAR_COUNT]
    bars, running = [], 0
    for code, (label, n) in rows:
        if n <= 0:
            continue
        running += n
        bars.append(
            Bar(code, label, n, n / total if total else 0.0, running / total if total else 0.0)
        )
    return bars


def root_cause_bars(
    *, date_from: date, date_to: date, category: str = "", team: str = ""
) -> tuple[list[Bar], list[dict[str, Any]]]:
    """The root causes of closed tickets: Pareto bars over the range, and per month."""
    from yuqi.complaints.facade import closed_root_causes

    rows = closed_root_causes(date_from=date_from, date_to=date_to, category=category, team=team)
    totals: dict[str, tuple[str, int]] = {}
    months: dict[date, dict[str, int]] = defaultdict(dict)
    for r in rows:
        code = r.root_cause or "-"
        label = r.label if r.root_cause else _("No root cause")
        totals[code] = (label, totals.get(code, (label, 0))[1] + r.count)
        months[r.month][code] = months[r.month].get(code, 0) + r.count
    per_month = [
        {"month": m, "counts": counts, "total": sum(counts.values())}
        for m, counts in sorted(months.items())
    ]
    return pareto(totals), per_month


def qa_auto_fail_bars(*, date_from: date, date_to: date) -> list[Bar]:
    from yuqi.quality.facade import qa_item_counts

    rows = qa_item_counts(date_from=date_from, date_to=date_to, auto_fail_only=True)
    return pareto({r.ref: (r.label, r.failed) for r in rows})


def pareto_option(bars: list[Bar], *, series: str, cumulative: str) -> dict[str, Any]:
    """The ECharts option of a Pareto chart: bars by count and the cumulative share line."""
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 48, "top": 32, "bottom": 96},
        "legend": {"top": 0},
        "xAxis": {
            "type": "category",
            "data": [b.label for b in bars],
            "axisLabel": {"rotate": 30, "interval": 0},
        },
        "yAxis": [
            {"type": "value", "minInterval": 1, "name": series},
            {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        ],
        "series": [
            {
                "name": series,
                "type": "bar",
                "data": [b.count for b in bars],
                "itemStyle": {"color": "#0b6e4f"},
            },
            {
                "name": cumulative,
                "type": "line",
                "yAxisIndex": 1,
                "data": [round(100 * b.cumulative, 1) for b in bars],
            },
        ],
    }
