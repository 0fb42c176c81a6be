"""The complaint pages' rows: queue tickets (from :func:`yuqi.complaints.selectors.complaint_queue`)
with their clocks recomputed from their segments at request time.

Queries: one for the page of tickets (with level, category, customer, tier, owner and team
joined), one for their clocks, plus one per distinct calendar (read once inside
``outbound.cached_calendars``): a fixed number whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from django.db.models import F
from django.db.models.lookups import In
from django.urls import reverse
from django.utils.translation import get_language

from yuqi.complaints import outbound
from yuqi.complaints.choices import ClockKind, ClockPhase, ComplaintState
from yuqi.complaints.models import Complaint, SlaClock, segments_of, target_of
from yuqi.complaints.presenters import ClockView, clock_view
from yuqi.core.compiled_reads import CompiledRead, counted
from yuqi.domain.calendar import BusinessCalendar
from yuqi.domain.sla import ClockPlan, ClockStatus, plan_clock

__all__ = [
    "QUEUE_ROW_VALUES",
    "ClockRow",
    "QueueRow",
    "clock_view_of",
    "live_clock_rows",
    "live_clocks",
    "queue_rows",
    "ticket_url",
]

CLOCK_LABELS = dict(ClockKind.choices)
#: The states' labels (lazy) as ``get_state_display()`` looks them up.
STATE_LABELS: dict[str, Any] = dict(cast(Any, ComplaintState).choices)


@dataclass(frozen=True)
class QueueRow:
    """One ticket of the work queue as shown."""

    number: str
    url: str
    level_label: str
    level_is_top: bool
    state: str
    state_label: str
    category_label: str
    customer_name: str
    customer_external_id: str
    tier_label: str
    tier_is_vip: bool
    owner_name: str
    team_name: str
    risk_score: int
    account: str
    sla_state: str
    clocks: tuple[ClockView, ...]


def clock_view_of(
    clock: SlaClock | ClockRow,
    *,
    team_id: int | None,
    now: dt.datetime,
    kind_labels: dict[str, str] | None = None,
) -> ClockView:
    """A clock recomputed at ``now`` from its stored segments and policy snapshot (run inside
    ``outbound.cached_calendars()`` to read each calendar once). ``kind_labels``: the clock
    kinds' labels already translated (:func:`_labels`), for a caller showing many clocks."""
    calendar = outbound.calendar_for(team_id=team_id, name=clock.calendar_name or None)
    status = clock.status(at=now, calendar=calendar)
    if kind_labels is None:
        kind_labels = _labels(CLOCK_LABELS)
    return clock_view(clock.kind, kind_labels.get(clock.kind, clock.kind), status)


def _labels(choices: dict[str, Any]) -> dict[str, str]:
    """Choice labels translated once into the active language (a lazy label is translated
    again each time it is printed; a state's display looked up all of them per row)."""
    return {value: str(label) for value, label in choices.items()}


def live_clocks(
    clocks: Iterable[SlaClock | ClockRow],
    *,
    team_id: int | None,
    now: dt.datetime,
    kind_labels: dict[str, str] | None = None,
) -> tuple[ClockView, ...]:
    labels = _labels(CLOCK_LABELS) if kind_labels is None else kind_labels
    with outbound.cached_calendars():
        return _clock_views(clocks, team_id=team_id, now=now, kind_labels=labels)


def _clock_views(
    clocks: Iterable[SlaClock | ClockRow],
    *,
    team_id: int | None,
    now: dt.datetime,
    kind_labels: dict[str, str],
) -> tuple[ClockView, ...]:
    """:func:`live_clocks` inside a ``cached_calendars`` block already open (a page's rows)."""
    return tuple(
        clock_view_of(clock, team_id=team_id, now=now, kind_labels=kind_labels) for clock in clocks
    )


#: The ticket fields a queue row reads, for ``values()``: one dict per ticket with its level,
#: category, customer, tier, owner and team joined (model instances were eight per row, about
#: 400 per work-queue page, each built field by field).
QUEUE_ROW_VALUES = (
    "id",
    "number",
    "state",
    "risk_score",
    "account",
    "sla_state",
    "team_id",
    "level__code",
    "level__name",
    "level__name_en",
    "level__rank",
    "level__is_regulator",
    "category_id",
    "category__code",
    "category__name",
    "category__name_en",
    "customer__name",
    "customer__external_id",
    "customer__tier_id",
    "customer__tier__name",
    "customer__tier__name_en",
    "customer__tier__is_vip",
    "owner_id",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "team__code",
    "team__name",
)

#: A live clock's fields, for ``values_list()`` (what :meth:`SlaClock.status` reads).
_CLOCK_VALUES = (
    "complaint_id",
    "kind",
    "calendar_name",
    "segments",
    "target_seconds",
    "basis",
    "warn_fraction",
)


@dataclass(frozen=True, slots=True)
class ClockRow:
    """A running or paused clock as read for a queue row: what :meth:`SlaClock.status` needs,
    without the model instance."""

    kind: str
    calendar_name: str
    segments: list[dict[str, Any]]
    target_seconds: int
    basis: str
    warn_fraction: Decimal

    def status(self, *, at: dt.datetime, calendar: BusinessCalendar) -> ClockStatus:
        """As :meth:`SlaClock.status`, from the plan kept for these segments (:func:`_plan`)."""
        segments = tuple((row["start"], row.get("end"), row["state"]) for row in self.segments)
        try:
            plan = _plan(segments, self.target_seconds, self.basis, self.warn_fraction, calendar)
        except TypeError:  # a stored value that cannot be keyed: worked out afresh
            plan = _plan.__wrapped__(
                segments, self.target_seconds, self.basis, self.warn_fraction, calendar
            )
        return plan.status(now=at)


#: Clock plans kept per process: the open tickets' clocks of a few busy queues.
KEPT_PLANS = 8192


@lru_cache(maxsize=KEPT_PLANS)
def _plan(
    segments: tuple[tuple[str, str | None, str], ...],
    target_seconds: int,
    basis: str,
    warn_fraction: Decimal,
    calendar: BusinessCalendar,
) -> ClockPlan:
    """What a clock's status at any later moment is worked out from (``yuqi.domain.sla``), kept
    under everything it depends on: the stored segments (start, end, state), the policy
    snapshot and the calendar (immutable; a changed calendar is a new value, so a new key).
    A paused or resumed clock has other segments, so another plan; nothing to invalidate."""
    return plan_clock(
        segments_of([{"start": s, "end": e, "state": state} for s, e, state in segments]),
        target=target_of(target_seconds, basis, warn_fraction),
        calendar=calendar,
    )


def live_clock_rows(ticket_ids: Sequence[int]) -> dict[int, list[ClockRow]]:
    """The running and paused clocks of these tickets, by kind then start, by ticket. One
    query; none for no tickets."""
    found: dict[int, list[ClockRow]] = {}
    if not ticket_ids:
        return found
    for complaint_id, *fields in _clock_rows(list(ticket_ids)):
        found.setdefault(complaint_id, []).append(ClockRow(*fields))
    return found


def _clocks_queryset(*, ticket_ids: list[int]) -> Any:
    return (
        SlaClock.objects.filter(complaint_id__in=ticket_ids)
        .exclude(phase=ClockPhase.STOPPED)
        .order_by("kind", "started_at")
        .values_list(*_CLOCK_VALUES)
    )


#: The live clocks' read, compiled once per number of tickets (building and compiling it was
#: about half the read's CPU on every page with clocks); more than 100 tickets: the ORM's.
CLOCKS_READ = CompiledRead(
    _clocks_queryset, model=SlaClock, ticket_ids=SlaClock._meta.get_field("complaint")
)


def _clock_rows(ticket_ids: list[int]) -> list[tuple[Any, ...]]:
    """What ``list(_clocks_queryset(ticket_ids=ticket_ids))`` answers."""
    return CLOCKS_READ.rows(ticket_ids=ticket_ids)


_PLAIN_NUMBER = re.compile(r"[A-Za-z0-9_.-]+\Z")
_NUMBER_MARK = "--number--"


def ticket_url() -> Callable[[str], str]:
    """``number -> the ticket page's address``, reversed once per call of this function
    rather than once per row; a number with characters that ``reverse`` would quote is
    reversed on its own."""
    head, tail = reverse("complaints:detail", args=[_NUMBER_MARK]).split(_NUMBER_MARK)

    def url(number: str) -> str:
        if _PLAIN_NUMBER.match(number):
            return head + number + tail
        return reverse("complaints:detail", args=[number])

    return url


def queue_rows(
    tickets: Sequence[dict[str, Any]],
    *,
    now: dt.datetime,
    url: Callable[[str], str],
    top_rank: int | None,
) -> list[QueueRow]:
    """The page's tickets (dicts of :data:`QUEUE_ROW_VALUES`) as rows with live clocks (read
    here, one query); ``url(number)`` gives the ticket link."""
    states = _labels(STATE_LABELS)
    clocks = _labels(CLOCK_LABELS)
    english = (get_language() or "").startswith("en")
    live = live_clock_rows([ticket["id"] for ticket in tickets])
    with outbound.cached_calendars():
        return [
            _queue_row(
                ticket,
                live.get(ticket["id"], ()),
                now=now,
                url=url,
                top_rank=top_rank,
                states=states,
                clocks=clocks,
                english=english,
            )
            for ticket in tickets
        ]


def _bilingual(row: dict[str, Any], prefix: str, english: bool) -> str:
    """``_Bilingual.label`` of a joined level or category."""
    name = row[f"{prefix}__name"]
    return (row[f"{prefix}__name_en"] if english else name) or name or row[f"{prefix}__code"]


def _user_name(row: dict[str, Any]) -> str:
    """``str()`` of the joined owner (``User.__str__``: display name, full name, username)."""
    full = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
    return row["owner__display_name"] or full or row["owner__username"]


def _queue_row(
    ticket: dict[str, Any],
    live: Iterable[ClockRow],
    *,
    now: dt.datetime,
    url: Callable[[str], str],
    top_rank: int | None,
    states: dict[str, str],
    clocks: dict[str, str],
    english: bool,
) -> QueueRow:
    views = _clock_views(live, team_id=ticket["team_id"], now=now, kind_labels=clocks)
    has_tier = ticket["customer__tier_id"] is not None
    tier_label = ""
    if has_tier:
        tier_label = ticket["customer__tier__name_en" if english else "customer__tier__name"]
    state = ticket["state"]
    return QueueRow(
        number=ticket["number"],
        url=url(ticket["number"]),
        level_label=_bilingual(ticket, "level", english),
        level_is_top=ticket["level__is_regulator"] or ticket["level__rank"] == top_rank,
        state=state,
        state_label=states.get(state, state),  # as get_state_display()
        category_label=(
            _bilingual(ticket, "category", english) if ticket["category_id"] is not None else ""
        ),
        customer_name=ticket["customer__name"],
        customer_external_id=ticket["customer__external_id"],
        tier_label=tier_label,
        tier_is_vip=bool(has_tier and ticket["customer__tier__is_vip"]),
        owner_name=_user_name(ticket) if ticket["owner_id"] is not None else "",
        team_name=(ticket["team__name"] or ticket["team__code"]) if ticket["team_id"] else "",
        risk_score=ticket["risk_score"],
        account=ticket["account"],
        sla_state=_row_state(views, ticket["sla_state"]),
        clocks=views,
    )


def _row_state(clocks: Sequence[ClockView], stored: str) -> str:
    live = [c.state for c in clocks if not c.stopped]
    if not live:
        return stored
    order = {"breached": 0, "at_risk": 1, "on_track": 2}
    return min(live, key=lambda s: order.get(s, 3))


def _kept_shape(filters: Any, sort: str) -> tuple[Any, ...] | None:
    """The shapes of the queue kept compiled: the open tickets, anyone's or the user's own,
    by urgency (no column sort), with or without an urgency filter; None for any other."""
    from yuqi.complaints.selectors import URGENCY_RANKS, QueueFilter

    plain = QueueFilter(state="open", owner_id=filters.owner_id, sla=filters.sla)
    if sort or filters != plain or (filters.sla and filters.sla not in URGENCY_RANKS):
        return None
    return (filters.owner_id is not None, filters.sla)


def _page_queryset(filters: Any, moment: dt.datetime) -> Any:
    from yuqi.complaints.selectors import complaint_queue

    return complaint_queue(filters=filters, now=moment).values(*QUEUE_ROW_VALUES)


class _AmongFirst(In):
    """``pk IN (first rows)``, written ``pk = ANY(ARRAY(first rows))`` on PostgreSQL: an
    ``IN`` becomes a semi-join that PostgreSQL plans after the six joins of every matching
    ticket, where the array is read first and its tickets fetched by primary key."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def _first_of(filters: Any, rows: int, moment: dt.datetime) -> Any:
    """``_page_queryset(filters, moment)[:rows]``, in two steps: which tickets come first is
    read from the tickets and their levels alone (all the order needs), then only those are
    joined to their category, customer, tier, owner and team. Joined first, every open ticket's
    six rows were read to keep fifty (three quarters of the statement's time)."""
    from yuqi.complaints.selectors import QueueFilter, complaint_queue

    first = complaint_queue(filters=filters, now=moment).values("pk")[:rows]
    return _page_queryset(QueueFilter(), moment).filter(_AmongFirst(F("pk"), first))


def _anyones_page(sla: str, rows: int, *, moment: dt.datetime) -> Any:
    from yuqi.complaints.selectors import QueueFilter

    return _first_of(QueueFilter(state="open", sla=sla), rows, moment)


def _own_page(sla: str, rows: int, *, moment: dt.datetime, owner_id: int) -> Any:
    from yuqi.complaints.selectors import QueueFilter

    return _first_of(QueueFilter(state="open", owner_id=owner_id, sla=sla), rows, moment)


_DUE = Complaint._meta.get_field("next_due_at")
#: A moment for a count the moment does not change (no urgency filter).
_ANY_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: The queue's first page, anyone's tickets or the user's own, compiled once per urgency filter
#: and page size (building and compiling the seven-table read was about a tenth of the page's
#: CPU).
ANYONES_PAGE_READ = CompiledRead(_anyones_page, model=Complaint, moment=_DUE)
OWN_PAGE_READ = CompiledRead(
    _own_page, model=Complaint, moment=_DUE, owner_id=Complaint._meta.get_field("owner")
)


def _count_of(sla: str, *, moment: dt.datetime, owner_id: int | None = None) -> Any:
    from yuqi.complaints.selectors import QueueFilter, complaint_queue

    filters = QueueFilter(state="open", owner_id=owner_id, sla=sla)
    return counted(complaint_queue(filters=filters, now=moment))


_OWNER = Complaint._meta.get_field("owner")
#: How many tickets the queue holds, for the pager when the first page is full: the moment
#: is in the statement only with an urgency filter (the count leaves the urgency out).
_COUNT_READS = {
    (False, False): CompiledRead(lambda: _count_of("", moment=_ANY_MOMENT), model=Complaint),
    (True, False): CompiledRead(
        lambda *, owner_id: _count_of("", moment=_ANY_MOMENT, owner_id=owner_id),
        model=Complaint,
        owner_id=_OWNER,
    ),
    (False, True): CompiledRead(_count_of, model=Complaint, moment=_DUE),
    (True, True): CompiledRead(_count_of, model=Complaint, moment=_DUE, owner_id=_OWNER),
}


def queue_count(filters: Any, sort: str, *, now: dt.datetime) -> int | None:
    """How many tickets ``complaint_queue(filters, now)`` holds, through a read compiled once
    per shape of filters (:func:`_kept_shape`); None for a shape not kept."""
    shape = _kept_shape(filters, sort)
    if shape is None:
        return None
    mine, sla = shape
    read = _COUNT_READS[(mine, bool(sla))]
    values: dict[str, Any] = {"owner_id": filters.owner_id} if mine else {}
    found = read.rows(sla, moment=now, **values) if sla else read.rows(**values)
    return found[0]["n"]


def queue_first_rows(
    filters: Any, sort: str, *, now: dt.datetime, rows: int
) -> list[dict[str, Any]] | None:
    """The queue's first ``rows`` tickets as ``_page_queryset(filters, now)[:rows]`` gives
    them, through a read compiled once per shape of filters (:func:`_kept_shape`); None for
    a shape not kept (the caller reads through the ORM)."""
    shape = _kept_shape(filters, sort)
    if shape is None:
        return None
    mine, sla = shape
    if mine:
        return OWN_PAGE_READ.rows(sla, rows, moment=now, owner_id=filters.owner_id)
    return ANYONES_PAGE_READ.rows(sla, rows, moment=now)
