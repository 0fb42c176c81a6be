"""The records the demo simulation produces: the contract with the step that stores them.

Everything is a frozen dataclass except ``InteractionSeed``, a ``NamedTuple``: a centre holds
up to a million of those, and a named tuple is built about six times faster than a frozen
dataclass while reading the same (``seed.wait_seconds``) and being just as immutable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

TIERS: tuple[str, ...] = ("diamond", "gold", "silver", "ordinary")
VIP_TIERS: frozenset[str] = frozenset({"diamond", "gold"})
STATUSES: tuple[str, ...] = ("active", "dormant", "closed")
CHANNELS: tuple[str, ...] = ("phone", "ivr", "web_chat", "app", "wechat", "email", "sms")


@dataclass(frozen=True, slots=True)
class CustomerSeed:
    external_id: str  # "C00012345", in order of joining
    name: str
    phone: str  # 11-digit mainland mobile number
    email: str  # "" when the customer gave none
    id_number: str  # 18 characters, valid check digit; "" when not on file
    region: str  # "湖北 武汉"; a municipality alone: "北京"
    tier: str  # one of TIERS
    monthly_value: Decimal  # yuan, two decimal places
    joined_on: date
    status: str  # one of STATUSES


@dataclass(frozen=True, slots=True)
class QueueSeed:
    code: str
    name_zh: str
    name_en: str
    sl_target: Decimal  # share answered within sl_seconds, e.g. Decimal("0.80")
    sl_seconds: int
    vip: bool
    channels: tuple[str, ...]  # the channels routed to this queue


@dataclass(frozen=True, slots=True)
class TeamSeed:
    code: str
    name: str
    queues: tuple[str, ...]  # queue codes the team's agents serve


@dataclass(frozen=True, slots=True)
class AgentSeed:
    code: str  # work number (工号)
    name: str
    team: str  # team code
    skill: int  # 1 (new) … 5 (expert): shortens handle time, raises first-contact resolution
    queue: str  # the queue this agent is rostered on ("" for outbound callback agents)


@dataclass(frozen=True, slots=True)
class ShiftSeed:
    """One rostered shift: the agent is available from start to end except during the break
    (a four-hour part-time shift has none)."""

    agent: str
    queue: str  # "" for the outbound care team
    start: datetime
    end: datetime
    break_start: datetime | None
    break_end: datetime | None


class InteractionSeed(NamedTuple):
    source: str
    external_id: str
    channel: str  # one of CHANNELS
    direction: str  # "inbound" | "outbound"
    queue: str | None  # queue code; None for self-service (ivr, sms) and outbound callbacks
    team: str | None  # the handling agent's team; None when no agent handled it
    agent: str | None  # agent code; None for abandoned and self-service contacts
    customer_external_id: str | None  # None for an unidentified contact
    caller_number: str | None  # the number the contact came from (phone, ivr, sms, chat)
    arrived_at: datetime  # aware, Asia/Shanghai
    answered_at: datetime | None  # None when abandoned (or an unanswered outbound call)
    ended_at: datetime | None
    abandoned: bool
    wait_seconds: int
    talk_seconds: int
    wrap_seconds: int
    transferred: bool
    first_contact_resolved: bool | None  # None when not assessed (abandoned, self-service)
    category: str  # disposition; "" for an abandoned contact
