"""Demo step: queues, teams, agents and the interaction history, written in bulk.

Writes ``interactions`` rows directly (queues, teams and agents with ``bulk_create``, the
contacts with ``yuqi.core.bulk.insert_values``: no model instances, one prepared statement per
batch on SQLite and ``COPY`` on PostgreSQL): ``interactions.services`` has
``interaction_create`` (one validated row at a time) and no service for queues, teams or agents
nor for linking an agent to a user account, and the history runs to several hundred thousand
contacts at the large scale (Django's ``bulk_create`` spent most of the demo build compiling
their SQL value by value). The table's plain indexes are built once after the load
(``indexes_deferred``) rather than kept up to date row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model

from yuqi.core.bulk import driver_adapter, indexes_deferred, insert_tuples, seconds_adapter
from yuqi.core.clock import now
from yuqi.customers.facade import customer_id_map
from yuqi.customers.models import Customer, Tier
from yuqi.demo.simulation import ContactDay
from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS, DEFAULT_SL_SECONDS
from yuqi.ingest.maps import CHANNEL_LABELS
from yuqi.ingest.parse import parse_choice
from yuqi.interactions.callers import callers_fields
from yuqi.interactions.derived import seconds_local_parts
from yuqi.interactions.models import Agent, Interaction, Queue, Team

BATCH = 5000


def load_demo_topology(centre: Any, *, agent_user: str | None = "lina") -> None:
    Queue.objects.bulk_create(
        [
            Queue(code=q.code, name=q.name_zh, sl_target=q.sl_target, sl_seconds=q.sl_seconds)
            for q in centre.queues
        ]
    )
    Team.objects.bulk_create([Team(code=t.code, name=t.name) for t in centre.teams])
    teams = dict(Team.objects.values_list("code", "id"))
    Agent.objects.bulk_create(
        [Agent(code=a.code, name=a.name, team_id=teams.get(a.team)) for a in centre.agents]
    )
    if agent_user:
        user = get_user_model().objects.filter(username=agent_user).first()
        first = Agent.objects.order_by("code").first()
        if user and first:
            first.user = user
            first.save(update_fields=["user"])


#: The columns each contact gives (``yuqi.core.bulk.insert_tuples`` fills the defaults).
COLUMNS = (
    "source",
    "external_id",
    "channel",
    "direction",
    "queue_id",
    "team_id",
    "agent_id",
    "customer_id",
    "arrived_at",
    "answered_at",
    "ended_at",
    "abandoned",
    "wait_seconds",
    "talk_seconds",
    "wrap_seconds",
    "transferred",
    "first_contact_resolved",
    "category",
    "caller_masked",
    "caller_hash",
)


def load_demo_interactions(
    seeds: Iterable[Any], *, on_batch: Callable[[int], None] | None = None
) -> int:
    """Store the contacts; ``seeds``: ``InteractionSeed`` records, or the centre's
    ``InteractionStream`` (or its ``ContactsAhead``), whose days of plain rows
    (``ContactDay``) are written without a record and three datetimes per contact (the same
    rows, values and order)."""
    queues = dict(Queue.objects.values_list("code", "id"))
    teams = dict(Team.objects.values_list("code", "id"))
    agents = dict(Agent.objects.values_list("code", "id"))
    customers = customer_id_map()
    count = 0
    batch: list[Any] = []
    days = getattr(seeds, "days", None)
    if days is not None:
        at: Callable[[int | None], Any] | None = None
        derive = _Derivation(queues)
        derived = False  # whether ``batch`` holds derived rows
        stamp = now()
        with indexes_deferred(Interaction):
            for day in days():
                at = at or seconds_adapter(day.start)
                parts = derive.parts(day)
                if batch and (parts is not None) != derived:  # one kind of row per batch
                    count += _insert(batch, derived, stamp)
                    batch = []
                if not batch:
                    stamp = now()
                derived = parts is not None
                if parts is None:
                    batch += _day_rows(day, at, queues, teams, agents, customers)
                else:
                    batch += derive.rows(
                        _day_rows(day, at, queues, teams, agents, customers), day, parts, stamp
                    )
                if len(batch) >= BATCH:
                    count += _insert(batch, derived, stamp)
                    batch = []
                    if on_batch:
                        on_batch(count)
            count += _insert(batch, derived, stamp)
        return count
    with indexes_deferred(Interaction):
        for seed in seeds:
            batch.append(seed)
            if len(batch) >= BATCH:
                count += insert_tuples(
                    Interaction, COLUMNS, _rows(batch, queues, teams, agents, customers)
                )
                batch = []
                if on_batch:
                    on_batch(count)
        count += insert_tuples(Interaction, COLUMNS, _rows(batch, queues, teams, agents, customers))
    return count


#: The derived columns (``yuqi.interactions.derived``) of a contact stored derived.
DERIVED = ("local_day", "local_minute", "repeated", "tier_id", "sl_seconds", "derived_at")


def _insert(batch: list[tuple[Any, ...]], derived: bool, stamp: datetime) -> int:
    """Write ``batch``: rows of ``COLUMNS``, or (``derived``) of ``COLUMNS`` and ``DERIVED``,
    whose ``derived_at`` is ``stamp``, the batch's ``updated_at`` (so they are not pending)."""
    if derived:
        return insert_tuples(
            Interaction, COLUMNS + DERIVED, batch, at=stamp, prepared=TIMES + PREPARED_DERIVED
        )
    return insert_tuples(Interaction, COLUMNS, batch, at=stamp, prepared=TIMES)


PREPARED_DERIVED = ("local_day", "derived_at")


class _Derivation:
    """The derived columns of the simulated contacts, worked out as they are written: the
    values ``contacts_derive`` would set afterwards with two ``UPDATE``s of every contact
    (each row and its index entries written again: 18 CPU-s of the large build on SQLite).
    The repeat flags come with the day (``ContactDay.repeats``, from the simulation's side);
    the local day and minute from the seconds (``seconds_local_parts``, only where the zones
    keep one offset); the tier is the customer's, the threshold the tier's, else the queue's,
    else ``DEFAULT_SL_SECONDS``. A day without its flags, or in a zone that changes its
    offset, is written as before and derived by ``contacts_derive``."""

    def __init__(self, queues: dict[str, int]) -> None:
        tiers = dict(Tier.objects.values_list("id", "sl_seconds"))
        self.customers = {
            code: (pk, tier, tiers.get(tier))
            for code, pk, tier in Customer.objects.values_list("external_id", "id", "tier_id")
        }
        sl = dict(Queue.objects.values_list("id", "sl_seconds"))
        self.queue_sl = {pk: sl.get(pk) for pk in queues.values()}
        self.day_value = _driver_value(Interaction, "local_day")
        self.time_value = _driver_value(Interaction, "derived_at")
        self.days: dict[date, Any] = {}

    def parts(self, day: ContactDay) -> Callable[[int], tuple[date, int]] | None:
        if day.repeats is None or not day.rows:
            return None
        return seconds_local_parts(
            day.start, day.rows[0][0], day.rows[-1][0] + DEFAULT_REPEAT_DAYS * 86_400
        )

    def rows(
        self,
        rows: list[tuple[Any, ...]],
        day: ContactDay,
        parts: Callable[[int], tuple[date, int]],
        stamp: datetime,
    ) -> list[tuple[Any, ...]]:
        """``rows`` (:func:`_day_rows` of ``day``) with their ``DERIVED`` values."""
        derived_at = self.time_value(stamp)
        days, day_value = self.days, self.day_value
        queue_sl = self.queue_sl
        flags = day.repeats
        assert flags is not None
        out = []
        for row, simulated, flag in zip(rows, day.rows, flags, strict=True):
            local_day, minute = parts(simulated[0])
            try:
                local = days[local_day]
            except KeyError:
                local = days[local_day] = day_value(local_day)
            if row[7] is None:  # no (stored) customer: no tier, never a repeat
                tier, sl, repeated = None, None, False
            else:
                _, tier, sl = self.customers[simulated[7]]
                repeated = flag == 1
            if sl is None:
                sl = queue_sl.get(row[4])
                if sl is None:
                    sl = DEFAULT_SL_SECONDS
            out.append((*row, local, minute, repeated, tier, sl, derived_at))
        return out


def _driver_value(model: type[Model], attname: str) -> Callable[[Any], Any]:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    adapt = driver_adapter(field)
    return (lambda value: value) if adapt is None else adapt


@lru_cache(maxsize=32)
def _channel(label: str) -> str:
    return parse_choice(label, CHANNEL_LABELS) or label


def _rows(
    seeds: list[Any], queues: dict, teams: dict, agents: dict, customers: dict
) -> list[tuple[Any, ...]]:
    """The contacts' values in the order of ``COLUMNS``: the caller's number masked and
    hashed (``callers_fields``) only for a contact that is not a known customer's."""
    unknown = [seed.caller_number for seed in seeds if not seed.customer_external_id]
    callers = iter(callers_fields(unknown))
    queue, team, agent, customer = queues.get, teams.get, agents.get, customers.get
    rows = []
    for seed in seeds:
        if seed.customer_external_id:
            masked, hashed = "", ""
        else:
            caller = next(callers)
            masked, hashed = caller["caller_masked"], caller["caller_hash"]
        rows.append(
            (
                seed.source,
                seed.external_id,
                _channel(seed.channel),
                seed.direction,
                queue(seed.queue),
                team(seed.team),
                agent(seed.agent),
                customer(seed.customer_external_id),
                seed.arrived_at,
                seed.answered_at,
                seed.ended_at,
                seed.abandoned,
                seed.wait_seconds,
                seed.talk_seconds,
                seed.wrap_seconds,
                seed.transferred,
                seed.first_contact_resolved,
                seed.category,
                masked,
                hashed,
            )
        )
    return rows


TIMES = ("arrived_at", "answered_at", "ended_at")


def _day_rows(
    day: ContactDay,
    at: Callable[[int | None], Any],
    queues: dict,
    teams: dict,
    agents: dict,
    customers: dict,
) -> list[tuple[Any, ...]]:
    """:func:`_rows` for one ``ContactDay``: the times go to the driver's form straight from
    their seconds (``at``, a ``seconds_adapter`` of the day's start), the external ids from
    the day's stamp."""
    unknown = [row[8] for row in day.rows if not row[7]]
    callers = iter(callers_fields(unknown))
    queue, team, agent, customer = queues.get, teams.get, agents.get, customers.get
    stamp = day.stamp
    rows = []
    for k, row in enumerate(day.rows):
        (
            arrived,
            source,
            channel,
            direction,
            queue_code,
            team_code,
            agent_code,
            customer_code,
            _number,
            answered,
            ended,
            abandoned,
            wait,
            talk,
            wrap,
            transferred,
            resolved,
            category,
        ) = row
        if customer_code:
            masked, hashed = "", ""
        else:
            caller = next(callers)
            masked, hashed = caller["caller_masked"], caller["caller_hash"]
        rows.append(
            (
                source,
                f"{stamp}{k + 1:06d}",
                _channel(channel),
                direction,
                queue(queue_code),
                team(team_code),
                agent(agent_code),
                customer(customer_code),
                at(arrived),
                at(answered),
                at(ended),
                abandoned,
                wait,
                talk,
                wrap,
                transferred,
                resolved,
                category,
                masked,
                hashed,
            )
        )
    return rows
