"""The guard at entry of the promise ledger (承诺管理): never write a "空头支票".

Why: the sources ([seed-000] §(二)) ask the call centre to "严密把关每一处对客户的承诺细节, 在对客户
做出承诺时多留一些余地, 坚决杜绝为迎合客户意愿而开'空头支票'的现象", and (§(一)) to keep VIP perks
from leaking into ordinary customers' expectations. A promise is therefore checked, before it is
saved, against configurable service standards and the promiser's authority.

Model and assumptions
---------------------
* A **service standard** for a kind of promise (and optionally a tier) states the *achievable*
  time, e.g. fault repair 24 calendar hours (MIIT mobile service specification 2009: average
  ≤ 24 h, maximum 48 h), and a *buffer*, the margin to keep. Both use one unit:
  working days, business hours, calendar hours or billing cycles (the 1st of a later month).
* The **achievable due** is ``start + achievable``; the **suggested due** is
  ``start + achievable + buffer`` on the business calendar (the margin the seeds ask for).
* Flags (each with a reason code and parameters, translated by the caller):

  - ``too_fast``: the promised due is earlier than the achievable due for the kind and tier;
    promising faster than the standard is the classic empty promise. Equal is fine.
  - ``over_authority``: the amount exceeds the promiser's own limit (e.g. agent 50 元).
    Equal is fine.
  - ``over_standard_amount``: the amount exceeds the standard's limit for the kind and tier.
  - ``perk_above_tier``: the perk's lowest tier ranks above the customer's tier (rank 1 is the
    highest), or the customer has no tier. Tier perks offered below their tier raise the
    expectations of customers the centre cannot serve that way.

* A flagged promise ``needs_approval`` by a supervisor; it is still recorded, so nothing said
  to the customer is lost.
* Time arithmetic is delegated: pass a :class:`~yuqi.domain.calendar.BusinessCalendar` or any
  callable ``(start, Duration) -> datetime``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from yuqi.domain.calendar import BusinessCalendar

__all__ = [
    "Authority",
    "Duration",
    "DurationUnit",
    "FlagCode",
    "GuardFlag",
    "GuardResult",
    "PerkRule",
    "Proposal",
    "Standard",
    "calendar_due_function",
    "check_promise",
    "reminder_time",
]


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    BUSINESS_HOURS = "business_hours"
    CALENDAR_HOURS = "calendar_hours"
    BILLING_CYCLES = "billing_cycles"


class FlagCode(StrEnum):
    TOO_FAST = "too_fast"
    OVER_AUTHORITY = "over_authority"
    OVER_STANDARD_AMOUNT = "over_standard_amount"
    PERK_ABOVE_TIER = "perk_above_tier"


@dataclass(frozen=True)
class Duration:
    """An amount of time in one unit; working days and billing cycles must be whole."""

    amount: Decimal
    unit: DurationUnit

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", Decimal(self.amount))
        object.__setattr__(self, "unit", DurationUnit(self.unit))
        if self.amount < 0:
            raise ValueError(f"a duration must not be negative, got {self.amount}")
        whole = self.unit in (DurationUnit.WORKING_DAYS, DurationUnit.BILLING_CYCLES)
        if whole and self.amount != self.amount.to_integral_value():
            raise ValueError(f"{self.unit} must be a whole number, got {self.amount}")

    def __add__(self, other: Duration) -> Duration:
        if other.unit != self.unit:
            raise ValueError(f"cannot add {other.unit} to {self.unit}")
        return Duration(self.amount + other.amount, self.unit)


@dataclass(frozen=True)
class Standard:
    """What the centre can achieve for one kind of promise (and tier): time, margin, money."""

    kind: str
    achievable: Duration
    buffer: Duration
    amount_limit: Decimal | None = None


@dataclass(frozen=True)
class PerkRule:
    """A perk and the lowest tier (by rank, 1 = highest) entitled to it."""

    code: str
    min_tier_rank: int


@dataclass(frozen=True)
class Authority:
    """The promiser's own limit on money (compensation, refunds) without approval."""

    max_amount: Decimal


@dataclass(frozen=True)
class Proposal:
    """A promise about to be made: either ``due`` or ``duration`` (or neither: take the
    suggested due)."""

    kind: str
    start: dt.datetime
    due: dt.datetime | None = None
    duration: Duration | None = None
    amount: Decimal | None = None
    perk: str = ""


@dataclass(frozen=True)
class GuardFlag:
    """One reason to ask a supervisor; ``code`` is stable, ``params`` fill the message."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GuardResult:
    flags: tuple[GuardFlag, ...]
    due: dt.datetime | None
    achievable_due: dt.datetime | None
    suggested_due: dt.datetime | None

    @property
    def needs_approval(self) -> bool:
        return bool(self.flags)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)


DueFunction = Callable[[dt.datetime, Duration], dt.datetime]


def calendar_due_function(calendar: BusinessCalendar) -> DueFunction:
    """The due time after a :class:`Duration` on a business calendar.

    * working days: close of business on the n-th working day after the start's date
      (Civil Code art. 201/203, as in :meth:`BusinessCalendar.add_business_days`); 0 means the
      close of business of the start's own day, or the next working day's if it is closed;
    * business hours: open time only (lunch breaks, nights, holidays and 调休 respected);
    * calendar hours: elapsed time, 24/7;
    * billing cycles: 00:00 local on the 1st of the n-th month after the start (a fee change
      takes effect from the next billing cycle).
    """

    def due_after(start: dt.datetime, duration: Duration) -> dt.datetime:
        amount = duration.amount
        if duration.unit is DurationUnit.WORKING_DAYS:
            if amount == 0:
                opens = calendar.local(calendar.next_open(start)).date()
                return calendar.close_of_business(opens)
            return calendar.add_business_days(start, int(amount))
        if duration.unit is DurationUnit.BUSINESS_HOURS:
            return calendar.add_business_time(start, _hours(amount))
        if duration.unit is DurationUnit.CALENDAR_HOURS:
            return calendar.add_calendar_time(start, _hours(amount))
        return _billing_cycle_start(calendar.local(start), int(amount))

    return due_after


def _hours(amount: Decimal) -> dt.timedelta:
    return dt.timedelta(seconds=float(amount * 3600))


def _billing_cycle_start(local_start: dt.datetime, cycles: int) -> dt.datetime:
    """00:00 local on the 1st of the ``cycles``-th month after the start; 0 is the start."""
    if cycles == 0:
        return local_start.astimezone(dt.UTC)
    year, month = divmod(local_start.year * 12 + local_start.month - 1 + cycles, 12)
    return dt.datetime(year, month + 1, 1, tzinfo=local_start.tzinfo).astimezone(dt.UTC)


def _as_due_function(calendar: BusinessCalendar | DueFunction) -> DueFunction:
    if isinstance(calendar, BusinessCalendar):
        return calendar_due_function(calendar)
    return calendar


def check_promise(
    proposal: Proposal,
    *,
    standard: Standard | None,
    authority: Authority | None,
    tier_rank: int | None,
    perks: Mapping[str, PerkRule],
    calendar: BusinessCalendar | DueFunction,
) -> GuardResult:
    """Check a proposed promise; return the flags and the achievable and suggested due times.

    ``standard`` None: no standard for this kind, so no time or amount check (and no
    suggestion). ``authority`` None: the promiser has no authority over money, so any amount
    above zero is flagged. ``tier_rank`` None: the customer has no tier (lowest of all).
    A perk code missing from ``perks`` raises :class:`KeyError` (an input error, not a flag).
    """
    due_after = _as_due_function(calendar)
    achievable = suggested = None
    if standard is not None:
        achievable = due_after(proposal.start, standard.achievable)
        suggested = due_after(proposal.start, standard.achievable + standard.buffer)
    due = proposal.due
    if due is None and proposal.duration is not None:
        due = due_after(proposal.start, proposal.duration)
    if due is None:
        due = suggested
    flags = [
        *_time_flags(due, achievable, standard),
        *_amount_flags(proposal.amount, authority, standard),
        *_perk_flags(proposal.perk, tier_rank, perks),
    ]
    return GuardResult(tuple(flags), due, achievable, suggested)


def _time_flags(
    due: dt.datetime | None, achievable: dt.datetime | None, standard: Standard | None
) -> list[GuardFlag]:
    if due is None or achievable is None or standard is None or due >= achievable:
        return []
    params = {
        "kind": standard.kind,
        "standard": f"{standard.achievable.amount.normalize():f}",
        "unit": str(standard.achievable.unit),
        "achievable_due": achievable.isoformat(),
        "due": due.isoformat(),
    }
    return [GuardFlag(FlagCode.TOO_FAST, params)]


def _amount_flags(
    amount: Decimal | None, authority: Authority | None, standard: Standard | None
) -> list[GuardFlag]:
    if amount is None or amount <= 0:
        return []
    flags = []
    limit = authority.max_amount if authority is not None else Decimal(0)
    if amount > limit:
        flags.append(
            GuardFlag(FlagCode.OVER_AUTHORITY, {"amount": _money(amount), "limit": _money(limit)})
        )
    standard_limit = standard.amount_limit if standard is not None else None
    if standard is not None and standard_limit is not None and amount > standard_limit:
        params = {"kind": standard.kind, "amount": _money(amount), "limit": _money(standard_limit)}
        flags.append(GuardFlag(FlagCode.OVER_STANDARD_AMOUNT, params))
    return flags


def _perk_flags(perk: str, tier_rank: int | None, perks: Mapping[str, PerkRule]) -> list[GuardFlag]:
    if not perk:
        return []
    rule = perks[perk]
    if tier_rank is not None and tier_rank <= rule.min_tier_rank:
        return []
    params = {
        "perk": perk,
        "min_tier_rank": str(rule.min_tier_rank),
        "tier_rank": "" if tier_rank is None else str(tier_rank),
    }
    return [GuardFlag(FlagCode.PERK_ABOVE_TIER, params)]


def _money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def reminder_time(
    calendar: BusinessCalendar,
    *,
    start: dt.datetime,
    due: dt.datetime,
    lead: dt.timedelta = dt.timedelta(hours=2),
    fraction: float = 0.25,
) -> dt.datetime:
    """When to remind the promiser: ``min(lead, fraction × window)`` of business time before due.

    The window is the business time between the promise and its due time, so a reminder falls
    in working hours when the promiser can act (2 business hours before a 17:30 due is 15:30;
    for a promise due Monday 10:00 made on Friday 16:00 it is Monday 09:00 if the window is
    4 h). A window with no business time in it (a 24/7 promise made and due outside working
    hours) falls back to the same rule on elapsed time. Never earlier than ``start``.
    """
    if due <= start:
        return start
    window = calendar.business_time_between(start, due)
    if window > dt.timedelta(0):
        lead_here = min(lead, window * fraction)
        return max(start, calendar.add_business_time(start, window - lead_here))
    elapsed = due - start
    return max(start, due - min(lead, elapsed * fraction))
