"""What other contexts may know of and do with complaints (ADR 0002): plain frozen
dataclasses and a few calls, never the models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from yuqi.complaints.choices import ComplaintState
from yuqi.core.clock import now
from yuqi.core.request_memo import memoised, remember


@dataclass(frozen=True)
class ComplaintLine:
    """A one-line summary of a ticket for the customer 360, promise lists and surveys."""

    id: int
    number: str
    customer_id: int
    state: str
    state_label: str
    level_code: str
    level_label: str
    is_regulator: bool
    category: str
    owner_id: int | None
    sla_state: str
    next_due_at: datetime | None
    risk_score: int
    opened_at: datetime
    closed_at: datetime | None


def _line(row) -> ComplaintLine:  # row: Complaint with level and category selected
    return ComplaintLine(
        id=row.pk,
        number=row.number,
        customer_id=row.customer_id,
        state=row.state,
        state_label=str(row.get_state_display()),
        level_code=row.level.code,
        level_label=row.level.label,
        is_regulator=row.level.is_regulator,
        category=row.category.label if row.category else "",
        owner_id=row.owner_id,
        sla_state=row.sla_state,
        next_due_at=row.next_due_at,
        risk_score=row.risk_score,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
    )


def open_complaints_for_customer(customer_id: int) -> list[ComplaintLine]:
    """The customer's open tickets, most urgent first."""
    from yuqi.complaints.selectors import QueueFilter, complaint_queue

    filters = QueueFilter(state="open", customer_id=customer_id)
    rows = complaint_queue(filters=filters, now=now())
    return [_line(row) for row in rows]


@memoised
def complaint_refs(ids: Iterable[int]) -> dict[int, ComplaintLine]:
    """Summaries of the given tickets by id (unknown ids are left out)."""
    from yuqi.complaints.models import Complaint

    rows = Complaint.objects.filter(pk__in=set(ids)).select_related("level", "category")
    return {row.pk: _line(row) for row in rows}


def complaint_reopen_for_recovery(
    *, complaint_id: int, reason: str, by_id: int | None = None
) -> None:
    """An unhappy post-contact answer: reopen the ticket into service recovery."""
    from yuqi.complaints.services import complaint_reopen_for_recovery as reopen

    reopen(complaint_id=complaint_id, reason=reason, by_id=by_id)


def customers_with_complaints() -> list[int]:
    """Ids of every customer who ever complained (surveys use it to stratify samples)."""
    from yuqi.complaints.models import Complaint

    return list(Complaint.objects.order_by().values_list("customer_id", flat=True).distinct())


@dataclass(frozen=True)
class ComplaintText:
    """A ticket's words for text mining: the account and the demand, joined (unmasked: the
    caller masks before storing anything derived)."""

    number: str
    customer_id: int
    tier: str  # the customer's tier code ("" without a tier)
    opened_at: datetime
    text: str
    category: str = ""  # the ticket's complaint category code ("" without one)


@memoised
def complaint_texts(ids: Iterable[int]) -> dict[int, ComplaintText]:
    """The texts of the given tickets by id (unknown ids are left out)."""
    from yuqi.complaints.models import Complaint

    rows = (
        Complaint.objects.filter(pk__in=set(ids))
        .select_related("customer__tier", "category")
        .only(
            "number",
            "customer_id",
            "customer__tier__code",
            "category__code",
            "opened_at",
            "account",
            "demand",
        )
    )
    return {row.pk: _text(row) for row in rows}


def _text(row) -> ComplaintText:  # row: Complaint with customer, tier and category selected
    return ComplaintText(
        number=row.number,
        customer_id=row.customer_id,
        tier=row.customer.tier.code if row.customer.tier_id else "",
        opened_at=row.opened_at,
        text="\n".join(part for part in (row.account, row.demand) if part),
        category=row.category.code if row.category_id else "",
    )


def complaint_ids(
    *,
    opened_from: datetime | None = None,
    opened_to: datetime | None = None,
    open_only: bool = False,
) -> list[int]:
    """Ids of tickets opened in ``[opened_from, opened_to)`` (either end optional), oldest
    first; ``open_only`` keeps tickets that are not closed."""
    from yuqi.complaints.models import Complaint

    rows = Complaint.objects.order_by("opened_at", "pk")
    if opened_from is not None:
        rows = rows.filter(opened_at__gte=opened_from)
    if opened_to is not None:
        rows = rows.filter(opened_at__lt=opened_to)
    if open_only:
        rows = rows.exclude(state=ComplaintState.CLOSED)
    return list(rows.values_list("pk", flat=True))


# ------------------------------------------------------------------ suggestions and praise
@dataclass(frozen=True)
class FeedbackFact:
    """Suggestions and praise on one topic (a taxonomy code) in a period, for the expectation
    register (counted as evidence)."""

    topic: str
    suggestions: int
    praise: int
    customers: int
    examples: tuple[str, ...]


def feedback_evidence(*, date_from: date, date_to: date) -> tuple[FeedbackFact, ...]:
    """Suggestions and praise recorded from ``date_from`` to ``date_to`` (local dates,
    inclusive) with a topic, grouped by topic; up to three example texts each."""
    import datetime as dt

    from django.utils import timezone

    from yuqi.complaints.models import Feedback

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = (
        Feedback.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(topic="")
        .order_by("topic", "created_at")
        .values_list("topic", "kind", "customer_id", "text")
    )
    grouped: dict[str, list[tuple[str, int, str]]] = {}
    for topic, kind, customer_id, text in rows:
        grouped.setdefault(topic, []).append((kind, customer_id, text))
    return tuple(
        FeedbackFact(
            topic=topic,
            suggestions=sum(1 for kind, _c, _t in items if kind == "suggestion"),
            praise=sum(1 for kind, _c, _t in items if kind == "praise"),
            customers=len({c for _k, c, _t in items}),
            examples=tuple(text[:200] for _k, _c, text in items[:3]),
        )
        for topic, items in sorted(grouped.items())
    )


@memoised
def complaint_complainer_type(complaint_id: int) -> str:
    """The ticket's complainer type (confirmed, else suggested); "" when unknown."""
    from yuqi.complaints.models import Complaint

    row = (
        Complaint.objects.filter(pk=complaint_id)
        .values("complainer_type", "complainer_type_suggested")
        .first()
    )
    if row is None:
        return ""
    return row["complainer_type"] or row["complainer_type_suggested"] or ""


def remember_ticket(ticket) -> None:  # ticket: Complaint read whole, as the ticket page does
    """Within a GET request, the ticket page's ticket (every field, with level, category,
    customer and tier joined) answers the panels' later :func:`complaint_refs`,
    :func:`complaint_texts` and :func:`complaint_complainer_type` of the same ticket, which
    would read it again (``yuqi.core.request_memo``)."""
    remember(complaint_refs, [ticket.pk], value={ticket.pk: _line(ticket)})
    remember(complaint_texts, [ticket.pk], value={ticket.pk: _text(ticket)})
    kind = ticket.complainer_type or ticket.complainer_type_suggested or ""
    remember(complaint_complainer_type, ticket.pk, value=kind)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a ticket's timeline, worded in the active language (quality evidence)."""

    at: datetime
    label: str
    by: str
    text: str


def complaint_timeline(complaint_id: int, *, limit: int = 50) -> list[TimelineEntry]:
    """The ticket's timeline, oldest first (at most ``limit`` lines)."""
    from yuqi.complaints.models import ComplaintEvent
    from yuqi.complaints.presenters import timeline_lines

    events = list(
        ComplaintEvent.objects.filter(complaint_id=complaint_id)
        .select_related("by")
        .order_by("at", "pk")[:limit]
    )
    return [
        TimelineEntry(line.at, line.label, line.by, line.text) for line in timeline_lines(events)
    ]


@dataclass(frozen=True)
class WrittenNote:
    """Text a person wrote on a ticket's timeline: a note, or the note given with a state
    change or a recovery decision (quality's phrase checks read these)."""

    event_id: int
    complaint_id: int
    by_id: int
    text: str


#: timeline events that carry words a person typed, and the parameter holding them
_WRITTEN = {"note": "text", "transitioned": "note", "recovery_decided": "note"}


def notes_written(since: datetime, until: datetime) -> list[WrittenNote]:
    """Notes people wrote on tickets in [since, until), oldest first; empty ones left out."""
    from yuqi.complaints.models import ComplaintEvent

    rows = (
        ComplaintEvent.objects.filter(
            at__gte=since, at__lt=until, kind__in=list(_WRITTEN), by__isnull=False
        )
        .order_by("at", "pk")
        .values_list("pk", "complaint_id", "by_id", "kind", "parameters")
    )
    out = []
    for pk, complaint_id, by_id, kind, parameters in rows:
        text = str((parameters or {}).get(_WRITTEN[kind]) or "").strip()
        if text:
            out.append(WrittenNote(pk, complaint_id, by_id, text))
    return out


@dataclass(frozen=True)
class SlaCompliance:
    """Complaint SLA compliance by the book for local days ``date_from``…``date_to``: of the
    clocks whose target fell in the period, ``met`` stopped by it; ``overdue`` are still open
    past it (breached now); ``open_overdue_now`` every open clock past its target now,
    whatever the period. Definitions: :mod:`yuqi.complaints.measures`."""

    met: int
    due: int
    overdue: int
    open_overdue_now: int

    @property
    def rate(self) -> float | None:
        """Met ÷ due; ``None`` when no clock was due (no data, never 0)."""
        return self.met / self.due if self.due else None


def sla_compliance(*, date_from: date, date_to: date) -> SlaCompliance:
    """The one SLA compliance figure of the scorecard, the dashboard, the service measures
    page and its API (every clock kind)."""
    from yuqi.complaints.measures import CLOCK_KINDS, clocks_due_between, open_overdue_now

    counts = clocks_due_between(date_from, date_to).get((), {})

    def total(what: str) -> int:
        return sum(counts.get(f"n_{kind}_{what}", 0) for kind in CLOCK_KINDS)

    return SlaCompliance(
        met=total("met"),
        due=total("stopped") + total("overdue"),
        overdue=total("overdue"),
        open_overdue_now=open_overdue_now(),
    )


# ------------------------------------------------------------------ root causes and rates
@dataclass(frozen=True)
class LabelledCode:
    """A configured code (root cause, category, team) with its name in the active language."""

    code: str
    label: str


def root_cause_choices() -> list[LabelledCode]:
    from yuqi.complaints.models import RootCause

    return [LabelledCode(r.code, r.label) for r in RootCause.objects.order_by("position", "code")]


def category_choices() -> list[LabelledCode]:
    from yuqi.complaints.models import ComplaintCategory

    rows = ComplaintCategory.objects.order_by("position", "code")
    return [LabelledCode(r.code, r.label) for r in rows]


def team_choices() -> list[LabelledCode]:
    """Teams that own complaint tickets (the complaint work queues)."""
    from yuqi.complaints.models import Complaint

    rows = (
        Complaint.objects.exclude(team__isnull=True)
        .order_by()
        .values_list("team__code", "team__name")
        .distinct()
    )
    return sorted((LabelledCode(code, name or code) for code, name in rows), key=lambda c: c.code)


def _category_filter(category: str):
    from django.db.models import Q

    return (
        Q(category__code=category)
        | Q(category__parent__code=category)
        | Q(category__parent__parent__code=category)
    )


@dataclass(frozen=True)
class RootCauseCount:
    month: date  # first day of the month the ticket closed
    root_cause: str  # code, "" for a ticket closed without one
    label: str
    count: int


def closed_root_causes(
    *, date_from: date, date_to: date, category: str = "", team: str = ""
) -> list[RootCauseCount]:
    """Closed tickets per month of closing and root cause, from ``date_from`` to ``date_to``
    (local days, both included); ``category`` keeps that category and its sub-categories,
    ``team`` the tickets of that team (queue). One grouped query."""
    from datetime import timedelta

    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from yuqi.complaints.models import Complaint, RootCause
    from yuqi.core.clock import day_start

    rows = Complaint.objects.filter(
        state=ComplaintState.CLOSED,
        closed_at__gte=day_start(date_from),
        closed_at__lt=day_start(date_to + timedelta(days=1)),
    )
    if category:
        rows = rows.filter(_category_filter(category))
    if team:
        rows = rows.filter(team__code=team)
    grouped = (
        rows.annotate(month=TruncMonth("closed_at"))
        .values("month", "root_cause__code")
        .annotate(n=Count("id"))
        .order_by("month", "root_cause__code")
    )
    labels = {r.code: r.label for r in RootCause.objects.all()}
    out = []
    for row in grouped:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        code = row["root_cause__code"] or ""
        out.append(RootCauseCount(month.replace(day=1), code, labels.get(code, code), row["n"]))
    return out


def complaints_in_category(*, category: str, date_from: date, date_to: date) -> int:
    """Tickets opened from ``date_from`` to ``date_to`` (local days, both included) in
    ``category`` or a sub-category ("" = every ticket)."""
    from datetime import timedelta

    from yuqi.complaints.models import Complaint
    from yuqi.core.clock import day_start

    rows = Complaint.objects.filter(
        opened_at__gte=day_start(date_from), opened_at__lt=day_start(date_to + timedelta(days=1))
    )
    if category:
        rows = rows.filter(_category_filter(category))
    return rows.count()


def customers_with_complaints_in_category(category: str, since: datetime) -> set[int]:
    """Ids of customers with a ticket opened at or after ``since`` in ``category`` (a
    product or service line of the category tree) or one of its sub-categories."""
    from yuqi.complaints.models import Complaint

    rows = Complaint.objects.filter(_category_filter(category), opened_at__gte=since)
    return set(rows.order_by().values_list("customer_id", flat=True).distinct())


# ------------------------------------------------------------------ e-mail intake
def complaint_by_number(number: str) -> ComplaintLine | None:
    """The ticket with this number (``TS-YYYYMMDD-NNNN``), or None."""
    from yuqi.complaints.models import Complaint

    row = Complaint.objects.filter(number=number[:30]).select_related("level", "category").first()
    return _line(row) if row is not None else None


def complaint_open_from_email(*, customer_id: int, subject: str, text: str) -> ComplaintLine:
    """A ticket opened from a customer's e-mail (source channel e-mail, logged by nobody):
    the subject and the text are the customer's account. The customer is told it was
    received, as for any ticket."""
    from yuqi.complaints.choices import SourceChannel
    from yuqi.complaints.services import complaint_open

    account = "\n\n".join(part for part in (subject.strip(), text.strip()) if part)
    ticket = complaint_open(
        customer_id=customer_id,
        account=account or "(e-mail without text)",
        by=None,
        channel=SourceChannel.EMAIL,
    )
    return complaint_refs([ticket.pk])[ticket.pk]


def complaint_record_email(*, complaint_id: int, parameters: dict) -> None:
    """An e-mail about the ticket arrived: an ``email_received`` line on its timeline
    (``parameters``: subject, sender (masked), text excerpt, attachments, notes)."""
    from yuqi.complaints.services import complaint_record_external_event

    complaint_record_external_event(
        complaint_id=complaint_id, kind="email_received", parameters=parameters
    )


# ------------------------------------------------------------------ the customer's own channel
@dataclass(frozen=True)
class FiledComplaint:
    """A ticket a customer filed themselves: its number and when the first reply is due
    under the level's SLA policy (None when no policy applies)."""

    id: int
    number: str
    first_response_due: datetime | None


def complaint_file_by_customer(
    *, customer_id: int, account: str, demand: str = "", channel: str = "web"
) -> FiledComplaint:
    """Open a ticket from the customer's own words (the public form), through the same service
    the agents' page uses: numbered, scored, clocks started, the customer told, the text
    pipeline run after the commit. Nobody is its owner yet; it waits in the queue."""
    from yuqi.complaints.models import SlaClock
    from yuqi.complaints.services import complaint_open

    ticket = complaint_open(
        customer_id=customer_id, account=account, demand=demand, by=None, channel=channel
    )
    due = (
        SlaClock.objects.filter(complaint=ticket, kind="first_response")
        .order_by("-started_at", "-id")
        .values_list("due_at", flat=True)
        .first()
    )
    return FiledComplaint(ticket.pk, ticket.number, due)


@dataclass(frozen=True)
class PublicStatus:
    """What a customer may see of their own ticket: no owner, notes or internal fields.
    ``next_due_kind`` is the running SLA clock due first (first_response, resolution,
    callback) and ``next_due_at`` its due time."""

    id: int
    number: str
    customer_id: int
    state: str
    state_label: str
    opened_at: datetime
    closed_at: datetime | None
    next_due_kind: str
    next_due_at: datetime | None


def complaint_public_status(number: str) -> PublicStatus | None:
    """The customer-facing status of ticket ``number``; None for an unknown number."""
    from yuqi.complaints.models import Complaint, SlaClock

    row = Complaint.objects.filter(number=number).first()
    if row is None:
        return None
    clock = (
        SlaClock.objects.filter(complaint=row, stopped_at__isnull=True, due_at__isnull=False)
        .order_by("due_at", "id")
        .values_list("kind", "due_at")
        .first()
    )
    return PublicStatus(
        id=row.pk,
        number=row.number,
        customer_id=row.customer_id,
        state=row.state,
        state_label=str(row.get_state_display()),
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        next_due_kind=clock[0] if clock else "",
        next_due_at=clock[1] if clock else None,
    )


def feedback_submit(*, customer_id: int, kind: str, text: str, topic: str = "") -> int:
    """Record a suggestion or praise the customer sent through the public form (thanked by
    message, routed to an owner, evidence on the register by ``topic``); returns its id.
    Raises ``DomainError`` as ``feedback_record`` does."""
    from yuqi.complaints.book import feedback_record

    row = feedback_record(
        customer_id=customer_id, kind=kind, text=text, source="form", by=None, topic=topic
    )
    return row.pk


def feedback_texts(ids: Iterable[int]) -> dict[int, str]:
    """What the customer said in the given suggestions and praise, by id."""
    from yuqi.complaints.models import Feedback

    return dict(Feedback.objects.filter(pk__in=set(ids)).values_list("pk", "text"))
