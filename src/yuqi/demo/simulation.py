"""The demo service centre: a deterministic discrete-event simulation of a telecom call centre.

``build_centre(seed=…, scale=…, end_date=…)`` returns a :class:`Centre` with queues, teams,
agents, their shifts and customers; ``centre.interactions()`` then streams every contact of
the period, day by day in order of arrival. Same seed, scale and end date → identical output.
Pure Python + NumPy: no Django, no other part of Yuqi.

The model
---------
*Demand.* Contacts of each queue (and of the self-service channels) arrive as a Poisson
process whose rate is constant within each 15-minute interval: a daily volume × a weekday
factor (Monday highest, the weekend lowest) × a day-to-day log-normal noise (σ = 6 %) × an
intraday profile (morning peak about 10:00, afternoon peak about 15:00, a lunch dip and an
evening shoulder; Monday mornings carry the weekend's backlog). Human queues are open
08:00–22:00; IVR, SMS and e-mail arrive around the clock. One weekday in the second half of a
longer period has a network incident: four afternoon hours with five times the fault calls.

*Supply.* Each queue has its own pool of single-skilled agents. The planner forecasts each
interval (fresh contacts plus the repeat contacts they will bring), turns it into agents
with Erlang C for the queue's planning target and covers that need greedily with 8-hour
shifts (30-minute meal break) or 4-hour part-time shifts where the need is short — see
:mod:`yuqi.demo.roster`. About 3 % of shifts are lost to absence. Nobody works more than five
days in a calendar week. The chat queue plans three sessions per agent; e-mail and the care
team have fixed shifts.

*The story.* The general queue (普通话务) is planned lean: to 75 % in 20 s with last year's
handle time (a third shorter than today's), with Monday staffed like a Tuesday and without
the Monday-morning peak, and on Mondays 12 % of its early shifts are lost to sick calls. So
its Monday mornings show long waits and heavy abandonment (at medium scale SL ≈ 0.35 and
about 30 % abandoned, against ≈ 0.79 and 9 % for the rest of the week) and the queue misses
80/20 over the period (≈ 0.75). The VIP line (VIP专席) is planned to 95 % in 15 s on a
forecast that knows the Monday peak and keeps 90/15 (≈ 0.98). The other phone queues are
planned with handle times 8 % short and land around 0.9.

*Service.* Each queue is a multi-server FIFO queue with impatient customers (Erlang A's
setting, simulated exactly rather than approximated): a contact is served by the agent who is
free first (a heap of agents' free times; an agent is free only inside a rostered shift and
outside the break). Its wait is the time until then; if that exceeds the caller's patience,
exponential with a queue-dependent mean, the caller hangs up after their patience (short
abandons of under 5 s occur naturally). Abandoned callers redial after a few minutes with
probability 0.4 (0.25 after a second abandon), so overload feeds itself. Talk and wrap-up
times are log-normal with a median set by category and queue, multiplied by the agent's
skill factor (1.30 for skill 1 … 0.85 for skill 5).

*Outcomes.* First-contact resolution is drawn per contact (by category, agent skill and
transfer); an unresolved contact brings, with probability 0.7, a repeat contact by the same
customer (or number) on the same category one to five days later, and so does one contact in
eight that the agent marked resolved (agents are optimistic), so a derived FCR ("no repeat on
the same category within N days") can be measured and comes out a little below the recorded
flag. Repeats of contacts from before the period are added to the first five days. Apart from
repeats, a customer is not drawn again for the same category within 7 days. About 4 % of
phone calls are transferred. Complaints (投诉) and some repairs get an outbound callback (回访)
by the care team.

Channels
--------
``phone``: the five phone queues above (general, vip, billing, fault, broadband); VIP-tier
customers (diamond, gold) reach the VIP line, others the queue of their need.
``web_chat`` / ``app`` / ``wechat``: one 在线客服 queue; an agent handles three sessions at a
time, sessions last about 2.2× a call, customers wait longer (mean patience 5 min).
``email``: the 邮件工单 queue, arrivals around the clock, worked by two shifts on weekdays and
one at the weekend, so waits are hours: ``answered_at`` is when an agent picks the e-mail up,
``ended_at`` when the reply is sent (``talk_seconds`` = handling), no abandonment; e-mails
still waiting at the end of the period have neither time. ``ivr``: self-service only (no
queue, agent or wait; ``talk_seconds`` is the time in the menu). ``sms``: keyword queries
answered automatically within a few seconds. Outbound callbacks are ``phone`` /
``outbound`` with no queue; ``arrived_at`` is dialling, ``wait_seconds`` the ringing time,
unanswered ones have no ``answered_at``; ``caller_number`` is the number dialled.

Fields: ``team`` is the handling agent's team (``None`` when no agent handled the contact);
``category`` is ``""`` for abandoned contacts; ``first_contact_resolved`` is ``None`` for
abandoned, self-service, outbound and unanswered contacts. Times are whole seconds, so
``wait_seconds == answered_at − arrived_at`` and ``talk_seconds == ended_at − answered_at``
exactly; an abandoned contact ends when the caller hangs up. Sources: ``acd`` (phone, ivr),
``omni`` (web_chat, app, wechat), ``mail`` (email), ``sms``; external ids are
``YYYYMMDD`` + a six-digit sequence in order of arrival. Chinese public holidays are not
modelled.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

from yuqi.demo import names
from yuqi.demo.population import PersonMaker, Weighted, make_customers
from yuqi.demo.roster import DAY_INTERVALS, FULL_SHIFT, INTERVAL, agents_needed, cover
from yuqi.demo.seeds import (
    VIP_TIERS,
    AgentSeed,
    CustomerSeed,
    InteractionSeed,
    QueueSeed,
    ShiftSeed,
    TeamSeed,
)
from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS

__all__ = [
    "SCALES",
    "ZONE",
    "AgentSeed",
    "Centre",
    "ContactDay",
    "ContactsAhead",
    "CustomerSeed",
    "InteractionSeed",
    "InteractionStream",
    "QueueSeed",
    "Scale",
    "ShiftSeed",
    "TeamSeed",
    "build_centre",
]

ZONE = ZoneInfo("Asia/Shanghai")
DAY = 86_400
OPEN, CLOSE = 32, 88  # intervals: 08:00 and 22:00
RECENT = 7 * DAY  # a customer is not drawn again for the same category within this time

ScaleName = Literal["small", "medium", "large"]


@dataclass(frozen=True, slots=True)
class Scale:
    customers: int
    days: int
    volume: float  # multiplier of the daily contact volume and of the staff


SCALES: dict[str, Scale] = {
    "small": Scale(customers=500, days=7, volume=0.8),  # ≈ 11,000 contacts
    "medium": Scale(customers=5_000, days=60, volume=0.8),  # ≈ 100,000 contacts
    "large": Scale(customers=50_000, days=90, volume=5.3),  # ≈ 1,000,000 contacts
}

# Disposition → (median talk seconds on a phone queue, probability of first-contact resolution
# by an agent of average skill).
CATEGORIES: dict[str, tuple[float, float]] = {
    "话费查询": (140, 0.93),
    "账单异议": (420, 0.62),
    "缴费充值": (150, 0.92),
    "发票申请": (200, 0.88),
    "套餐变更": (300, 0.84),
    "业务咨询": (200, 0.86),
    "业务办理": (330, 0.82),
    "投诉": (480, 0.55),
    "停复机": (180, 0.90),
    "积分兑换": (170, 0.90),
    "携号转网": (360, 0.70),
    "故障报修": (390, 0.58),
    "网络信号": (330, 0.60),
    "上网故障": (360, 0.65),
    "宽带安装": (330, 0.72),
    "宽带故障": (420, 0.55),
    "宽带续费": (200, 0.90),
    "宽带移机": (300, 0.70),
}
SELF_SERVICE: dict[str, tuple[tuple[str, float], ...]] = {
    "ivr": (("话费查询", 45), ("流量查询", 30), ("缴费充值", 15), ("积分查询", 10)),
    "sms": (("话费查询", 50), ("流量查询", 40), ("积分查询", 10)),
}
CALLBACK_CATEGORY = "回访"
_CALLBACK_SHARE = {"投诉": 0.7, "故障报修": 0.12, "宽带故障": 0.12}
_SKILL_FACTOR = (1.30, 1.12, 1.0, 0.92, 0.85)  # handle-time multiplier by skill 1…5
_FCR_SKILL = (-0.08, -0.04, 0.0, 0.03, 0.05)  # first-contact resolution bonus by skill
_WEEKDAY = np.array([1.20, 1.04, 1.00, 0.98, 1.02, 0.80, 0.74])
WEEKDAY_FACTOR = tuple(float(x) for x in _WEEKDAY / _WEEKDAY.mean())
SOURCES = {
    "phone": "acd",
    "ivr": "acd",
    "web_chat": "omni",
    "app": "omni",
    "wechat": "omni",
    "email": "mail",
    "sms": "sms",
}
_REPEAT_DAYS = (1, 2, 3, 4, 5)
_REPEAT_CUM = tuple(accumulate((0.4, 0.25, 0.15, 0.12)))  # 5 days for the rest
_REPEAT_TAIL = (1.0, 0.6, 0.35, 0.2, 0.08, 0.0)  # P(a repeat comes more than d days later)
_REPEAT_UNRESOLVED = 0.7  # chance an unresolved contact brings a repeat contact
_REPEAT_RESOLVED = 0.12  # … and one the agent marked resolved (agents are optimistic)


@dataclass(frozen=True, slots=True)
class _QueueModel:
    """How a queue behaves; volumes are fresh contacts per average day at volume 1."""

    seed: QueueSeed
    team_codes: tuple[str, ...]
    daily: float
    profile: str  # "phone", "chat" or "email"
    categories: tuple[tuple[str, float], ...]
    patience: float  # mean seconds; inf: never abandons
    talk_factor: float
    wrap_median: float
    slots: int  # contacts an agent handles at once
    plan_target: float
    plan_seconds: int
    min_agents: int
    pool: str  # "vip", "mass" or "all" customers
    transfer: float
    channels: tuple[tuple[str, float], ...]  # channel, share
    identified: tuple[float, ...]  # per channel: share of contacts tied to a customer
    skills: tuple[float, ...]  # share of agents with skill 1…5
    plan_aht: float = 1.0  # the planner's handle-time estimate ÷ the real one


def _q(
    code: str, zh: str, en: str, target: str, seconds: int, vip: bool, channels: tuple[str, ...]
) -> QueueSeed:
    return QueueSeed(code, zh, en, Decimal(target), seconds, vip, channels)


_GENERAL_CATS = (
    ("套餐变更", 30),
    ("业务咨询", 30),
    ("业务办理", 12),
    ("投诉", 10),
    ("停复机", 6),
    ("积分兑换", 7),
    ("携号转网", 5),
)
_SKILLS = (0.10, 0.20, 0.35, 0.25, 0.10)
GENERAL_PLAN_AHT = 0.66
OTHER_PLAN_AHT = 0.92
QUEUE_MODELS: tuple[_QueueModel, ...] = (
    _QueueModel(
        _q("general", "普通话务", "General", "0.80", 20, False, ("phone",)),
        ("general-1", "general-2"),
        440,
        "phone",
        _GENERAL_CATS,
        patience=180,
        talk_factor=1.0,
        wrap_median=30,
        slots=1,
        plan_target=0.75,
        plan_seconds=20,
        min_agents=2,
        pool="mass",
        transfer=0.045,
        channels=(("phone", 1.0),),
        identified=(0.86,),
        skills=(0.14, 0.24, 0.34, 0.20, 0.08),
        plan_aht=GENERAL_PLAN_AHT,
    ),
    _QueueModel(
        _q("vip", "VIP专席", "VIP line", "0.90", 15, True, ("phone",)),
        ("vip",),
        115,
        "phone",
        (
            ("套餐变更", 20),
            ("业务咨询", 20),
            ("话费查询", 15),
            ("账单异议", 10),
            ("故障报修", 10),
            ("宽带安装", 8),
            ("宽带故障", 7),
            ("投诉", 6),
            ("积分兑换", 4),
        ),
        patience=200,
        talk_factor=1.15,
        wrap_median=35,
        slots=1,
        plan_target=0.95,
        plan_seconds=15,
        min_agents=2,
        pool="vip",
        transfer=0.03,
        channels=(("phone", 1.0),),
        identified=(1.0,),
        skills=(0.0, 0.05, 0.35, 0.40, 0.20),
    ),
    _QueueModel(
        _q("billing", "账单查询", "Billing", "0.80", 20, False, ("phone",)),
        ("general-2",),
        175,
        "phone",
        (("话费查询", 45), ("账单异议", 25), ("缴费充值", 20), ("发票申请", 10)),
        patience=110,
        talk_factor=1.0,
        wrap_median=30,
        slots=1,
        plan_target=0.8,
        plan_seconds=20,
        min_agents=2,
        pool="mass",
        transfer=0.035,
        channels=(("phone", 1.0),),
        identified=(0.9,),
        skills=_SKILLS,
        plan_aht=OTHER_PLAN_AHT,
    ),
    _QueueModel(
        _q("fault", "故障报修", "Fault repair", "0.80", 30, False, ("phone",)),
        ("tech",),
        140,
        "phone",
        (("故障报修", 55), ("网络信号", 25), ("上网故障", 20)),
        patience=150,
        talk_factor=1.0,
        wrap_median=45,
        slots=1,
        plan_target=0.8,
        plan_seconds=30,
        min_agents=2,
        pool="mass",
        transfer=0.04,
        channels=(("phone", 1.0),),
        identified=(0.9,),
        skills=_SKILLS,
        plan_aht=OTHER_PLAN_AHT,
    ),
    _QueueModel(
        _q("broadband", "宽带业务", "Broadband", "0.80", 30, False, ("phone",)),
        ("tech",),
        110,
        "phone",
        (("宽带安装", 40), ("宽带故障", 35), ("宽带续费", 15), ("宽带移机", 10)),
        patience=130,
        talk_factor=1.0,
        wrap_median=40,
        slots=1,
        plan_target=0.8,
        plan_seconds=30,
        min_agents=2,
        pool="mass",
        transfer=0.04,
        channels=(("phone", 1.0),),
        identified=(0.9,),
        skills=_SKILLS,
        plan_aht=OTHER_PLAN_AHT,
    ),
    _QueueModel(
        _q(
            "online", "在线客服", "Online service", "0.80", 30, False, ("web_chat", "app", "wechat")
        ),
        ("online",),
        225,
        "chat",
        (
            ("业务咨询", 30),
            ("套餐变更", 20),
            ("话费查询", 15),
            ("缴费充值", 10),
            ("宽带安装", 10),
            ("投诉", 8),
            ("积分兑换", 7),
        ),
        patience=300,
        talk_factor=2.2,
        wrap_median=20,
        slots=3,
        plan_target=0.8,
        plan_seconds=30,
        min_agents=1,
        pool="all",
        transfer=0.02,
        channels=(("web_chat", 0.35), ("app", 0.35), ("wechat", 0.30)),
        identified=(0.55, 1.0, 0.9),
        skills=_SKILLS,
    ),
    _QueueModel(
        _q("email", "邮件工单", "E-mail", "0.80", 8 * 3600, False, ("email",)),
        ("online",),
        45,
        "email",
        (("投诉", 30), ("账单异议", 25), ("发票申请", 25), ("业务咨询", 20)),
        patience=math.inf,
        talk_factor=1.3,
        wrap_median=60,
        slots=1,
        plan_target=0.0,
        plan_seconds=0,
        min_agents=1,
        pool="all",
        transfer=0.0,
        channels=(("email", 1.0),),
        identified=(0.7,),
        skills=_SKILLS,
    ),
)
_SELF_DAILY = {"ivr": 250.0, "sms": 70.0}
_SELF_IDENTIFIED = {"ivr": 0.88, "sms": 0.95}

TEAMS: tuple[TeamSeed, ...] = (
    TeamSeed("general-1", "综合一组", ("general",)),
    TeamSeed("general-2", "综合二组", ("general", "billing")),
    TeamSeed("vip", "贵宾服务组", ("vip",)),
    TeamSeed("tech", "技术支持组", ("fault", "broadband")),
    TeamSeed("online", "在线服务组", ("online", "email")),
    TeamSeed("care", "客户关怀组", ()),
)
CARE_TEAM = "care"


# --------------------------------------------------------------------------- arrival profiles


def _bump(hours: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


@lru_cache(maxsize=64)
def _profile(kind: str, weekday: int) -> tuple[float, ...]:
    """Share of a day's contacts in each 15-minute interval (sums to 1)."""
    h = (np.arange(DAY_INTERVALS) + 0.5) / 4
    open_hours = (h >= 8) & (h < 22)
    weekend = weekday >= 5
    morning = 1.0 + (0.45 if weekday == 0 else 0.0)  # Monday: the weekend's backlog
    if kind in ("phone", "plan"):
        if weekend:
            w = 0.15 + 0.8 * _bump(h, 10.5, 1.5) + 0.8 * _bump(h, 15.5, 1.8)
            w += 0.3 * _bump(h, 20, 1)
        else:
            m = 1.0 if kind == "plan" else morning
            w = 0.12 + m * _bump(h, 10.0, 1.1) + 0.85 * _bump(h, 15.0, 1.5)
            w += 0.3 * _bump(h, 20.2, 0.9)
        w *= 1 - 0.25 * _bump(h, 12.5, 0.6)
        w = np.where(open_hours, w, 0.0)
    elif kind == "chat":
        w = 0.1 + 0.7 * _bump(h, 10.5, 1.3) + 0.8 * _bump(h, 15, 1.6) + _bump(h, 20.5, 1.0)
        w = np.where(open_hours, w, 0.0)
    elif kind == "email":
        w = 0.15 + _bump(h, 10, 2) + _bump(h, 15, 2) + 0.6 * _bump(h, 21, 1.5)
    else:  # self-service, around the clock
        w = 0.04 + morning * _bump(h, 10.0, 1.3) + 0.9 * _bump(h, 15.0, 1.6)
        w += 0.6 * _bump(h, 20.5, 1.3)
        w *= 1 - 0.2 * _bump(h, 12.5, 0.6)
        w = np.where((h >= 1) & (h < 6.5), w * 0.3, w)
    return tuple((w / w.sum()).tolist())


# --------------------------------------------------------------------------------- the centre


@dataclass(frozen=True, slots=True)
class _Staff:
    """Per queue: servers as (agent index, [(available from, until), …]) in period seconds."""

    servers: dict[str, list[tuple[int, list[tuple[int, int]]]]]
    agent_code: tuple[str, ...]
    agent_team: tuple[str, ...]
    skill: tuple[int, ...]


@dataclass(frozen=True)
class Centre:
    """A simulated service centre; ``interactions()`` replays its contacts deterministically."""

    seed: int
    scale: str
    start_date: date
    end_date: date  # inclusive
    queues: tuple[QueueSeed, ...]
    teams: tuple[TeamSeed, ...]
    agents: tuple[AgentSeed, ...]
    shifts: tuple[ShiftSeed, ...]
    customers: tuple[CustomerSeed, ...]
    incident: tuple[datetime, datetime] | None  # the afternoon of the network incident
    _propensity: tuple[float, ...] = field(repr=False, compare=False)
    _staff: _Staff = field(repr=False, compare=False)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def interactions(self) -> InteractionStream:
        """Every contact of the period in order of arrival, generated lazily as it is read;
        iterate again for an identical replay."""
        return InteractionStream(self)


class InteractionStream:
    """The contacts of a centre: a lazy, re-iterable sequence (each pass replays the seed).

    ``for seed in centre.interactions()`` streams them one by one; ``.batches()`` yields one
    list per day (about 1,700 contacts at small and medium scale, 11,000 at large), so memory
    stays flat however long the period.
    """

    __slots__ = ("_centre",)

    def __init__(self, centre: Centre) -> None:
        self._centre = centre

    def __iter__(self) -> Iterator[InteractionSeed]:
        for batch in self.batches():
            yield from batch

    def batches(self) -> Iterator[list[InteractionSeed]]:
        return _Run(self._centre).batches()

    def days(self) -> Iterator[ContactDay]:
        """The same contacts day by day as the simulation keeps them (see :class:`ContactDay`),
        for a writer that stores them without building an ``InteractionSeed`` each; each day
        with its contacts' repeat flags (:func:`with_repeats`)."""
        return with_repeats(_Run(self._centre).days())

    def ahead(self) -> ContactsAhead:
        """:meth:`days`, simulated from now on in a process of its own (the second core
        works while this one stores the days before): the same days, in the same order."""
        return ContactsAhead(self._centre)


class ContactsAhead:
    """The days of :meth:`InteractionStream.days` simulated by a separate process, started
    when this is made: the simulation is pure Python, so a thread would share this process's
    interpreter lock with the writer. The child builds the centre again from its seed, scale
    and end date (deterministic; a few numbers checked) rather than receive it: a parent
    that writes a large pickle to a spawned child blocks for good if the child dies first.
    It keeps up to ``depth`` days ready. Read once with :meth:`days`; :meth:`close` (called
    at the end of the days or when the reader stops) ends the process."""

    def __init__(self, centre: Centre, *, depth: int = 8) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # no fork of a threaded Django process
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_simulate_days,
            args=(centre.seed, centre.scale, centre.end_date, _fingerprint(centre), send, depth),
            name="yuqi-demo-simulation",
            daemon=True,
        )
        self._process.start()
        send.close()
        self._read = False

    def days(self) -> Iterator[ContactDay]:
        if self._read:
            raise RuntimeError("the days simulated ahead can be read once")
        self._read = True
        try:
            while True:
                try:
                    item = self._receive.recv()
                except EOFError:
                    self._process.join(5)
                    raise RuntimeError(
                        "the demo simulation process ended early "
                        f"(exit code {self._process.exitcode})"
                    ) from None
                if item is None:
                    return
                if isinstance(item, str):
                    raise RuntimeError(f"the demo simulation failed:\n{item}")
                yield item
        finally:
            self.close()

    def close(self) -> None:
        self._receive.close()
        self._process.join(0.5 if self._process.exitcode is None else None)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _fingerprint(centre: Centre) -> tuple:
    return (
        centre.start_date,
        len(centre.customers),
        len(centre.agents),
        len(centre.shifts),
        centre.incident,
    )


def _simulate_days(
    seed: int, scale: ScaleName, end_date: date, fingerprint: tuple, send: Any, depth: int
) -> None:
    """The child's side of :class:`ContactsAhead`: a thread sends (pickles) the finished days
    while the simulation goes on with the next ones."""
    import queue
    import threading
    import traceback

    ready: queue.Queue = queue.Queue(maxsize=depth)

    def sender() -> None:
        try:
            while True:
                item = ready.get()
                send.send(item)
                if item is None or isinstance(item, str):
                    return
        except (BrokenPipeError, OSError):  # the reader stopped: nothing more to send
            return

    thread = threading.Thread(target=sender, name="sender", daemon=True)
    thread.start()
    try:
        centre = build_centre(seed=seed, scale=scale, end_date=end_date)
        if _fingerprint(centre) != fingerprint:
            raise RuntimeError("the centre built again is not the reader's")
        for day in with_repeats(_Run(centre).days()):
            ready.put(day)
            if not thread.is_alive():
                return
        ready.put(None)
    except Exception:  # the reader raises it, with the child's traceback
        ready.put(traceback.format_exc())
    thread.join()
    send.close()


class ContactDay(NamedTuple):
    """One day of contacts in order of arrival, as plain tuples ``(arrived, source, channel,
    direction, queue, team, agent, customer_external_id, caller_number, answered, ended,
    abandoned, wait_seconds, talk_seconds, wrap_seconds, transferred, first_contact_resolved,
    category)``: :class:`InteractionSeed`'s values with the times as whole seconds after
    ``start`` (the seed's ``arrived_at`` is ``start + timedelta(seconds=arrived)``; None stays
    None) and without ``external_id``, which for the k-th row (from 0) is ``stamp`` +
    ``f"{k + 1:06d}"``."""

    start: datetime  # midnight at the start of the period, aware (ZONE)
    stamp: str  # the day as YYYYMMDD
    rows: list[tuple]
    #: per row, whether it is a repeat (:func:`with_repeats`); None: not worked out
    repeats: bytes | None = None


#: The repeat window in seconds (``DEFAULT_REPEAT_DAYS``, the derived-FCR repeat).
REPEAT_SECONDS = DEFAULT_REPEAT_DAYS * DAY


def with_repeats(days: Iterator[ContactDay]) -> Iterator[ContactDay]:
    """``days`` with each row's repeat flag (``repeats``, one byte 0/1 per row): a later
    inbound contact of the same customer on the same category arrived at most
    ``DEFAULT_REPEAT_DAYS`` days after it — the flag ``yuqi.interactions.derived`` sets with a
    window over the stored contacts (a contact at the same instant is not later; no customer:
    0). Worked out here, on the simulation's side (in its own process when simulated ahead),
    so the writer can store the contacts derived. A day is given once the simulation is past
    its last contact plus the window. The times are seconds of wall-clock arithmetic from the
    period's start: the writer uses the flags only where the zone keeps one offset, so they
    are the instants' differences. The rows must come in order of arrival (they do: each day
    sorted, the next day's later): a row earlier than one before raises."""
    waiting: dict[tuple[Any, str], list[tuple[int, bytearray, int]]] = {}
    held: list[tuple[ContactDay, bytearray, int]] = []  # (day, flags, last arrival)
    last = -1
    count = 0
    for day in days:
        flags = bytearray(len(day.rows))
        for k, row in enumerate(day.rows):
            t = row[0]
            if t < last:
                raise RuntimeError("the simulated contacts are not in order of arrival")
            last = t
            customer = row[7]
            if not customer:
                continue
            key = (customer, row[17])
            earlier = waiting.get(key)
            if earlier is None:
                waiting[key] = [(t, flags, k)]
                continue
            if row[3] == "inbound" and earlier[0][0] < t:
                keep = []
                for entry in earlier:
                    if entry[0] < t:
                        if t - entry[0] <= REPEAT_SECONDS:
                            entry[1][entry[2]] = 1
                    else:  # the same instant: not later
                        keep.append(entry)
                earlier[:] = keep
            earlier.append((t, flags, k))
        held.append((day, flags, day.rows[-1][0] if day.rows else last))
        while held and held[0][2] + REPEAT_SECONDS < last:
            ready, ready_flags, _ = held.pop(0)
            yield ready._replace(repeats=bytes(ready_flags))
        count += 1
        if count % 7 == 0:  # forget what no later contact can flag any more
            horizon = last - REPEAT_SECONDS
            for key in [key for key, entries in waiting.items() if entries[-1][0] < horizon]:
                del waiting[key]
    for ready, ready_flags, _ in held:
        yield ready._replace(repeats=bytes(ready_flags))


def build_centre(*, seed: int, scale: ScaleName, end_date: date) -> Centre:
    """Build the demo centre for the ``SCALES[scale]`` days ending on ``end_date`` inclusive.

    Customers, agents and the roster are built at once; interactions are generated lazily.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    spec = SCALES[scale]
    start = end_date - timedelta(days=spec.days - 1)
    customers, propensity = make_customers(
        spec.customers, rng=np.random.default_rng([seed, 1]), end_date=end_date
    )
    rng = np.random.default_rng([seed, 2])
    incident = _pick_incident(rng, start, spec.days)
    agents, shifts, staff = _build_staff(rng, start, spec.days, spec.volume)
    incident_times = None
    if incident is not None:
        day0 = datetime.combine(start + timedelta(days=incident), time(), ZONE)
        incident_times = (day0 + timedelta(hours=14), day0 + timedelta(hours=18))
    return Centre(
        seed=seed,
        scale=scale,
        start_date=start,
        end_date=end_date,
        queues=tuple(m.seed for m in QUEUE_MODELS),
        teams=TEAMS,
        agents=agents,
        shifts=shifts,
        customers=customers,
        incident=incident_times,
        _propensity=propensity,
        _staff=staff,
    )


def _pick_incident(rng: np.random.Generator, start: date, days: int) -> int | None:
    if days < 21:
        return None
    candidates = [
        d for d in range(days // 2, days) if (start + timedelta(days=d)).weekday() in (1, 2, 3)
    ]
    return int(candidates[int(rng.integers(len(candidates)))])


# ---------------------------------------------------------------------------------- the staff


def _mean_handle(model: _QueueModel) -> float:
    """Planned AHT: category mix × log-normal mean (σ = 0.55 talk, 0.5 wrap) × mean skill."""
    total = sum(w for _, w in model.categories)
    talk = sum(CATEGORIES[c][0] * w for c, w in model.categories) / total
    skill = sum(f * s for f, s in zip(_SKILL_FACTOR, model.skills, strict=True))
    return (
        talk * model.talk_factor * math.exp(0.55**2 / 2) + model.wrap_median * math.exp(0.5**2 / 2)
    ) * skill


def _repeat_rate(model: _QueueModel) -> float:
    """Expected repeat contacts per fresh contact: the planner forecasts them too."""
    total = sum(w for _, w in model.categories)
    fcr = sum(CATEGORIES[c][1] * w for c, w in model.categories) / total
    return 0.9 * ((1 - fcr) * _REPEAT_UNRESOLVED + fcr * _REPEAT_RESOLVED)


def _plan_day(model: _QueueModel, weekday: int, volume: float) -> list[tuple[int, int, int]]:
    """Shifts ``(start, length, break start or -1)`` in intervals the planner rosters."""
    if model.profile == "email":
        starts = (36,) if weekday >= 5 else (34, 52)  # 09:00 | 08:30 and 13:00
        count = max(1, round(volume))
        return [(s, FULL_SHIFT, s + 16) for s in starts for _ in range(count)]
    day_factor = WEEKDAY_FACTOR[weekday]
    if model.seed.code == "general" and weekday == 0:
        day_factor = WEEKDAY_FACTOR[1]  # the Monday surge is not in the general plan
    kind = model.profile
    if kind == "phone" and not model.seed.vip:
        kind = "plan"  # only the VIP planner knows about the Monday-morning peak
    profile = _profile(kind, weekday)
    aht = _mean_handle(model) * model.plan_aht
    daily = model.daily * volume * (1 + _repeat_rate(model))
    need = [0] * DAY_INTERVALS
    for t in range(OPEN, CLOSE):
        calls = daily * day_factor * profile[t]
        slots = agents_needed(
            calls,
            aht,
            target=model.plan_target,
            target_seconds=model.plan_seconds,
            minimum=model.min_agents * model.slots,
        )
        need[t] = -(-slots // model.slots)
    return cover(need, open_at=OPEN, close_at=CLOSE)


def _build_staff(
    rng: np.random.Generator, start: date, days: int, volume: float
) -> tuple[tuple[AgentSeed, ...], tuple[ShiftSeed, ...], _Staff]:
    r = random.Random(int(rng.integers(2**63)))
    maker = PersonMaker(r)
    weekdays = [(start + timedelta(days=d)).weekday() for d in range(days)]
    plans: dict[str, list[list[tuple[int, int, int]]]] = {}
    for model in QUEUE_MODELS:
        by_weekday = {wd: _plan_day(model, wd, volume) for wd in set(weekdays)}
        plans[model.seed.code] = [list(by_weekday[wd]) for wd in weekdays]
    care = [(36, FULL_SHIFT, 52)] * max(1, math.ceil(3 * volume))  # 09:00–17:00, lunch 13:00
    plans[""] = [[] if wd == 6 else list(care) for wd in weekdays]

    agents: list[AgentSeed] = []
    shift_rows: list[tuple[int, str, int, int, int, int]] = []  # agent queue day start len brk
    servers: dict[str, list[tuple[int, list[tuple[int, int]]]]] = {}
    teams_of = {m.seed.code: m.team_codes for m in QUEUE_MODELS} | {"": (CARE_TEAM,)}
    skills_of = {m.seed.code: m.skills for m in QUEUE_MODELS} | {"": _SKILLS}
    slots_of = {m.seed.code: m.slots for m in QUEUE_MODELS} | {"": 1}
    for queue, plan in plans.items():
        for d, shifts in enumerate(plan):
            absence = 0.03
            if queue == "general" and weekdays[d] == 0:
                absence = 0.12  # Monday: early-shift agents call in sick after the weekend
            plan[d] = [s for s in shifts if not (r.random() < (absence if s[0] < 44 else 0.03))]
        pool = _pool_size(plan, weekdays)
        first = len(agents)
        for i in range(pool):
            age_low, age_high = (22, 45) if queue in ("vip", "") else (20, 38)
            born = maker.birth_date(start, age_low, age_high)
            full, _ = maker.name(male=r.random() < 0.35, birth_year=born.year)
            skill = r.choices(range(1, 6), weights=skills_of[queue])[0]
            team_codes = teams_of[queue]
            team = team_codes[i * len(team_codes) // pool]
            agents.append(AgentSeed(code="", name=full, team=team, skill=skill, queue=queue))
        windows: list[list[tuple[int, int]]] = [[] for _ in range(pool)]
        worked = [0] * pool
        for d, shifts in enumerate(plan):
            if weekdays[d] == 0:
                worked = [0] * pool
            order = sorted(range(pool), key=lambda i, d=d: (worked[i], (i - 3 * d) % pool))
            chosen = [i for i in order if worked[i] < 5][: len(shifts)]
            chosen += [i for i in order if i not in chosen][: len(shifts) - len(chosen)]
            r.shuffle(chosen)
            for i, (s, n, b) in zip(chosen, sorted(shifts), strict=True):
                worked[i] += 1
                base = d * DAY
                if b < 0:
                    windows[i].append((base + s * INTERVAL, base + (s + n) * INTERVAL))
                else:
                    windows[i].append((base + s * INTERVAL, base + b * INTERVAL))
                    windows[i].append((base + (b + 2) * INTERVAL, base + (s + n) * INTERVAL))
                shift_rows.append((first + i, queue, d, s, n, b))
        servers[queue] = [
            (first + i, windows[i]) for i in range(pool) for _ in range(slots_of[queue])
        ]
    # Work numbers in team order, as a centre hands them out.
    team_rank = {t.code: k for k, t in enumerate(TEAMS)}
    order = sorted(range(len(agents)), key=lambda i: (team_rank[agents[i].team], i))
    number = {old: f"A{1001 + new}" for new, old in enumerate(order)}
    agents = [AgentSeed(number[i], a.name, a.team, a.skill, a.queue) for i, a in enumerate(agents)]
    day0 = datetime.combine(start, time(), ZONE)

    def at(d: int, interval: int) -> datetime:
        return day0 + timedelta(days=d, seconds=interval * INTERVAL)

    shifts = tuple(
        ShiftSeed(
            agent=agents[i].code,
            queue=queue,
            start=at(d, s),
            end=at(d, s + n),
            break_start=at(d, b) if b >= 0 else None,
            break_end=at(d, b + 2) if b >= 0 else None,
        )
        for i, queue, d, s, n, b in sorted(shift_rows, key=lambda x: (x[2], x[3], number[x[0]]))
    )
    staff = _Staff(
        servers=servers,
        agent_code=tuple(a.code for a in agents),
        agent_team=tuple(a.team for a in agents),
        skill=tuple(a.skill for a in agents),
    )
    return tuple(sorted(agents, key=lambda a: a.code)), shifts, staff


def _pool_size(plan: list[list[tuple[int, int, int]]], weekdays: list[int]) -> int:
    """Enough agents that nobody works more than five days in a calendar week."""
    busiest_day = max(len(shifts) for shifts in plan)
    week: dict[int, int] = {}
    week_no = 0
    for d, shifts in enumerate(plan):
        if weekdays[d] == 0 and d:
            week_no += 1
        week[week_no] = week.get(week_no, 0) + len(shifts)
    return max(busiest_day, -(-max(week.values()) // 5)) + 1


# ----------------------------------------------------------------------------- the simulation


class _QueueSim:
    """A multi-server FIFO queue: a heap of (free from, server) over rostered windows."""

    __slots__ = ("agent_of", "heap", "ptr", "windows")

    def __init__(self, servers: list[tuple[int, list[tuple[int, int]]]]) -> None:
        self.agent_of = [agent for agent, _ in servers]
        self.windows = [w for _, w in servers]
        self.ptr = [0] * len(servers)
        self.heap: list[tuple[int, int]] = []
        for s in range(len(servers)):
            self.release(s, 0)

    def first_free(self, t: int) -> float:
        """When the earliest agent can take a contact arriving at ``t`` (``inf``: never);
        that agent is then on top of the heap. Agents whose window closed meanwhile are
        moved on to their next window first."""
        heap = self.heap
        while heap:
            free, server = heap[0]
            start = free if free > t else t
            if start < self.windows[server][self.ptr[server]][1]:
                return start
            heapq.heappop(heap)
            self.release(server, start)
        return math.inf

    def release(self, server: int, free_at: int) -> None:
        """Make ``server`` available again from ``free_at`` (or its next window)."""
        wins = self.windows[server]
        p = self.ptr[server]
        while p < len(wins) and wins[p][1] <= free_at:
            p += 1
        self.ptr[server] = p
        if p < len(wins):
            heapq.heappush(self.heap, (max(free_at, wins[p][0]), server))


class _Run:
    """One replay of a centre's period; state carried from day to day."""

    def __init__(self, centre: Centre) -> None:
        self.c = centre
        spec = SCALES[centre.scale]
        self.volume = spec.volume
        self.sims = {q: _QueueSim(s) for q, s in centre._staff.servers.items()}
        staff = centre._staff
        self.skill = [_SKILL_FACTOR[k - 1] for k in staff.skill]
        self.fcr_skill = [_FCR_SKILL[k - 1] for k in staff.skill]
        self.agent_code = staff.agent_code
        self.agent_team = staff.agent_team
        cs = centre.customers
        self.cust_id = [c.external_id for c in cs]
        self.cust_phone = [c.phone for c in cs]
        self.joined = np.array([(c.joined_on - centre.start_date).days for c in cs])
        propensity = np.array(centre._propensity)
        vip = np.array([c.tier in VIP_TIERS for c in cs])
        self.pools = {
            "vip": np.flatnonzero(vip),
            "mass": np.flatnonzero(~vip),
            "all": np.arange(len(cs)),
        }
        self.propensity = propensity
        self.pending: dict[tuple[int, str], list[tuple]] = {}  # (day, queue) → repeats
        self.callbacks: list[tuple] = []  # heap of callback requests
        self.recent: dict[tuple[int, str], int] = {}
        self.out: list[tuple] = []
        self.seq = 0
        self.prefixes = Weighted.of(names.MOBILE_PREFIXES)
        self.cats = {m.seed.code: Weighted.of(m.categories) for m in QUEUE_MODELS}
        self.self_cats = {k: Weighted.of(v) for k, v in SELF_SERVICE.items()}
        self.channels = {
            m.seed.code: Weighted.of([(k, w) for k, (_, w) in enumerate(m.channels)])
            for m in QUEUE_MODELS
        }
        self.talk_mu = {
            m.seed.code: {c: math.log(CATEGORIES[c][0] * m.talk_factor) for c, _ in m.categories}
            for m in QUEUE_MODELS
        }
        self.incident_day = None
        if centre.incident is not None:
            self.incident_day = (centre.incident[0].date() - centre.start_date).days

    # ---- helpers

    def _number(self, r: random.Random) -> str:
        if r.random() < 0.15:
            return f"027{r.choice('5678')}{r.randrange(10**7):07d}"
        return f"{self.prefixes.draw(r)}{r.randrange(10**8):08d}"

    def _customer(self, pool: str, category: str, t: int) -> int:
        """A customer of ``pool`` by propensity, avoiding a repeat on the same category."""
        for _ in range(4):
            buf = self.buffers[pool]
            if not buf:
                self._refill(pool)
                buf = self.buffers[pool]
            ci = buf.pop()
            if t - self.recent.get((ci, category), -RECENT) >= RECENT:
                break
        self.recent[(ci, category)] = t
        return ci

    def _refill(self, pool: str) -> None:
        idx = self.cdf_index[pool]
        picks = np.searchsorted(
            self.cdf[pool], self.rng.random(256) * self.cdf[pool][-1], side="right"
        )
        self.buffers[pool] = idx[np.minimum(picks, len(idx) - 1)].tolist()

    def _arrivals(self, profile: tuple[float, ...], daily: float, boost=None) -> list[int]:
        lam = np.asarray(profile) * daily
        if boost is not None:
            lam = lam * boost
        counts = self.rng.poisson(lam)
        n = int(counts.sum())
        starts = np.repeat(np.arange(DAY_INTERVALS) * INTERVAL, counts)
        times = starts + np.floor(self.rng.random(n) * INTERVAL).astype(np.int64)
        return np.sort(times).tolist()

    def _time_in_day(self, r: random.Random, profile: tuple[float, ...]) -> int:
        cum = _cumulative(profile)
        t = bisect(cum, r.random() * cum[-1])
        return min(t, DAY_INTERVALS - 1) * INTERVAL + r.randrange(INTERVAL)

    # ---- one day

    def batches(self) -> Iterator[list[InteractionSeed]]:
        for day in self.days():
            start, stamp = day.start, day.stamp
            yield [_seed(row, f"{stamp}{k + 1:06d}", start) for k, row in enumerate(day.rows)]

    def days(self) -> Iterator[ContactDay]:
        c = self.c
        day0 = datetime.combine(c.start_date, time(), ZONE)
        for d in range(c.days):
            self._day(d)
            end = (d + 1) * DAY
            self.out.sort(key=_arrived)
            cut = bisect(self.out, end, key=_arrived)
            ready, self.out = self.out[:cut], self.out[cut:]
            stamp = (c.start_date + timedelta(days=d)).strftime("%Y%m%d")
            yield ContactDay(day0, stamp, ready)
            cutoff = end - RECENT
            if d % 7 == 6:
                self.recent = {k: v for k, v in self.recent.items() if v >= cutoff}

    def _day(self, d: int) -> None:
        c = self.c
        rng = self.rng = np.random.default_rng([c.seed, 3, d])
        r = random.Random(int(rng.integers(2**63)))
        weekday = (c.start_date + timedelta(days=d)).weekday()
        noise = math.exp(rng.normal(0.0, 0.06))
        base = d * DAY
        weights = self.propensity * (self.joined <= d)
        self.cdf = {}
        self.cdf_index = {}
        for pool, idx in self.pools.items():
            self.cdf[pool] = np.cumsum(weights[idx])
            self.cdf_index[pool] = idx
        self.buffers = {pool: [] for pool in self.pools}
        day_volume = self.volume * WEEKDAY_FACTOR[weekday] * noise
        for model in QUEUE_MODELS:
            self._queue_day(model, d, base, weekday, day_volume, r)
        for channel, daily in _SELF_DAILY.items():
            self._self_service(channel, daily * day_volume, base, weekday, r)
        self._callbacks(base + DAY, r)

    def _queue_day(
        self,
        model: _QueueModel,
        d: int,
        base: int,
        weekday: int,
        day_volume: float,
        r: random.Random,
    ) -> None:
        code = model.seed.code
        profile = _profile(model.profile, weekday)
        boost = None
        if code == "fault" and d == self.incident_day:
            boost = np.ones(DAY_INTERVALS)
            boost[56:72] = 5.0  # 14:00–18:00
        cats = self.cats[code]
        chans = self.channels[code]
        arrivals: list[tuple] = []
        seq = 0
        # Repeats of contacts from before the period (the days the simulation did not run)
        # arrive as fresh contacts, so the first days carry their steady-state load.
        daily = model.daily * day_volume * (1 + _repeat_rate(model) * _REPEAT_TAIL[min(d, 5)])
        for t in self._arrivals(profile, daily, boost):
            t += base
            category = cats.draw(r)
            if boost is not None and 56 * INTERVAL <= t - base < 72 * INTERVAL:
                category = "网络信号" if r.random() < 0.7 else category
            k = chans.draw(r)
            channel = model.channels[k][0]
            ci, number = -1, None
            if r.random() < model.identified[k]:
                ci = self._customer(model.pool, category, t)
                if channel == "phone":
                    number = self.cust_phone[ci] if r.random() < 0.92 else self._number(r)
                elif channel == "app":
                    number = self.cust_phone[ci]
            elif channel == "phone":
                number = self._number(r)
            arrivals.append((t, seq, ci, number, category, channel, 0))
            seq += 1
        for ci, number, category, channel in self.pending.pop((d, code), ()):
            t = base + self._time_in_day(r, profile)
            arrivals.append((t, seq, ci, number, category, channel, 0))
            seq += 1
            if ci >= 0:
                self.recent[(ci, category)] = t
        self._serve(model, arrivals, d, base, r)

    def _serve(
        self, model: _QueueModel, arrivals: list[tuple], d: int, base: int, r: random.Random
    ) -> None:
        """Run the day's contacts of one queue through its agents, first come first served."""
        code = model.seed.code
        sim = self.sims[code]
        heap = sim.heap
        skill = self.skill
        fcr_skill = self.fcr_skill
        out = self.out
        cust_id = self.cust_id
        talk_mu = self.talk_mu[code]
        wrap_mu = math.log(model.wrap_median)
        talk_sigma = 0.6 if model.slots > 1 else 0.55
        rate = 1 / model.patience
        close = base + CLOSE * INTERVAL
        vip_bonus = 0.03 if model.seed.vip else 0.0
        seq = len(arrivals)
        heapq.heapify(arrivals)
        while arrivals:
            t, _, ci, number, category, channel, tries = heapq.heappop(arrivals)
            source = SOURCES[channel]
            customer = cust_id[ci] if ci >= 0 else None
            start = sim.first_free(t)
            patience = r.expovariate(rate) if rate else math.inf
            if start - t > patience:
                wait = int(patience)
                # fmt: off
                out.append((
                    t, source, channel, "inbound", code, None, None, customer, number, None,
                    t + wait, True, wait, 0, 0, False, None, "",
                ))
                # fmt: on
                if r.random() < (0.4 if tries == 0 else 0.25 if tries == 1 else 0.0):
                    again = t + wait + 60 + int(r.expovariate(1 / 600))
                    if again < close:
                        heapq.heappush(
                            arrivals, (again, seq, ci, number, category, channel, tries + 1)
                        )
                        seq += 1
                continue
            if start == math.inf:  # an e-mail nobody picks up before the period ends
                # fmt: off
                out.append((
                    t, source, channel, "inbound", code, None, None, customer, number, None, None,
                    False, 0, 0, 0, False, None, category,
                ))
                # fmt: on
                continue
            server = heapq.heappop(heap)[1]
            agent = sim.agent_of[server]
            factor = skill[agent]
            talk = max(15, int(r.lognormvariate(talk_mu[category], talk_sigma) * factor))
            wrap = max(3, int(r.lognormvariate(wrap_mu, 0.5) * factor))
            transferred = r.random() < model.transfer
            if transferred:
                talk += 40
            p_fcr = CATEGORIES[category][1] + vip_bonus + fcr_skill[agent]
            if transferred:
                p_fcr -= 0.1
            resolved = r.random() < p_fcr
            start = int(start)
            answered_end = start + talk
            sim.release(server, answered_end + wrap)
            # fmt: off
            out.append((
                t, source, channel, "inbound", code, self.agent_team[agent], self.agent_code[agent],
                customer, number, start, answered_end, False, start - t, talk, wrap, transferred,
                resolved, category,
            ))
            # fmt: on
            repeat = _REPEAT_RESOLVED if resolved else _REPEAT_UNRESOLVED
            if (ci >= 0 or number) and r.random() < repeat:
                later = d + _REPEAT_DAYS[bisect(_REPEAT_CUM, r.random())]
                if later < self.c.days:
                    self.pending.setdefault((later, code), []).append(
                        (ci, number, category, channel)
                    )
            share = _CALLBACK_SHARE.get(category)
            if share and (ci >= 0 or number) and r.random() < share:
                when = answered_end + 1800 + int(min(r.expovariate(1 / 5400), 5 * 3600))
                phone = self.cust_phone[ci] if ci >= 0 else number
                heapq.heappush(self.callbacks, (when, self.seq, ci, phone))
                self.seq += 1

    def _self_service(
        self, channel: str, daily: float, base: int, weekday: int, r: random.Random
    ) -> None:
        cats = self.self_cats[channel]
        identified = _SELF_IDENTIFIED[channel]
        source = SOURCES[channel]
        out = self.out
        for t in self._arrivals(_profile("self", weekday), daily):
            t += base
            category = cats.draw(r)
            customer = None
            if r.random() < identified:
                ci = self._customer("all", category, t)
                customer, number = self.cust_id[ci], self.cust_phone[ci]
            else:
                number = self._number(r)
            if channel == "ivr":
                wait, talk = 0, max(10, int(r.lognormvariate(math.log(75), 0.5)))
            else:
                wait, talk = 1 + int(r.expovariate(0.6)), 0
            # fmt: off
            out.append((
                t, source, channel, "inbound", None, None, None, customer, number, t + wait,
                t + wait + talk, False, wait, talk, 0, False, None, category,
            ))
            # fmt: on

    def _callbacks(self, until: int, r: random.Random) -> None:
        """The care team calls back, first requested first, within its shifts."""
        sim = self.sims[""]
        heap = sim.heap
        while self.callbacks and self.callbacks[0][0] < until:
            t, _, ci, phone = heapq.heappop(self.callbacks)
            dial = sim.first_free(t)
            if dial == math.inf:
                continue
            server = heapq.heappop(heap)[1]
            agent = sim.agent_of[server]
            customer = self.cust_id[ci] if ci >= 0 else None
            if r.random() < 0.75:
                ring = 5 + int(r.expovariate(1 / 8))
                talk = max(20, int(r.lognormvariate(math.log(120), 0.5) * self.skill[agent]))
                wrap = max(5, int(r.lognormvariate(math.log(45), 0.5)))
                # fmt: off
                row = (
                    dial, "acd", "phone", "outbound", None, self.agent_team[agent],
                    self.agent_code[agent], customer, phone, dial + ring, dial + ring + talk, False,
                    ring, talk, wrap, False, None, CALLBACK_CATEGORY,
                )
                # fmt: on
                busy_until = dial + ring + talk + wrap
            else:
                ring = 30 + r.randrange(16)
                # fmt: off
                row = (
                    dial, "acd", "phone", "outbound", None, self.agent_team[agent],
                    self.agent_code[agent], customer, phone, None, dial + ring, False, ring, 0, 10,
                    False, None, CALLBACK_CATEGORY,
                )
                # fmt: on
                busy_until = dial + ring + 10
            self.out.append(row)
            sim.release(server, busy_until)


@lru_cache(maxsize=64)
def _cumulative(profile: tuple[float, ...]) -> list[float]:
    return list(accumulate(profile))


def _arrived(row: tuple) -> int:
    return row[0]


def _seed(row: tuple, external_id: str, day0: datetime) -> InteractionSeed:
    """Turn an internal row (times in seconds from the period start) into a record."""
    t, source, channel, direction, queue, team, agent, customer, number, answered, ended = row[:11]
    # fmt: off
    return InteractionSeed(
        source, external_id, channel, direction, queue, team, agent, customer, number,
        day0 + timedelta(seconds=t),
        None if answered is None else day0 + timedelta(seconds=answered),
        None if ended is None else day0 + timedelta(seconds=ended),
        *row[11:],
    )
    # fmt: on
