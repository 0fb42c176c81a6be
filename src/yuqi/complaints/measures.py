"""Complaint measures: SLA compliance, escalation, regulator appeals, reopens, recovery cost,
对事/对人 satisfaction — and the promise measures of the commitments context.

The population is the **complaints opened in the period** (local days ``date_from`` to
``date_to``, both included) — except SLA compliance, which judges the **clocks due in the
period** (below) — grouped by any of: ``week``/``month`` (of opening), ``level``
(current level), ``team``, ``agent`` (the owner) and ``tier`` (the customer's). Every count is
one SQL aggregate (``Count``/``Sum`` with ``filter=Q(...)``) grouped with ``values()``; one
query per related table (complaints, clocks, recovery actions, events) so that no join
multiplies another table's rows. Python only divides the sums.

Definitions (a ratio whose denominator is 0 is ``None``: "no data yet", never 0):

* **SLA compliance** per clock kind, by the book = clocks *met* ÷ clocks *due in the period*.
  A clock is due in the period when its target (deadline) fell on one of the period's days,
  whichever day its ticket was opened: it is **met** if it stopped by its target, **breached**
  if it stopped late or is still open (running or paused) past its target — an open clock
  past its target counts as breached **now**, not only when it stops. An open clock whose
  target has not come yet has no verdict and is not counted. A stopped clock's target is the
  deadline as it stood when it stopped (the time left, added on its calendar from the stop);
  a paused clock's target moves while it waits, so it is counted once it is past it. Grouped
  by week or month, a clock belongs to the week/month of its target; by level, team, agent
  or tier, to its ticket's. **Open and overdue** (per group) = the clocks due in the period
  that are still open past their target; :func:`open_overdue_now` = every open clock past
  its target now, whatever the period (the backlog shown beside the rate). The rule of
  Zendesk's and Salesforce's SLA achievement (active breaches count) and the one a regulator
  applies to a 15-day appeal deadline. A clock stopped by an escalation or a reopening, whose
  successor of the same kind carries on, is not counted: the successor is.
  ``complaint_sla_compliance`` on the scorecard is the rate over every clock kind.
* **Escalation rate** from level L = tickets escalated from L ÷ tickets that were at L (opened
  at L or escalated into L), per level that has a higher one; grouped by level, it is shown on
  the row of the level left (every other measure is grouped by the ticket's current level).
  Read from the timeline's ``opened`` (parameter ``level``) and ``escalated`` (``from``/``to``)
  events.
* **Regulator appeals per 10,000 customers** = tickets now at a regulator level × 10,000 ÷ the
  customer base (the tier's customers when grouped by tier; all customers otherwise), from
  ``customers.facade.customer_counts_by_tier``. The same ratio the MIIT publishes per operator
  (申诉率, appeals per million users, scaled here to 10,000).
* **Reopen rate** = tickets reopened at least once ÷ tickets resolved at least once.
* **Recovery cost** = sum of the cost of approved recovery actions; per complaint = that sum ÷
  tickets opened.
* **对事 / 对人 satisfaction** = callbacks answering "solved" (对事) or "attitude felt good"
  (对人) ÷ callbacks recorded (every callback on the timeline, also the unhappy ones that sent
  the ticket back into recovery — the satisfaction at the moment of closing would be 100 % by
  construction, since a ticket closes only after a satisfied callback).

Promise measures come from ``commitments.facade.commitment_measures`` (kept on time ÷ promises
due in the period; broken by agent and kind): see that function for their definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import get_language

from yuqi.complaints import outbound
from yuqi.complaints.choices import ClockKind, ClockPhase, ClockState, EventKind, RecoveryStatus
from yuqi.complaints.clocks import met_target
from yuqi.complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintLevel,
    RecoveryAction,
    SlaClock,
)
from yuqi.core.clock import day_start, now
from yuqi.core.compiled_reads import CompiledRead, counted
from yuqi.core.measures import scope_memo

__all__ = [
    "DIMENSIONS",
    "ComplaintMeasures",
    "EscalationRate",
    "MeasureRow",
    "PromiseMeasures",
    "clocks_due_between",
    "complaint_measures",
    "open_overdue_now",
    "opened_measures",
    "promise_measures",
]

#: Keys a measures table may be grouped by, in column order.
DIMENSIONS: tuple[str, ...] = ("month", "week", "level", "team", "agent", "tier")
PERIODS = frozenset({"month", "week"})
CLOCK_KINDS: tuple[str, ...] = tuple(ClockKind.values)
PER = 10_000


@dataclass(frozen=True)
class EscalationRate:
    """Escalations away from one level: ``escalated`` of ``entered`` tickets."""

    level_code: str
    entered: int
    escalated: int

    @property
    def rate(self) -> float | None:
        return _ratio(self.escalated, self.entered)


@dataclass(frozen=True)
class ComplaintMeasures:
    """The counts of one group and the ratios computed from them (None = no data yet)."""

    opened: int = 0
    regulator: int = 0
    customers: int = 0
    resolved_once: int = 0
    reopened: int = 0
    recovery_cost: Decimal | None = None
    clocks_stopped: Mapping[str, int] = field(default_factory=dict)  # met + stopped late
    clocks_met: Mapping[str, int] = field(default_factory=dict)
    clocks_overdue: Mapping[str, int] = field(default_factory=dict)  # open, past target
    escalations: tuple[EscalationRate, ...] = ()
    callbacks: int = 0
    callbacks_solved: int = 0
    callbacks_attitude_ok: int = 0

    def clocks_due(self, kind: str | None = None) -> int:
        """Clocks due in the period with a verdict: stopped (met or late), or open and past
        their target (``None``: every kind)."""
        kinds = CLOCK_KINDS if kind is None else (kind,)
        return sum(self.clocks_stopped.get(k, 0) + self.clocks_overdue.get(k, 0) for k in kinds)

    def clocks_met_total(self, kind: str | None = None) -> int:
        kinds = CLOCK_KINDS if kind is None else (kind,)
        return sum(self.clocks_met.get(k, 0) for k in kinds)

    def overdue(self, kind: str | None = None) -> int:
        """Clocks due in the period still open past their target now (``None``: every
        kind)."""
        kinds = CLOCK_KINDS if kind is None else (kind,)
        return sum(self.clocks_overdue.get(k, 0) for k in kinds)

    def sla_compliance(self, kind: str | None = None) -> float | None:
        """Clocks of ``kind`` (``None``: every kind) met ÷ due (module docstring)."""
        return _ratio(self.clocks_met_total(kind), self.clocks_due(kind))

    @property
    def regulator_per_10k(self) -> float | None:
        if not self.opened or not self.customers:
            return None
        return self.regulator * PER / self.customers

    @property
    def reopen_rate(self) -> float | None:
        return _ratio(self.reopened, self.resolved_once)

    @property
    def recovery_cost_total(self) -> Decimal | None:
        if not self.opened:
            return None
        return Decimal(self.recovery_cost or 0).quantize(Decimal("0.01"))

    @property
    def recovery_cost_per_complaint(self) -> Decimal | None:
        total = self.recovery_cost_total
        if total is None:
            return None
        return (total / self.opened).quantize(Decimal("0.01"))

    @property
    def solved_rate(self) -> float | None:
        """对事: callbacks that confirmed the matter solved."""
        return _ratio(self.callbacks_solved, self.callbacks)

    @property
    def attitude_rate(self) -> float | None:
        """对人: callbacks in which the customer felt well treated."""
        return _ratio(self.callbacks_attitude_ok, self.callbacks)

    def escalation_rate(self, level_code: str) -> float | None:
        found = next((e for e in self.escalations if e.level_code == level_code), None)
        return found.rate if found else None


@dataclass(frozen=True)
class MeasureRow:
    """One group: keys (ids/dates by dimension), labels for people, and the measures."""

    keys: Mapping[str, Any]
    labels: Mapping[str, str]
    measures: ComplaintMeasures


@dataclass(frozen=True)
class PromiseMeasures:
    """Rows of ``commitments.facade.commitment_measures`` by agent and by kind."""

    by_agent: list[Any]
    by_kind: list[Any]
    total: list[Any]


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


# ------------------------------------------------------------------ grouping
def _group_expressions(by: Sequence[str], prefix: str = "") -> dict[str, Any]:
    tz = timezone.get_default_timezone()
    columns = {
        "level": "level_id",
        "team": "team_id",
        "agent": "owner_id",
        "tier": "customer__tier_id",
    }
    expressions: dict[str, Any] = {}
    for key in by:
        if key in PERIODS:
            expressions[f"g_{key}"] = Trunc(
                f"{prefix}opened_at", key, output_field=DateField(), tzinfo=tz
            )
        else:
            expressions[f"g_{key}"] = F(f"{prefix}{columns[key]}")
    return expressions


def _key(row: Mapping[str, Any], by: Sequence[str]) -> tuple[Any, ...]:
    values = []
    for key in by:
        value = row[f"g_{key}"]
        if hasattr(value, "date") and key in PERIODS:  # SQLite may give a datetime
            value = value.date()
        values.append(value)
    return tuple(values)


def _grouped(query: QuerySet, by: Sequence[str], prefix: str, **aggregates: Any) -> list[dict]:
    groups = _group_expressions(by, prefix)
    if not groups:
        return [query.aggregate(**aggregates)]
    return list(query.annotate(**groups).values(*groups).annotate(**aggregates).order_by())


def _validate(by: Sequence[str]) -> list[str]:
    unknown = [key for key in by if key not in DIMENSIONS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; choose from {DIMENSIONS}")
    if len(set(by)) != len(by):
        raise ValueError("each grouping key may be given once")
    if len(PERIODS.intersection(by)) > 1:
        raise ValueError("group by week or by month, not both")
    return [key for key in DIMENSIONS if key in by]


# ------------------------------------------------------------------ measures
def opened_between(date_from: date, date_to: date) -> QuerySet[Complaint]:
    """Complaints opened on the local days ``date_from``…``date_to``."""
    return Complaint.objects.filter(
        opened_at__gte=day_start(date_from), opened_at__lt=day_start(date_to + timedelta(days=1))
    )


def complaint_measures(
    *, date_from: date, date_to: date, by: Sequence[str] = (), level: str | None = None
) -> list[MeasureRow]:
    """The complaint measures of complaints opened from ``date_from`` to ``date_to``, one row
    per group of ``by`` (no ``by``: one total row, also when there is nothing)."""
    by = _validate(by)
    tickets = opened_between(date_from, date_to)
    if level:
        tickets = tickets.filter(level__code=level)
    ids = tickets.values("pk")
    main = _grouped(tickets, by, "", **_opened_counts())
    clocks = clocks_due_between(date_from, date_to, by=by, level=level)
    recovery = _grouped(_approved_recovery(ids), by, "complaint__", n_cost=Sum("cost"))
    callbacks = _grouped(
        ComplaintEvent.objects.filter(complaint__in=ids, kind=EventKind.CALLBACK_RECORDED),
        by,
        "complaint__",
        n_callbacks=Count("pk"),
        n_solved=Count("pk", filter=Q(parameters__solved=True)),
        n_attitude=Count("pk", filter=Q(parameters__attitude_ok=True)),
    )
    escalations = _escalations(ids, by)
    customers = _customer_base(by)
    merged: dict[tuple, dict[str, Any]] = {}
    for rows in (main, recovery, callbacks):
        for row in rows:
            merged.setdefault(_key(row, by), {}).update(row)
    for key, counts in clocks.items():
        merged.setdefault(key, {}).update(counts)
    if not by and not merged:
        merged[()] = {}
    result = []
    for key, row in merged.items():
        if by and not row.get("n_opened") and not any(row.get(k) for k in _CLOCK_COUNTS):
            continue
        result.append(_row(key, row, by, escalations.get(key, ()), customers))
    labels = _labels(by, [r.keys for r in result])
    rows_out = [
        MeasureRow(r.keys, {k: labels[k].get(r.keys[k], "") for k in by}, r.measures)
        for r in result
    ]
    rows_out.sort(key=lambda r: tuple((r.keys[k] is None, _sortable(r.keys[k])) for k in by))
    return rows_out


def _opened_counts() -> dict[str, Count]:
    return {
        "n_opened": Count("pk"),
        "n_regulator": Count("pk", filter=Q(level__is_regulator=True)),
        "n_resolved_once": Count("pk", filter=Q(resolved_at__isnull=False) | Q(reopen_count__gt=0)),
        "n_reopened": Count("pk", filter=Q(reopen_count__gt=0)),
    }


def _approved_recovery(ids: QuerySet) -> QuerySet[RecoveryAction]:
    return RecoveryAction.objects.filter(complaint__in=ids, status=RecoveryStatus.APPROVED)


def opened_measures(*, date_from: date, date_to: date) -> ComplaintMeasures:
    """The total row of :func:`complaint_measures` without its clocks, callbacks and
    escalations: complaints opened, at a regulator level, resolved once and reopened, the
    approved recovery cost and the customer base, by the same two queries (the scorecard's
    appeals per 10,000 customers and recovery cost per complaint read nothing else)."""
    tickets = opened_between(date_from, date_to)
    (main,) = _grouped(tickets, (), "", **_opened_counts())
    (recovery,) = _grouped(
        _approved_recovery(tickets.values("pk")), (), "complaint__", n_cost=Sum("cost")
    )
    return _row((), {**main, **recovery}, (), (), _customer_base(())).measures


#: The per-kind counts of :func:`clocks_due_between`, keyed ``n_<kind>_<what>``.
_CLOCK_COUNTS = tuple(
    f"n_{kind}_{what}" for kind in CLOCK_KINDS for what in ("stopped", "met", "overdue")
)
#: How far before the period a met clock may have stopped and still have its target in the
#: period: its time left (at most its whole target) added on a calendar of at least one
#: working hour in six, plus the longest run of statutory rest days.
_TARGET_SPAN_FACTOR = 6
_LONGEST_REST = timedelta(days=45)
_COLUMNS = {
    "level": "complaint__level_id",
    "team": "complaint__team_id",
    "agent": "complaint__owner_id",
    "tier": "complaint__customer__tier_id",
}


def _period_key(moment: Any, key: str) -> date:
    day = timezone.localtime(moment).date()
    return day.replace(day=1) if key == "month" else day - timedelta(days=day.weekday())


def _clock_group(row: Mapping[str, Any], target: Any, by: Sequence[str]) -> tuple[Any, ...]:
    return tuple(_period_key(target, key) if key in PERIODS else row[_COLUMNS[key]] for key in by)


def clocks_due_between(
    date_from: date, date_to: date, *, by: Sequence[str] = (), level: str | None = None
) -> dict[tuple, dict[str, int]]:
    """The SLA clocks whose target fell on the local days ``date_from``…``date_to``, counted
    per group of ``by`` and per kind: ``n_<kind>_met`` (stopped by the target),
    ``n_<kind>_stopped`` (met or stopped late) and ``n_<kind>_overdue`` (open past the target
    now). Definitions in the module docstring.

    Breached clocks are read by their stored ``due_at`` (kept once a clock ran past it); a
    met clock keeps no due time: its target, the time it had left added on its calendar from
    the stop, is stored when it stops (``met_target_at``), so both are counted in SQL. Met
    clocks written before that column existed are computed here, as before.

    Inside a ``core.measures.reading_scope`` (the scorecard) the counts are read once per
    (days, grouping, level): the service measures and the SLA compliance share them.
    """
    by = _validate(by)
    memo = scope_memo()
    key = ("complaints.clocks_due", date_from, date_to, tuple(by), level)
    if memo is not None and key in memo:
        return memo[key]
    counts = _clocks_due(date_from, date_to, by=by, level=level)
    if memo is not None:
        memo[key] = counts
    return counts


def _judged_clocks(level: str | None) -> QuerySet[SlaClock]:
    """The clocks judged (none superseded by a raised level's), of one level if given."""
    clocks = SlaClock.objects.exclude(_superseded())
    return clocks.filter(complaint__level__code=level) if level else clocks


def _late(level: str | None, *, start: Any, until: Any) -> QuerySet[SlaClock]:
    """Clocks past their stored due time in ``start``…``until`` (all but the met ones)."""
    return (
        _judged_clocks(level)
        .filter(due_at__gte=start, due_at__lt=until)
        .exclude(phase=ClockPhase.STOPPED, state=ClockState.MET)
    )


def _met(level: str | None, *, end: Any) -> QuerySet[SlaClock]:
    return _judged_clocks(level).filter(
        phase=ClockPhase.STOPPED, state=ClockState.MET, stopped_at__lt=end
    )


def _stored(level: str | None, *, start: Any, end: Any) -> QuerySet[SlaClock]:
    """Met clocks whose stored target (``met_target_at``) falls in ``start``…``end``."""
    return _met(level, end=end).filter(met_target_at__gte=start, met_target_at__lt=end)


def _unstored(level: str | None, *, end: Any) -> QuerySet[SlaClock]:
    """Met clocks stopped before ``met_target_at`` existed (their target computed here)."""
    return _met(level, end=end).filter(met_target_at__isnull=True)


def _counted(rows: QuerySet[SlaClock], columns: Sequence[str]) -> QuerySet[Any]:
    return rows.values(*columns).annotate(n=Count("pk")).order_by()


_MOMENT = SlaClock._meta.get_field("due_at")
#: The dashboard's and scorecard's counts of every level, no week or month grouping: the
#: four statements compiled once per grouping (building and compiling them, each with its
#: superseded-clock subquery, was about half the dashboard's CPU).
LATE_COUNTS_READ = CompiledRead(
    lambda columns, *, start, until: _counted(_late(None, start=start, until=until), columns),
    model=SlaClock,
    start=_MOMENT,
    until=_MOMENT,
)
STORED_COUNTS_READ = CompiledRead(
    lambda columns, *, start, end: _counted(_stored(None, start=start, end=end), columns),
    model=SlaClock,
    start=_MOMENT,
    end=_MOMENT,
)
#: The longest target among the unstored met clocks (``Max``, which a kept read cannot hold,
#: as the first of them by target; the column is required).
LONGEST_UNSTORED_READ = CompiledRead(
    lambda *, end: (
        _unstored(None, end=end).order_by("-target_seconds").values_list("target_seconds")[:1]
    ),
    model=SlaClock,
    end=_MOMENT,
)
OVERDUE_NOW_READ = CompiledRead(
    lambda *, moment: counted(
        SlaClock.objects.exclude(phase=ClockPhase.STOPPED).filter(due_at__lt=moment)
    ),
    model=SlaClock,
    moment=_MOMENT,
)


def _clocks_due(
    date_from: date, date_to: date, *, by: Sequence[str], level: str | None
) -> dict[tuple, dict[str, int]]:
    start = day_start(date_from)
    end = day_start(date_to + timedelta(days=1))
    moment = now()
    until = min(end, moment)
    columns = ("kind", "phase", *sorted({_COLUMNS[k] for k in by if k not in PERIODS}))
    counts: dict[tuple, dict[str, int]] = {}

    def add(row: Mapping[str, Any], target: Any, what: tuple[str, ...], n: int = 1) -> None:
        group = counts.setdefault(_clock_group(row, target, by), dict.fromkeys(_CLOCK_COUNTS, 0))
        for name in what:
            group[f"n_{row['kind']}_{name}"] += n

    if PERIODS.intersection(by):  # a clock belongs to the week or month of its target
        for row in _late(level, start=start, until=until).values(*columns, "due_at"):
            kinds = ("stopped",) if row["phase"] == ClockPhase.STOPPED else ("overdue",)
            add(row, row["due_at"], kinds)
        for row in _stored(level, start=start, end=end).values(*columns, "met_target_at"):
            add(row, row["met_target_at"], ("met", "stopped"))
    else:
        # A met clock's target is stored when it stops (``met_target_at``): counted in SQL.
        if level:
            late = list(_counted(_late(level, start=start, until=until), columns))
            stored = list(_counted(_stored(level, start=start, end=end), columns))
        else:
            late = LATE_COUNTS_READ.rows(columns, start=start, until=until)
            stored = STORED_COUNTS_READ.rows(columns, start=start, end=end)
        for row in late:
            kinds = ("stopped",) if row["phase"] == ClockPhase.STOPPED else ("overdue",)
            add(row, None, kinds, row["n"])
        for row in stored:
            add(row, None, ("met", "stopped"), row["n"])

    # Met clocks stopped before the column existed: their target computed here, as before.
    if level:
        longest = _unstored(level, end=end).aggregate(longest=Max("target_seconds"))["longest"]
    else:
        longest = next((row[0] for row in LONGEST_UNSTORED_READ.rows(end=end)), None)
    if longest:
        earliest = start - timedelta(seconds=longest * _TARGET_SPAN_FACTOR) - _LONGEST_REST
        fields = ("stopped_at", "target_seconds", "elapsed_seconds", "basis", "calendar_name")
        rows = (
            _unstored(level, end=end)
            .filter(stopped_at__gte=earliest)
            .values(*columns, *fields, "complaint__team_id")
        )
        # each (team, calendar name) looked up once, not once per clock
        calendars: dict[tuple[Any, Any], Any] = {}
        with outbound.cached_calendars():
            for row in rows:
                where = (row["complaint__team_id"], row["calendar_name"] or None)
                calendar = calendars.get(where)
                if calendar is None:
                    calendar = calendars[where] = outbound.calendar_for(
                        team_id=where[0], name=where[1]
                    )
                target = met_target(
                    calendar,
                    stopped_at=row["stopped_at"],
                    target_seconds=row["target_seconds"],
                    elapsed_seconds=row["elapsed_seconds"],
                    basis=row["basis"],
                )
                if start <= target < end:
                    add(row, target, ("met", "stopped"))
    return counts


def open_overdue_now(*, level: str | None = None) -> int:
    """Every open clock (running or paused) past its target now, whatever its period (read
    once inside a ``core.measures.reading_scope``: the scorecard's two periods show it)."""
    memo = scope_memo()
    key = ("complaints.open_overdue_now", level)
    if memo is not None and key in memo:
        return memo[key]
    if level:
        clocks = SlaClock.objects.exclude(phase=ClockPhase.STOPPED).filter(
            due_at__lt=now(), complaint__level__code=level
        )
        found = clocks.count()
    else:
        found = OVERDUE_NOW_READ.rows(moment=now())[0]["n"]
    if memo is not None:
        memo[key] = found
    return found


def _superseded() -> Exists:
    """A clock stopped because the level was raised: a clock of the same kind on the same
    ticket started at the instant it stopped. Its successor carries on (under the new level's
    policy) and is the one judged; counting the stopped one too would count one obligation
    twice."""
    return Exists(
        SlaClock.objects.filter(
            complaint=OuterRef("complaint"),
            kind=OuterRef("kind"),
            started_at=OuterRef("stopped_at"),
        ).exclude(pk=OuterRef("pk"))
    )


def _sortable(value: Any) -> Any:
    return value if value is not None else 0


def _row(
    key: tuple,
    row: Mapping[str, Any],
    by: Sequence[str],
    escalations: Iterable[EscalationRate],
    customers: Mapping[Any, int],
) -> MeasureRow:
    keys = dict(zip(by, key, strict=True))
    base = customers.get(keys["tier"], 0) if "tier" in keys else customers.get("all", 0)
    measures = ComplaintMeasures(
        opened=row.get("n_opened") or 0,
        regulator=row.get("n_regulator") or 0,
        customers=base,
        resolved_once=row.get("n_resolved_once") or 0,
        reopened=row.get("n_reopened") or 0,
        recovery_cost=row.get("n_cost"),
        clocks_stopped={k: row.get(f"n_{k}_stopped") or 0 for k in CLOCK_KINDS},
        clocks_met={k: row.get(f"n_{k}_met") or 0 for k in CLOCK_KINDS},
        clocks_overdue={k: row.get(f"n_{k}_overdue") or 0 for k in CLOCK_KINDS},
        escalations=tuple(escalations),
        callbacks=row.get("n_callbacks") or 0,
        callbacks_solved=row.get("n_solved") or 0,
        callbacks_attitude_ok=row.get("n_attitude") or 0,
    )
    return MeasureRow(keys, {}, measures)


def escalation_levels() -> list[ComplaintLevel]:
    """Levels from which a ticket can be escalated (every level but the highest)."""
    levels = list(ComplaintLevel.objects.order_by("rank"))
    return levels[:-1]


def _escalations(ids: QuerySet, by: Sequence[str]) -> dict[tuple, list[EscalationRate]]:
    """Per group: for each level, tickets that were at it and tickets escalated away from it.

    Grouped by level, a ticket's escalation belongs to the level it left (the row of 本地抱怨
    says how many local complaints climbed), not to the level it is at now.
    """
    events = ComplaintEvent.objects.filter(complaint__in=ids)
    entered: dict[tuple, dict[str, int]] = {}
    left: dict[tuple, dict[str, int]] = {}
    queries = (
        (EventKind.OPENED, "parameters__level", entered),
        (EventKind.ESCALATED, "parameters__to", entered),
        (EventKind.ESCALATED, "parameters__from", left),
    )
    others = [key for key in by if key != "level"]
    groups = _group_expressions(others, "complaint__")
    level_ids = dict(ComplaintLevel.objects.values_list("code", "pk"))
    for kind, path, target in queries:
        rows = (
            events.filter(kind=kind)
            .annotate(g_level_code=KT(path), **groups)
            .values("g_level_code", *groups)
            .annotate(n=Count("complaint", distinct=True))
            .order_by()
        )
        for row in rows:
            code = row["g_level_code"]
            if "level" in by:
                row = {**row, "g_level": level_ids.get(code)}
            per_level = target.setdefault(_key(row, by), {})
            per_level[code] = per_level.get(code, 0) + row["n"]
    codes = [level.code for level in escalation_levels()]
    result: dict[tuple, list[EscalationRate]] = {}
    for key in set(entered) | set(left):
        result[key] = [
            EscalationRate(code, entered.get(key, {}).get(code, 0), left.get(key, {}).get(code, 0))
            for code in codes
        ]
    return result


def _customer_base(by: Sequence[str]) -> dict[Any, int]:
    """The customer counts: ``"all"`` and, when grouped by tier, per tier id. They are the
    current counts whatever the period, so a scorecard (``core.measures.reading_scope``)
    reads them once for both of its periods."""
    from yuqi.customers.facade import customer_counts_by_tier

    memo = scope_memo()
    key = "complaints.customer_base"
    if memo is not None and key in memo:
        counts = memo[key]
    else:
        counts = customer_counts_by_tier()
        if memo is not None:
            memo[key] = counts
    return {"all": sum(counts.values()), **counts}


def _labels(by: Sequence[str], keys: Iterable[Mapping[str, Any]]) -> dict[str, dict[Any, str]]:
    """People's names for the ids found: one query per dimension (teams and tiers are read
    through the tickets' own foreign keys, not the other contexts' models)."""
    keys = list(keys)
    english = (get_language() or "").startswith("en")
    labels: dict[str, dict[Any, str]] = {}
    for key in by:
        found = {k[key] for k in keys} - {None}
        if key in PERIODS:
            labels[key] = {
                d: d.strftime("%Y-%m") if key == "month" else d.isoformat() for d in found
            }
        elif key == "level":
            labels[key] = {lv.pk: lv.label for lv in ComplaintLevel.objects.filter(pk__in=found)}
        elif key == "agent":
            users = get_user_model().objects.filter(pk__in=found)
            labels[key] = {u.pk: str(u) for u in users}
        elif key == "team":
            rows = Complaint.objects.filter(team_id__in=found).values_list("team_id", "team__name")
            labels[key] = dict(rows.distinct())
        else:
            rows = Complaint.objects.filter(customer__tier_id__in=found).values_list(
                "customer__tier_id", "customer__tier__name", "customer__tier__name_en"
            )
            labels[key] = {pk: (en if english and en else zh) for pk, zh, en in rows.distinct()}
    return labels


# ------------------------------------------------------------------ promises
def promise_measures(*, date_from: date, date_to: date) -> PromiseMeasures:
    """Promise kept-on-time and broken promises by agent and by kind (commitments facade)."""
    from yuqi.commitments.facade import commitment_measures

    return PromiseMeasures(
        by_agent=commitment_measures(date_from=date_from, date_to=date_to, by="agent"),
        by_kind=commitment_measures(date_from=date_from, date_to=date_to, by="kind"),
        total=commitment_measures(date_from=date_from, date_to=date_to, by=""),
    )
