"""What other contexts may know of interactions: summaries per customer, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q

from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.request_memo import memoised
from yuqi.interactions.choices import Channel, ContactOutcome
from yuqi.interactions.models import Interaction, Queue


@dataclass(frozen=True)
class ContactSummary:
    total: int
    last_90_days: int
    abandoned_90_days: int
    last_contact_at: datetime | None
    by_channel: dict[str, int]


@dataclass(frozen=True)
class ContactLine:
    id: int
    arrived_at: datetime
    channel: str
    channel_label: str
    direction: str
    queue: str
    agent: str
    category: str
    abandoned: bool
    wait_seconds: int
    handle_seconds: int
    transferred: bool
    first_contact_resolved: bool | None
    outcome: str = ""
    outcome_label: str = ""
    complaint_number: str = ""
    notes: str = ""
    customer_id: int | None = None


def _contact_counts(*, customer_id: int, since: datetime):
    return (
        Interaction.objects.filter(customer_id=customer_id)
        .order_by()
        .values_list("channel")
        .annotate(
            n=Count("id"),
            recent=Count("id", filter=Q(arrived_at__gte=since)),
            recent_abandoned=Count("id", filter=Q(arrived_at__gte=since, abandoned=True)),
            last=Max("arrived_at"),
        )
        .values_list("channel", "n", "recent", "recent_abandoned", "last")
    )


#: The 360's contact counts by channel, compiled once per database (building and compiling
#: the grouped read with its filtered counts was about half a millisecond of every 360).
CONTACT_COUNTS_READ = CompiledRead(
    _contact_counts,
    model=Interaction,
    customer_id=Interaction._meta.get_field("customer"),
    since=Interaction._meta.get_field("arrived_at"),
)


def contact_summary(customer_id: int) -> ContactSummary:
    """The customer's contact counts, in one read grouped by channel (the totals are the
    channels' sums, the last contact their latest)."""
    since = now() - timedelta(days=90)
    rows = CONTACT_COUNTS_READ.rows(customer_id=customer_id, since=since)
    by_channel: dict[str, int] = {}
    recent = recent_abandoned = 0
    last: datetime | None = None
    for channel, n, in_90_days, abandoned, latest in rows:
        by_channel[channel] = n
        recent += in_90_days
        recent_abandoned += abandoned
        if latest is not None and (last is None or latest > last):
            last = latest
    return ContactSummary(sum(by_channel.values()), recent, recent_abandoned, last, by_channel)


def _line(row: Interaction) -> ContactLine:
    return ContactLine(
        row.pk,
        row.arrived_at,
        row.channel,
        row.get_channel_display(),
        row.direction,
        str(row.queue) if row.queue else "",
        str(row.agent) if row.agent else "",
        row.category,
        row.abandoned,
        row.wait_seconds,
        row.handle_seconds,
        row.transferred,
        row.first_contact_resolved,
        row.outcome,
        row.get_outcome_display() if row.outcome else "",
        row.complaint_number,
        row.notes,
        row.customer_id,
    )


#: What a timeline line reads of a contact, its queue and its agent (plain values).
_LINE_VALUES = (
    "pk",
    "arrived_at",
    "channel",
    "direction",
    "queue__name",
    "queue__code",
    "agent__name",
    "agent__code",
    "category",
    "abandoned",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "wrap_seconds",
    "transferred",
    "first_contact_resolved",
    "outcome",
    "complaint_number",
    "notes",
    "customer_id",
)


def _recent_contacts(limit: int, *, customer_id: int):
    return (
        Interaction.objects.filter(customer_id=customer_id)
        .order_by("-arrived_at")
        .values_list(*_LINE_VALUES)[:limit]
    )


#: The 360's contact timeline, compiled once per database and limit (building and compiling
#: the three-table read of twenty columns was about half a millisecond of every 360).
RECENT_CONTACTS_READ = CompiledRead(
    _recent_contacts, model=Interaction, customer_id=Interaction._meta.get_field("customer")
)


def recent_contacts(customer_id: int, *, limit: int = 30) -> list[ContactLine]:
    """The customer's latest contacts, newest first, as :func:`_line` makes them, read as
    plain values (no model instances for the contact, its queue and its agent)."""
    channels = dict(Channel.choices)
    outcomes = dict(ContactOutcome.choices)
    rows = RECENT_CONTACTS_READ.rows(limit, customer_id=customer_id)
    lines = []
    for (
        pk,
        arrived_at,
        channel,
        direction,
        queue_name,
        queue_code,
        agent_name,
        agent_code,
        category,
        abandoned,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        wrap_seconds,
        transferred,
        first_contact_resolved,
        outcome,
        complaint_number,
        notes,
        line_customer_id,
    ) in rows:
        lines.append(
            ContactLine(
                pk,
                arrived_at,
                channel,
                str(channels.get(channel, channel)),
                direction,
                (queue_name or queue_code) if queue_code is not None else "",
                (agent_name or agent_code) if agent_code is not None else "",
                category,
                abandoned,
                wait_seconds,
                talk_seconds + hold_seconds + wrap_seconds,
                transferred,
                first_contact_resolved,
                outcome,
                str(outcomes.get(outcome, outcome)) if outcome else "",
                complaint_number,
                notes,
                line_customer_id,
            )
        )
    return lines


@dataclass(frozen=True)
class HandledContact:
    """A contact handled by an agent, as the post-contact survey needs it (surveys context)."""

    id: int
    customer_id: int
    queue_code: str
    agent_user_id: int | None
    ended_at: datetime | None


def customers_contacted_since(since: datetime) -> set[int]:
    """Ids of identified customers with a contact that arrived at or after ``since``."""
    return set(
        Interaction.objects.filter(arrived_at__gte=since, customer__isnull=False)
        .order_by()
        .values_list("customer_id", flat=True)
        .distinct()
    )


def handled_contacts_between(start: datetime, end: datetime) -> list[HandledContact]:
    """Answered (not abandoned) contacts of identified customers that ended in [start, end)."""
    rows = (
        Interaction.objects.filter(
            ended_at__gte=start, ended_at__lt=end, abandoned=False, customer__isnull=False
        )
        .exclude(answered_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "customer_id", "queue__code", "agent__user_id", "ended_at")
    )
    return [HandledContact(pk, c, q or "", u, e) for pk, c, q, u, e in rows]


def handled_contact(interaction_id: int) -> HandledContact | None:
    row = (
        Interaction.objects.filter(pk=interaction_id)
        .values_list("pk", "customer_id", "queue__code", "agent__user_id", "ended_at")
        .first()
    )
    if row is None:
        return None
    pk, customer_id, queue_code, user_id, ended_at = row
    return HandledContact(pk, customer_id or 0, queue_code or "", user_id, ended_at)


@dataclass(frozen=True)
class ContactFacts:
    """What survey analysis and the survey demo need of a contact (surveys context)."""

    id: int
    customer_id: int | None
    channel: str
    channel_label: str
    queue_code: str
    wait_seconds: int
    abandoned: bool
    first_contact_resolved: bool | None
    ended_at: datetime | None
    agent: str = ""  # "name (work number)" of the agent who handled it (survey breakdowns)
    team: str = ""  # the agent's team name


_FACTS_CHUNK = 5_000
"""Ids per query of :func:`contact_facts` (stays under SQLite's bound-parameter limit)."""


def contact_facts(ids: Iterable[int]) -> dict[int, ContactFacts]:
    """Channel, queue, wait and resolution of the given contacts, by id (one query per
    5,000 ids)."""
    from yuqi.interactions.choices import Channel

    wanted = sorted({int(i) for i in ids if i})
    fields = ("pk", "customer_id", "channel", "queue__code", "wait_seconds", "abandoned")
    rows = [
        row
        for start in range(0, len(wanted), _FACTS_CHUNK)
        for row in Interaction.objects.filter(
            pk__in=wanted[start : start + _FACTS_CHUNK]
        ).values_list(
            *fields,
            "first_contact_resolved",
            "ended_at",
            "agent__code",
            "agent__name",
            "agent__team__name",
            "agent__team__code",
        )
    ]
    labels = dict(Channel.choices)
    return {
        pk: ContactFacts(
            pk,
            customer,
            channel,
            str(labels.get(channel, channel)),
            queue or "",
            wait,
            abandoned,
            fcr,
            ended,
            (f"{agent_name} ({agent_code})" if agent_name else agent_code) if agent_code else "",
            team_name or team_code or "",
        )
        for (
            pk,
            customer,
            channel,
            queue,
            wait,
            abandoned,
            fcr,
            ended,
            agent_code,
            agent_name,
            team_name,
            team_code,
        ) in rows
    }


def mean_wait_by_customer(customer_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Each identified customer's mean queue wait in seconds over their inbound contacts
    that reached a queue (answered or abandoned). One grouped query."""
    from django.db.models import Avg

    rows = Interaction.objects.filter(customer__isnull=False, queue__isnull=False)
    if customer_ids is not None:
        rows = rows.filter(customer_id__in=set(customer_ids))
    grouped = rows.order_by().values_list("customer_id").annotate(wait=Avg("wait_seconds"))
    return {customer: float(wait) for customer, wait in grouped.values_list("customer_id", "wait")}


# ------------------------------------------------- a complaint opened from a contact (complaints)


@dataclass(frozen=True)
class ContactForComplaint:
    """What the complaint form is prefilled with when a complaint is opened from a contact."""

    id: int
    customer_id: int | None
    channel: str
    category: str
    notes: str
    arrived_at: datetime
    complaint_number: str


def contact_for_complaint(interaction_id: int) -> ContactForComplaint | None:
    row = (
        Interaction.objects.filter(pk=interaction_id)
        .values_list(
            "pk", "customer_id", "channel", "category", "notes", "arrived_at", "complaint_number"
        )
        .first()
    )
    return ContactForComplaint(*row) if row else None


def contact_link_complaint(
    *, interaction_id: int, customer_id: int, complaint_id: int, complaint_number: str
) -> None:
    """Link the contact to the complaint opened from it; ``DomainError`` when it is another
    customer's or is linked already. Runs in the caller's transaction."""
    from yuqi.interactions.services import contact_link_complaint as link

    link(
        interaction_id=interaction_id,
        customer_id=customer_id,
        complaint_id=complaint_id,
        complaint_number=complaint_number,
    )


#: Read on every ticket page: compiled once.
_COMPLAINT_CONTACTS_READ = CompiledRead(
    lambda *, complaint_id: (
        Interaction.objects.filter(complaint_id=complaint_id)
        .select_related("queue", "agent")
        .order_by("arrived_at")[:10]
    ),
    model=Interaction,
    complaint_id=Interaction._meta.get_field("complaint_id"),
)


def contacts_of_complaint(complaint_id: int) -> list[ContactLine]:
    """The contacts the complaint was opened from (normally one)."""
    return [_line(row) for row in _COMPLAINT_CONTACTS_READ.objects(complaint_id=complaint_id)]


# ---------------------------------------------------------------------------- quality (QA)


@dataclass(frozen=True)
class AgentRef:
    """An agent as the quality context needs them (work number, team, signed-in user)."""

    code: str
    name: str
    team_code: str
    team_name: str
    user_id: int | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


def _agent_refs(rows) -> list[AgentRef]:
    return [
        AgentRef(code, name or "", team_code or "", team_name or "", user_id)
        for code, name, team_code, team_name, user_id in rows.values_list(
            "code", "name", "team__code", "team__name", "user_id"
        )
    ]


def agent_refs(codes: Iterable[str] | None = None) -> dict[str, AgentRef]:
    """Agents by work number (all of them, or those given)."""
    from yuqi.interactions.models import Agent

    rows = Agent.objects.order_by("code")
    if codes is not None:
        rows = rows.filter(code__in=set(codes))
    return {ref.code: ref for ref in _agent_refs(rows)}


def agent_for_user(user_id: int | None) -> AgentRef | None:
    """The agent profile of a signed-in user, if they have one."""
    from yuqi.interactions.models import Agent

    if not user_id:
        return None
    refs = _agent_refs(Agent.objects.filter(user_id=user_id))
    return refs[0] if refs else None


def agents_for_users(user_ids: Iterable[int]) -> dict[int, AgentRef]:
    """The agent profiles of these users, by user id (one query; users without one left out)."""
    from yuqi.interactions.models import Agent

    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    rows = Agent.objects.filter(user_id__in=wanted).order_by("code")
    out: dict[int, AgentRef] = {}
    for ref in _agent_refs(rows):
        if ref.user_id is not None:
            out.setdefault(ref.user_id, ref)
    return out


@dataclass(frozen=True)
class QaContact:
    """A handled contact as quality evaluation and sampling need it (evidence included)."""

    id: int
    channel: str
    channel_label: str
    queue_code: str
    queue_name: str
    agent_code: str
    agent_name: str
    agent_user_id: int | None
    team_code: str
    team_name: str
    customer_id: int | None
    arrived_at: datetime
    ended_at: datetime | None
    wait_seconds: int
    handle_seconds: int
    transferred: bool
    first_contact_resolved: bool | None
    category: str
    notes: str


_QA_FIELDS = (
    "pk",
    "channel",
    "queue__code",
    "queue__name",
    "agent__code",
    "agent__name",
    "agent__user_id",
    "agent__team__code",
    "agent__team__name",
    "customer_id",
    "arrived_at",
    "ended_at",
    "wait_seconds",
    "talk_seconds",
    "wrap_seconds",
    "transferred",
    "first_contact_resolved",
    "category",
    "notes",
)


def qa_contacts(
    *,
    ids: Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    agent_codes: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[QaContact]:
    """Answered contacts handled by an agent, newest first: by id, or arrived in
    ``[start, end)``, optionally only some agents' (``limit`` caps the rows)."""
    from yuqi.interactions.choices import Channel

    rows = Interaction.objects.filter(agent__isnull=False, abandoned=False)
    if ids is not None:
        rows = rows.filter(pk__in=sorted({int(i) for i in ids}))
    if start is not None:
        rows = rows.filter(arrived_at__gte=start)
    if end is not None:
        rows = rows.filter(arrived_at__lt=end)
    if agent_codes is not None:
        rows = rows.filter(agent__code__in=set(agent_codes))
    rows = rows.order_by("-arrived_at", "-pk")
    if limit is not None:
        rows = rows[:limit]
    labels = {value: str(label) for value, label in Channel.choices}  # translated once
    out = []
    for r in rows.values(*_QA_FIELDS):
        out.append(
            QaContact(
                id=r["pk"],
                channel=r["channel"],
                channel_label=labels.get(r["channel"], str(r["channel"])),
                queue_code=r["queue__code"] or "",
                queue_name=r["queue__name"] or "",
                agent_code=r["agent__code"] or "",
                agent_name=r["agent__name"] or "",
                agent_user_id=r["agent__user_id"],
                team_code=r["agent__team__code"] or "",
                team_name=r["agent__team__name"] or "",
                customer_id=r["customer_id"],
                arrived_at=r["arrived_at"],
                ended_at=r["ended_at"],
                wait_seconds=r["wait_seconds"],
                handle_seconds=r["talk_seconds"] + r["wrap_seconds"],
                transferred=r["transferred"],
                first_contact_resolved=r["first_contact_resolved"],
                category=r["category"] or "",
                notes=r["notes"] or "",
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class AgentContactKey:
    """A handled contact's key: id, agent work number and arrival (for drawing samples)."""

    id: int
    agent_code: str
    arrived_at: datetime


def agent_contact_keys(*, start: datetime, end: datetime) -> list[AgentContactKey]:
    """The contacts :func:`qa_contacts` returns for ``[start, end)``, as keys only, in id order:
    one narrow query, for drawing a sample from hundreds of thousands of contacts (the
    evaluation then reads its contact with ``qa_contacts(ids=…)``)."""
    rows = (
        Interaction.objects.filter(
            agent__isnull=False, abandoned=False, arrived_at__gte=start, arrived_at__lt=end
        )
        .order_by("pk")
        .values_list("pk", "agent__code", "arrived_at")
    )
    return [AgentContactKey(pk, code or "", at) for pk, code, at in rows]


@dataclass(frozen=True)
class AgentHandling:
    """An agent's handled contacts over a period: count, FCR share, mean handle time (s)."""

    agent_code: str
    contacts: int
    fcr_known: int
    fcr_yes: int
    mean_handle_seconds: float | None

    @property
    def fcr_rate(self) -> float | None:
        return self.fcr_yes / self.fcr_known if self.fcr_known else None


def agent_handling(*, start: datetime, end: datetime) -> dict[str, AgentHandling]:
    """Per agent (work number): contacts answered in ``[start, end)``, FCR and AHT. One query."""
    from django.db.models import Avg, F

    rows = (
        Interaction.objects.filter(
            agent__isnull=False, abandoned=False, arrived_at__gte=start, arrived_at__lt=end
        )
        .order_by()
        .values("agent__code")
        .annotate(
            n=Count("pk"),
            known=Count("pk", filter=Q(first_contact_resolved__isnull=False)),
            yes=Count("pk", filter=Q(first_contact_resolved=True)),
            aht=Avg(F("talk_seconds") + F("wrap_seconds")),
        )
    )
    return {
        r["agent__code"]: AgentHandling(
            r["agent__code"],
            r["n"],
            r["known"],
            r["yes"],
            float(r["aht"]) if r["aht"] is not None else None,
        )
        for r in rows
    }


def agents_handling_count(*, start: datetime, end: datetime) -> int:
    """How many agents :func:`agent_handling` lists for ``[start, end)`` (those who handled a
    contact that arrived then and was not abandoned), without grouping the period's
    contacts: one ``EXISTS`` per agent on index ``interaction_agent_arrived``."""
    from django.db.models import Exists, OuterRef

    from yuqi.interactions.models import Agent

    handled = Interaction.objects.filter(
        agent=OuterRef("pk"), abandoned=False, arrived_at__gte=start, arrived_at__lt=end
    )
    return Agent.objects.filter(Exists(handled)).count()


def queue_names() -> dict[str, str]:
    """Queue code → its name (the code when it has none), for pages that hold codes."""
    return {code: name or code for code, name in Queue.objects.values_list("code", "name")}


def derive_contact_columns() -> int:
    """Bring the contacts' derived KPI columns up to date (``yuqi.interactions.derived``);
    returns how many contacts were pending (0 costs one indexed EXISTS)."""
    from yuqi.interactions.derived import contacts_derive

    return contacts_derive()


def refresh_kpi_rollups() -> int:
    """Bring the KPI rollups up to date (``yuqi.interactions.rollups``); returns the rollup
    rows written."""
    from yuqi.interactions.rollups import rollups_refresh

    return rollups_refresh().rows


def rebuild_kpi_rollups(date_from: date | None, date_to: date | None) -> tuple[int, int]:
    """Rebuild the KPI rollups of a range of local days (all without one), then refresh the
    planner's statistics (PostgreSQL); returns (days, rows) rebuilt."""
    from yuqi.interactions.rollups import analyze_rollups, rollups_rebuild

    result = rollups_rebuild(date_from, date_to)
    analyze_rollups()
    return result.days, result.rows


@memoised
def kpi_rollups_state() -> tuple[datetime, str] | None:
    """When the KPI rollups were last brought up to date and their data version, a token
    moved by every write of them (a result computed from the rollups alone can be cached
    under it); ``None`` if never built. Read once per GET page (``yuqi.core.request_memo``)."""
    from yuqi.interactions.rollups import rollup_state

    return rollup_state()


@memoised
def kpi_rollups_as_of() -> datetime | None:
    """When the KPI rollups were last brought up to date; ``None`` if never built. Read once
    per GET page (the dashboard's four KPI tables all ask; ``yuqi.core.request_memo``)."""
    state = kpi_rollups_state()
    return None if state is None else state[0]


def customers_contacted_in_queue(queue_code: str, since: datetime) -> set[int]:
    """Ids of identified customers with a contact in queue ``queue_code`` that arrived at or
    after ``since`` (the audience of a notice about that queue's service)."""
    return set(
        Interaction.objects.filter(
            arrived_at__gte=since, customer__isnull=False, queue__code=queue_code
        )
        .order_by()
        .values_list("customer_id", flat=True)
        .distinct()
    )
