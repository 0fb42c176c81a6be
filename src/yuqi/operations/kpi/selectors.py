"""KPI engine, database side: the counts of ``yuqi.domain.kpi`` as SQL aggregates.

One query per call returns one row of sums per group (``GROUP BY`` the requested keys); the
ratios are then computed from those sums by the pure module, so the database does the O(rows)
work and Python only the O(groups) rest. Works on SQLite and PostgreSQL.

Time buckets are local (``settings.TIME_ZONE``, Asia/Shanghai by default): day, week
(Monday) and month use Django's ``Trunc`` with that zone; an interval of 15/30/60 minutes is
the local hour (``TruncHour``) plus the local minute rounded down to the interval
(``ExtractMinute`` cast to an integer, then integer division). Both functions are translated
per vendor by Django (``django_datetime_trunc``/``django_datetime_extract`` user functions
on SQLite, ``DATE_TRUNC``/``EXTRACT`` of ``AT TIME ZONE`` on PostgreSQL) and the integer
arithmetic is the same on both, so no raw SQL is needed.

The service-level threshold Y is per contact: ``COALESCE(tier.sl_seconds, queue.sl_seconds,
20)``, stored on the contact when it is derived (``sl_seconds``, with its ``tier``); the
default-window derived FCR reads the stored ``repeated`` flag, another window a correlated
``EXISTS`` for a later inbound contact by the same customer on the same category within N
days (index ``interaction_customer_arrived``).

**Rollups.** When the question is answerable from the KPI rollups (``ContactRollup``: sums
per local day × 15-minute slot × queue × channel × tier, ``yuqi.interactions.rollups``) and
they have been built, :func:`kpi_table` sums those rows instead of the contacts: grouped by
time, queue, channel and tier, filtered by queue, channel and tier, with the default
short-abandon threshold and repeat window. A team, an agent or another threshold or window
reads the contacts. A table without intervals sums the day rows (``ContactDayRollup``), and
occupancy's agents of a filtered table come from ``ContactAgentDay``, so the rollup path reads
no contact. Both paths give identical counts (``tests/operations/test_kpi_rollups.py``);
the rollup path's figures are as of the last refresh (:func:`kpi_table_as_of`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractMinute,
    Trunc,
    TruncDate,
    TruncHour,
)
from django.utils import timezone, translation

from yuqi.core.clock import day_start
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.request_memo import memoised
from yuqi.core.versioned_cache import cached_under
from yuqi.customers.models import Tier
from yuqi.domain.kpi import (
    DEFAULT_REPEAT_DAYS,
    DEFAULT_SHORT_ABANDON_SECONDS,
    DEFAULT_SL_SECONDS,
    INTERVAL_CHOICES,
    SL_ABANDONS_EXCLUDED,
    SL_ABANDONS_IN,
    SL_ANSWERED_ONLY,
    SL_SHORT_EXCLUDED,
    KpiCounts,
    KpiValues,
    kpi_values,
)
from yuqi.interactions.choices import Channel, Direction
from yuqi.interactions.facade import derive_contact_columns
from yuqi.interactions.models import (
    Agent,
    ContactAgentDay,
    ContactDayRollup,
    ContactRollup,
    Interaction,
    Queue,
    RollupState,
    Team,
)
from yuqi.operations.kpi.agent_time import with_agent_time

#: The keys a KPI table may be grouped by, in the order they are shown.
DIMENSIONS: tuple[str, ...] = (
    "month",
    "week",
    "day",
    "interval",
    "queue",
    "team",
    "agent",
    "channel",
    "tier",
)
TIME_DIMENSIONS = frozenset({"month", "week", "day", "interval"})
#: The keys the KPI rollups hold (``ContactRollup``); team and agent read the contacts.
ROLLUP_DIMENSIONS = frozenset({"month", "week", "day", "interval", "queue", "channel", "tier"})
#: Where :func:`kpi_table` counts: the rollups when they answer the question, else the
#: contacts ("auto"), or always one of them (tests compare the two).
SOURCES = ("auto", "rollups", "contacts")


@dataclass(frozen=True)
class KpiRow:
    """One group: its keys and labels (by dimension, in ``by`` order), counts and values.

    ``keys``: ``interval`` an aware local datetime (start of the bucket), ``day``/``week``
    (Monday)/``month`` (first day) a date, ``queue``/``team``/``agent``/``tier`` the code,
    ``channel`` the channel code; ``None`` for contacts without one (no agent, no tier).
    ``labels``: the same keys as text for people (names for queue/team/agent/tier).
    """

    keys: Mapping[str, Any]
    labels: Mapping[str, str]
    counts: KpiCounts
    values: KpiValues


#: Every queue in code order (built and compiled once per database: the dashboard's and the
#: staffing plan's queues).
QUEUES_READ = CompiledRead(lambda: Queue.objects.order_by("code"), model=Queue)
_QUEUE_CHOICES_READ = CompiledRead(
    lambda: Queue.objects.order_by("code").values_list("code", "name", "sl_convention"),
    model=Queue,
)
_TIERS_READ = CompiledRead(lambda: Tier.objects.order_by("rank"), model=Tier)


@memoised
def _queues() -> list[tuple[str, str, str]]:
    """Code, name and service-level convention of every queue, in code order: one read per
    GET page for the filter's choices and the convention note."""
    return [
        (code, name or code, convention) for code, name, convention in _QUEUE_CHOICES_READ.rows()
    ]


def queue_choices() -> list[tuple[str, str]]:
    """(code, name) of every queue, in code order: for filters."""
    return [(code, name) for code, name, _convention in _queues()]


def sl_conventions_in_use(queue: str | None = None) -> list[str]:
    """The service-level conventions of the queue ``queue`` (code) or of every queue,
    distinct and sorted: one means the figure follows it, several that each queue's contacts
    follow their own."""
    return sorted(
        {convention for code, _name, convention in _queues() if not queue or code == queue}
    )


def tier_choices() -> list[tuple[str, str]]:
    """(code, name) of every customer tier, highest first: for filters."""
    return [(t.code, str(t)) for t in _TIERS_READ.objects()]


def offered_interactions() -> QuerySet[Interaction]:
    """The contacts KPIs count: inbound and queued (no outbound callbacks, no IVR-only)."""
    return Interaction.objects.filter(direction=Direction.INBOUND, queue__isnull=False)


def _sl_threshold() -> Coalesce:
    return Coalesce(
        F("customer__tier__sl_seconds"),
        F("queue__sl_seconds"),
        Value(DEFAULT_SL_SECONDS),
        output_field=IntegerField(),
    )


def _repeat_exists(repeat_days: int) -> Exists:
    return Exists(
        Interaction.objects.filter(
            direction=Direction.INBOUND,
            customer=OuterRef("customer"),
            category=OuterRef("category"),
            arrived_at__gt=OuterRef("arrived_at"),
            arrived_at__lte=OuterRef("arrived_at") + timedelta(days=repeat_days),
        )
    )


def _in_sl_denominator(is_answered: Q, short_abandon_seconds: int) -> Q:
    """An offered contact counts in the service level's denominator by its queue's convention
    (``yuqi.domain.kpi.in_sl_denominator``)."""
    short = Q(abandoned=True, wait_seconds__lt=short_abandon_seconds)
    convention = "queue__sl_convention"
    return (
        Q(**{convention: SL_ABANDONS_IN})
        | (Q(**{convention: SL_SHORT_EXCLUDED}) & ~short)
        | Q(**{convention: SL_ABANDONS_EXCLUDED}, abandoned=False)
        | (Q(**{convention: SL_ANSWERED_ONLY}) & is_answered)
    )


def count_aggregates(
    *,
    short_abandon_seconds: int,
    repeat_days: int,
    derived_fcr: bool = True,
    stored_repeat: bool = False,
    stored_threshold: bool = False,
) -> dict[str, Any]:
    """The ``KpiCounts`` fields as aggregate expressions (one SQL column each), by alias
    ``n_<field>``; read them back with :func:`counts_from_aggregates`. ``stored_repeat``
    reads the contact's derived ``repeated`` flag (default window only) instead of the
    correlated lookup; ``stored_threshold`` its derived ``sl_seconds`` instead of joining
    its tier and queue."""
    threshold = F("sl_seconds") if stored_threshold else _sl_threshold()
    is_answered = Q(answered_at__isnull=False, abandoned=False)
    candidate = is_answered & Q(customer__isnull=False) & ~Q(category="")
    aggregates: dict[str, Any] = {
        "offered": Count("pk"),
        "answered": Count("pk", filter=is_answered),
        "abandoned": Count("pk", filter=Q(abandoned=True)),
        "short_abandoned": Count(
            "pk", filter=Q(abandoned=True, wait_seconds__lt=short_abandon_seconds)
        ),
        "answered_within": Count("pk", filter=is_answered & Q(wait_seconds__lte=threshold)),
        "answered_wait_seconds": Sum("wait_seconds", filter=is_answered),
        "longest_wait_seconds": Max("wait_seconds"),
        "talk_seconds": Sum("talk_seconds", filter=is_answered),
        "wrap_seconds": Sum("wrap_seconds", filter=is_answered),
        "hold_seconds": Sum("hold_seconds", filter=is_answered),
        "transferred": Count("pk", filter=is_answered & Q(transferred=True)),
        "fcr_flagged": Count("pk", filter=Q(first_contact_resolved__isnull=False)),
        "fcr_resolved": Count("pk", filter=Q(first_contact_resolved=True)),
        "repeat_candidates": Count("pk", filter=candidate),
        "sl_offered": Count("pk", filter=_in_sl_denominator(is_answered, short_abandon_seconds)),
    }
    if derived_fcr:
        repeat = (
            Q(repeated=True)
            if stored_repeat and repeat_days == DEFAULT_REPEAT_DAYS
            else Q(_repeat_exists(repeat_days))
        )
        aggregates["repeated"] = Count("pk", filter=candidate & repeat)
    # Aliases must not shadow the model's fields (``abandoned``) in the later filters.
    return {f"n_{name}": aggregate for name, aggregate in aggregates.items()}


def counts_from_aggregates(row: Mapping[str, Any]) -> KpiCounts:
    """``KpiCounts`` from a row of :func:`count_aggregates` (SQL ``SUM`` of nothing is NULL)."""
    values = {name[2:]: value for name, value in row.items() if name.startswith("n_")}
    longest = values.pop("longest_wait_seconds", None)
    return KpiCounts(
        **{name: value or 0 for name, value in values.items()}, longest_wait_seconds=longest
    )


def _group_expressions(
    by: Sequence[str], interval_minutes: int, *, stored: bool = False
) -> dict[str, Any]:
    tz = timezone.get_default_timezone()
    expressions: dict[str, Any] = {}
    for key in by:
        if stored and key == "tier":
            expressions["k_tier"] = F("tier_id")
        elif stored and key == "interval":
            expressions["k_slot_day"] = F("local_day")
            expressions["k_slot"] = (
                F("local_minute") / Value(interval_minutes) * Value(interval_minutes)
            )
        elif stored and key == "day":
            expressions["k_day"] = F("local_day")
        elif stored and key in ("week", "month"):
            expressions[f"k_{key}"] = Trunc("local_day", key, output_field=DateField())
        elif key == "interval":
            expressions["k_hour"] = TruncHour("arrived_at", tzinfo=tz)
            if interval_minutes != 60:
                minute = Cast(ExtractMinute("arrived_at", tzinfo=tz), IntegerField())
                expressions["k_minute"] = minute / Value(interval_minutes) * Value(interval_minutes)
        elif key == "day":
            expressions["k_day"] = TruncDate("arrived_at", tzinfo=tz)
        elif key in ("week", "month"):
            expressions[f"k_{key}"] = Trunc("arrived_at", key, output_field=DateField(), tzinfo=tz)
        elif key == "tier":
            expressions["k_tier"] = F("customer__tier_id")
        elif key == "channel":
            expressions["k_channel"] = F("channel")
        else:  # queue, team, agent
            expressions[f"k_{key}"] = F(f"{key}_id")
    return expressions


def _as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _labels_for(by: Sequence[str], rows: list[dict[str, Any]]) -> dict[str, dict[Any, Any]]:
    """Code and name of each queue/team/agent/tier id found (one query per dimension)."""
    models = {"queue": Queue, "team": Team, "agent": Agent, "tier": Tier}
    found: dict[str, dict[Any, Any]] = {}
    for key in by:
        if key in models:
            ids = {row[f"k_{key}"] for row in rows} - {None}
            found[key] = {obj.pk: obj for obj in models[key].objects.filter(pk__in=ids)}
    return found


def _key_and_label(
    key: str, row: dict[str, Any], objects: dict[str, dict[Any, Any]], interval_minutes: int
) -> tuple[Any, str]:
    if key == "interval" and "k_slot_day" in row:
        day = _as_date(row["k_slot_day"])
        if day is None:
            return None, ""
        naive = datetime.combine(day, time()) + timedelta(minutes=row["k_slot"] or 0)
        start = timezone.make_aware(naive, timezone.get_default_timezone())
        return start, start.strftime("%Y-%m-%d %H:%M")
    if key == "interval":
        start = timezone.localtime(row["k_hour"]) + timedelta(minutes=row.get("k_minute") or 0)
        return start, start.strftime("%Y-%m-%d %H:%M")
    if key in ("day", "week", "month"):
        day = _as_date(row[f"k_{key}"])
        text = "" if day is None else (day.strftime("%Y-%m") if key == "month" else day.isoformat())
        return day, text
    if key == "channel":
        code = row["k_channel"]
        return code, str(Channel(code).label) if code in Channel.values else code
    obj = objects[key].get(row[f"k_{key}"])
    if obj is None:
        return None, ""
    return obj.code, str(obj)


def _validate(by: Sequence[str], interval_minutes: int) -> None:
    unknown = [key for key in by if key not in DIMENSIONS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; choose from {DIMENSIONS}")
    if len(set(by)) != len(by):
        raise ValueError("each grouping key may be given once")
    if interval_minutes not in INTERVAL_CHOICES:
        raise ValueError(f"interval must be one of {INTERVAL_CHOICES} minutes")


_ROLLUP_SUMS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_within",
    "answered_wait_seconds",
    "talk_seconds",
    "wrap_seconds",
    "hold_seconds",
    "transferred",
    "fcr_flagged",
    "fcr_resolved",
    "repeat_candidates",
    "repeated",
)


def _rollup_aggregates() -> dict[str, Any]:
    """:func:`count_aggregates` over rollup rows: sums of sums, the longest of the longest,
    and the service level's denominator by each row's queue's current convention."""
    convention = "queue__sl_convention"
    denominator = Case(
        When(**{convention: SL_ABANDONS_IN}, then=F("offered")),
        When(**{convention: SL_SHORT_EXCLUDED}, then=F("offered") - F("short_abandoned")),
        When(**{convention: SL_ABANDONS_EXCLUDED}, then=F("offered") - F("abandoned")),
        When(**{convention: SL_ANSWERED_ONLY}, then=F("answered")),
        default=Value(0),
        output_field=IntegerField(),
    )
    aggregates: dict[str, Any] = {f"n_{name}": Sum(name) for name in _ROLLUP_SUMS}
    aggregates["n_longest_wait_seconds"] = Max("longest_wait_seconds")
    aggregates["n_sl_offered"] = Sum(denominator)
    return aggregates


def _rollup_groups(by: Sequence[str], interval_minutes: int) -> dict[str, Any]:
    expressions: dict[str, Any] = {}
    for key in by:
        if key == "interval":
            expressions["k_slot_day"] = F("day")
            expressions["k_slot"] = (
                F("slot") * Value(15) / Value(interval_minutes) * Value(interval_minutes)
            )
        elif key == "day":
            expressions["k_day"] = F("day")
        elif key in ("week", "month"):
            expressions[f"k_{key}"] = Trunc("day", key, output_field=DateField())
        elif key == "tier":
            expressions["k_tier"] = F("tier_id")
        elif key == "channel":
            expressions["k_channel"] = F("channel")
        else:  # queue
            expressions["k_queue"] = F("queue_id")
    return expressions


def rollups_answer(
    by: Sequence[str], *, agent: str | None, short_abandon_seconds: int, repeat_days: int
) -> bool:
    """Whether the KPI rollups hold what this question needs."""
    return (
        set(by) <= ROLLUP_DIMENSIONS
        and not agent
        and short_abandon_seconds == DEFAULT_SHORT_ABANDON_SECONDS
        and repeat_days == DEFAULT_REPEAT_DAYS
    )


def _rollup_found(
    *,
    date_from: date,
    date_to: date,
    by: Sequence[str],
    queue: str | None,
    channel: str | None,
    tier: str | None,
    channels: Collection[str] | None,
    queues: Collection[str] | None,
    interval_minutes: int,
) -> list[dict[str, Any]]:
    # Without intervals the day rows answer: one per day and group instead of up to 96.
    model = ContactRollup if "interval" in by else ContactDayRollup
    sums = _rollup_filtered(
        model.objects.filter(day__gte=date_from, day__lte=date_to),
        queue=queue,
        channel=channel,
        tier=tier,
        channels=channels,
        queues=queues,
    )
    groups = _rollup_groups(by, interval_minutes)
    aggregates = _rollup_aggregates()
    if groups:
        return list(sums.annotate(**groups).values(*groups).annotate(**aggregates).order_by())
    return [sums.aggregate(**aggregates)]


def _rollup_filtered(
    sums: QuerySet[Any],
    *,
    queue: str | None,
    channel: str | None,
    tier: str | None,
    channels: Collection[str] | None,
    queues: Collection[str] | None,
) -> QuerySet[Any]:
    """Rollup rows (slots, days or agent days) kept by the table's filters."""
    if queue:
        sums = sums.filter(queue__code=queue)
    if channel:
        sums = sums.filter(channel=channel)
    if channels is not None:
        sums = sums.filter(channel__in=sorted(channels))
    if queues:
        sums = sums.filter(queue__code__in=sorted(queues))
    if tier:
        sums = sums.filter(tier_id__in=Tier.objects.filter(code=tier).values("pk"))
    return sums


def _handling_agents(
    contacts: QuerySet[Interaction] | None,
    *,
    date_from: date,
    date_to: date,
    queue: str | None,
    channel: str | None,
    channels: Collection[str] | None,
    queues: Collection[str] | None,
) -> QuerySet[Any]:
    """The codes of the agents who handled the filtered contacts (with ``DISTINCT``): from
    ``contacts``, or, on the rollup path (``contacts`` is ``None``), from the agents the
    rollups keep per day, queue and channel: the same set as of the rollups' refresh."""
    if contacts is not None:
        found = contacts.filter(agent__isnull=False)
    else:
        found = _rollup_filtered(
            ContactAgentDay.objects.filter(day__gte=date_from, day__lte=date_to),
            queue=queue,
            channel=channel,
            tier=None,
            channels=channels,
            queues=queues,
        )
    # ``order_by()``: else the model's ordering joins the DISTINCT (one row per contact)
    return found.order_by().values_list("agent__code", flat=True).distinct()


def _filtered_contacts(
    *,
    date_from: date,
    date_to: date,
    stored: bool,
    queue: str | None,
    channel: str | None,
    tier: str | None,
    agent: str | None,
    channels: Collection[str] | None,
    queues: Collection[str] | None,
) -> QuerySet[Interaction]:
    if stored:
        contacts = offered_interactions().filter(local_day__gte=date_from, local_day__lte=date_to)
    else:
        contacts = offered_interactions().filter(
            arrived_at__gte=day_start(date_from),
            arrived_at__lt=day_start(date_to + timedelta(1)),
        )
    if queue:
        contacts = contacts.filter(queue__code=queue)
    if channel:
        contacts = contacts.filter(channel=channel)
    if channels is not None:
        contacts = contacts.filter(channel__in=sorted(channels))
    if queues:
        contacts = contacts.filter(queue__code__in=sorted(queues))
    if tier:
        tier_path = "tier__code" if stored else "customer__tier__code"
        contacts = contacts.filter(**{tier_path: tier})
    if agent:
        contacts = contacts.filter(agent__code=agent)
    return contacts


def kpi_table(
    *,
    date_from: date,
    date_to: date,
    by: Sequence[str] = (),
    queue: str | None = None,
    channel: str | None = None,
    tier: str | None = None,
    agent: str | None = None,
    channels: Collection[str] | None = None,
    queues: Collection[str] | None = None,
    interval_minutes: int = 30,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
    source: str = "auto",
    agent_time: bool = True,
) -> list[KpiRow]:
    """The rows of :func:`kpi_table_as_of` (see there)."""
    rows, _as_of = kpi_table_as_of(
        date_from=date_from,
        date_to=date_to,
        by=by,
        queue=queue,
        channel=channel,
        tier=tier,
        agent=agent,
        channels=channels,
        queues=queues,
        interval_minutes=interval_minutes,
        short_abandon_seconds=short_abandon_seconds,
        repeat_days=repeat_days,
        source=source,
        agent_time=agent_time,
    )
    return rows


def kpi_table_as_of(
    *,
    date_from: date,
    date_to: date,
    by: Sequence[str] = (),
    queue: str | None = None,
    channel: str | None = None,
    tier: str | None = None,
    agent: str | None = None,
    channels: Collection[str] | None = None,
    queues: Collection[str] | None = None,
    interval_minutes: int = 30,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
    source: str = "auto",
    agent_time: bool = True,
) -> tuple[list[KpiRow], datetime | None]:
    """KPIs of the contacts that arrived from ``date_from`` to ``date_to`` (local days,
    both included), one row per group of ``by`` (no ``by``: one total row, also when empty).

    ``queue``/``tier``/``agent`` filter by code, ``channel`` by channel code, ``channels``
    by a set of channel codes (a scope of ``yuqi.domain.kpi.SCOPE_CHANNELS``), ``queues`` by a
    set of queue codes. ``agent_time=False`` leaves occupancy's agent time out (a caller that
    reads no occupancy skips summing the agent states). Rows come
    sorted by their keys in ``by`` order (``None`` last). Raises ``ValueError`` for an
    unknown key or interval.

    ``source``: "auto" counts from the KPI rollups when they answer the question and have
    been built, else from the contacts; "rollups" or "contacts" forces one (``ValueError``
    if the rollups cannot answer). Returns the rows and, when they came from the rollups,
    the time of the rollups' last refresh (``None``: counted from the contacts just now).
    """
    by = list(by)
    _validate(by, interval_minutes)
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    as_of = version = None
    if source != "contacts" and rollups_answer(
        by, agent=agent, short_abandon_seconds=short_abandon_seconds, repeat_days=repeat_days
    ):
        as_of, version = rollup_read_state()
    if source == "rollups" and as_of is None:
        raise ValueError("the KPI rollups cannot answer this question or are not built")
    with_time = agent_time and not tier  # occupancy's agent time (not split by tier)
    filtered = bool(queue or channel or channels is not None or queues or agent)
    agents: Iterable[str] | None
    if as_of is not None:
        asked = {
            "date_from": date_from,
            "date_to": date_to,
            "by": by,
            "queue": queue,
            "channel": channel,
            "tier": tier,
            "channels": channels,
            "queues": queues,
            "interval_minutes": interval_minutes,
        }
        rows, agents = cached_under(
            version,
            _cache_key(asked, handling_agents=with_time and filtered),
            lambda: _rollup_rows(asked, handling_agents=with_time and filtered),
        )
    else:
        rows, contacts = _contact_rows(
            date_from=date_from,
            date_to=date_to,
            by=by,
            queue=queue,
            channel=channel,
            tier=tier,
            agent=agent,
            channels=channels,
            queues=queues,
            interval_minutes=interval_minutes,
            short_abandon_seconds=short_abandon_seconds,
            repeat_days=repeat_days,
        )
        agents = _handling_agents(
            contacts,
            date_from=date_from,
            date_to=date_to,
            queue=queue,
            channel=channel,
            channels=channels,
            queues=queues,
        )
    if with_time:
        rows = with_agent_time(
            rows,
            by=by,
            date_from=date_from,
            date_to=date_to,
            interval_minutes=interval_minutes,
            agents=() if agents is None else agents,
            filtered=filtered,
        )
    if as_of is None:  # the rollups' rows are kept sorted (``with_agent_time`` keeps the order)
        rows.sort(key=_sort_key(by))
    return rows, as_of


def _fields_text(model: type[Any], fields: Sequence[str]) -> RawSQL:
    """Every row's ``fields`` of ``model`` joined into one text (a subquery): it changes when
    one of them is written, by ``save()`` or by ``update()``. The rows come in the database's
    scan order (SQLite orders no aggregate): another order only misses the cache. Written as
    SQL (the same on SQLite and PostgreSQL but the aggregate's name): the ORM's expressions
    cost more to compile than the query takes."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = " || %s || ".join(
        f"COALESCE(CAST({quote(meta.get_field(name).column)} AS TEXT), '')" for name in fields
    )
    join = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    sql = f"SELECT {join}({columns}, %s) FROM {quote(meta.db_table)}"
    return RawSQL(sql, ["\x1f"] * (len(fields) - 1) + ["\x1e"], output_field=TextField())


def _rollup_state_query() -> QuerySet[Any]:
    """The rollups' state row with the queues' and tiers' fields text (first by id, as
    ``first()`` reads it)."""
    return (
        RollupState.objects.annotate(
            queues=_fields_text(Queue, ("id", "code", "name", "sl_convention")),
            tiers=_fields_text(Tier, ("id", "code", "name", "name_en")),
        )
        .values_list("refreshed_at", "version", "queues", "tiers")
        .order_by("pk")[:1]
    )


#: :func:`_rollup_state_query` built and compiled once per database: every KPI page reads it,
#: and the ORM's building of it cost more than running it.
_ROLLUP_STATE_READ = CompiledRead(_rollup_state_query, model=RollupState)


@memoised
def rollup_read_state() -> tuple[datetime | None, str | None]:
    """When the KPI rollups were last brought up to date, and what a table read from them
    may be cached under: the rollups' read version (``RollupState.version``: it moves with
    every rollup row rewritten and every agent written) and a digest of the queues' and
    tiers' codes, names and service-level conventions (the rows' labels, filters and the
    service level's denominator), read in the same query. ``(None, None)`` if never built.
    Once per GET page (the dashboard's and the benchmarks' tables all ask)."""
    found = _ROLLUP_STATE_READ.rows()
    if not found:
        return None, None
    refreshed_at, version, queues, tiers = found[0]
    digest = hashlib.blake2b(f"{queues}\x1d{tiers}".encode(), digest_size=16).hexdigest()
    return refreshed_at, f"{version}:{digest}"


def _cache_key(asked: Mapping[str, Any], *, handling_agents: bool) -> str:
    """The cache key of a rollup read: what was asked, the language (the labels of channels
    and tiers) and the time zone (the intervals' starts)."""
    parts = {
        **asked,
        "channels": None if asked["channels"] is None else sorted(asked["channels"]),
        "queues": sorted(asked["queues"]) if asked["queues"] else None,
        "language": translation.get_language(),
        "zone": timezone.get_default_timezone_name(),
        "handling_agents": handling_agents,
    }
    digest = hashlib.blake2b(repr(sorted(parts.items())).encode(), digest_size=16).hexdigest()
    return f"operations:kpi-rollup-rows-sorted:{digest}"


def _rows_of(by: Sequence[str], found: list[dict[str, Any]], interval_minutes: int) -> list[KpiRow]:
    objects = _labels_for(by, found)
    rows = []
    for row in found:
        keys: dict[str, Any] = {}
        labels: dict[str, str] = {}
        for key in by:
            keys[key], labels[key] = _key_and_label(key, row, objects, interval_minutes)
        counts = counts_from_aggregates(row)
        rows.append(KpiRow(keys=keys, labels=labels, counts=counts, values=kpi_values(counts)))
    return rows


def _rollup_rows(
    asked: Mapping[str, Any], *, handling_agents: bool
) -> tuple[list[KpiRow], frozenset[str] | None]:
    """The rows read from the rollups (without occupancy's agent time) and, when asked, the
    codes of the agents who handled the filtered contacts (``ContactAgentDay``): what
    :func:`kpi_table_as_of` caches under the rollups' read version. The rows are sorted
    here, once, not at every read of the cache."""
    rows = _rows_of(asked["by"], _rollup_found(**asked), asked["interval_minutes"])
    rows.sort(key=_sort_key(asked["by"]))
    agents = None
    if handling_agents:
        agents = frozenset(
            _handling_agents(
                None,
                date_from=asked["date_from"],
                date_to=asked["date_to"],
                queue=asked["queue"],
                channel=asked["channel"],
                channels=asked["channels"],
                queues=asked["queues"],
            )
        )
    return rows, agents


def _contact_rows(
    *,
    date_from: date,
    date_to: date,
    by: Sequence[str],
    queue: str | None,
    channel: str | None,
    tier: str | None,
    agent: str | None,
    channels: Collection[str] | None,
    queues: Collection[str] | None,
    interval_minutes: int,
    short_abandon_seconds: int,
    repeat_days: int,
) -> tuple[list[KpiRow], QuerySet[Interaction]]:
    """The rows counted from the contacts now, and the filtered contacts (for occupancy's
    agents); the query and its expressions are built only when asked."""
    # The contacts' derived columns (local day and minute, repeat flag) carry the default
    # repeat window; another window falls back to computing per row.
    stored = repeat_days == DEFAULT_REPEAT_DAYS
    if stored:
        derive_contact_columns()
    contacts = _filtered_contacts(
        date_from=date_from,
        date_to=date_to,
        stored=stored,
        queue=queue,
        channel=channel,
        tier=tier,
        agent=agent,
        channels=channels,
        queues=queues,
    )
    groups = _group_expressions(by, interval_minutes, stored=stored)
    aggregates = count_aggregates(
        short_abandon_seconds=short_abandon_seconds,
        repeat_days=repeat_days,
        stored_repeat=stored,
        stored_threshold=stored,
    )
    if groups:
        query = contacts.annotate(**groups).values(*groups).annotate(**aggregates).order_by()
        found = list(query)
    else:
        found = [contacts.aggregate(**aggregates)]
    return _rows_of(by, found, interval_minutes), contacts


def _sort_key(by: Sequence[str]) -> Any:
    return lambda r: tuple((r.keys[k] is None, r.keys[k] or 0) for k in by)


def kpi_rows_merged(rows: Sequence[KpiRow], by: Sequence[str] = ()) -> list[KpiRow]:
    """``rows`` (a :func:`kpi_table` of a finer grouping, no agent time) merged into the
    groups of ``by``, a subset of their keys: what :func:`kpi_table` answers for ``by`` over
    the same contacts (every count is a sum but the longest wait, a maximum; the dashboard
    reads one queue × interval table instead of three). No ``by``: the one total row, also
    when ``rows`` is empty."""
    merged: dict[tuple, tuple[dict[str, Any], dict[str, str], KpiCounts]] = {}
    for row in rows:
        group = tuple(row.keys[key] for key in by)
        found = merged.get(group)
        if found is None:
            keys = {key: row.keys[key] for key in by}
            labels = {key: row.labels[key] for key in by}
            merged[group] = (keys, labels, KpiCounts(sl_offered=0) + row.counts)
        else:
            merged[group] = (found[0], found[1], found[2] + row.counts)
    if not by and not merged:
        merged[()] = ({}, {}, KpiCounts(sl_offered=0))
    out = [
        KpiRow(keys=keys, labels=labels, counts=counts, values=kpi_values(counts))
        for keys, labels, counts in merged.values()
    ]
    out.sort(key=_sort_key(by))
    return out
