"""Call-centre KPI formulas: each measure defined once, from sums that SQL or Python computes.

The engine works in two steps, so that the same formula serves every data source:

1. **Counts** (:class:`KpiCounts`): plain sums over a group of contacts (offered, answered,
   seconds waited, ...). The database computes them with SQL aggregates
   (``yuqi.operations.kpi.selectors``), DuckDB computes them over CSV/Parquet exports
   (``yuqi.operations.kpi.file_engine``), and :func:`counts_from_rows` computes them over a
   list of :class:`ContactRecord` in plain Python, as the reference the others are tested against.
2. **Values** (:class:`KpiValues`): the ratios, by :func:`kpi_values`, which calls one small
   function per measure below. A ratio whose denominator is zero is ``None`` ("no data"),
   never 0.

Which contacts count
--------------------
A KPI group holds the *inbound* contacts that reached a *queue* (the ACD's "offered" calls,
chats or e-mails). Outbound calls (callbacks) and contacts that never queued (IVR
self-service, automatic SMS replies) are not offered to agents and are left out by every
implementation before counting.

Per contact, with ``wait`` its seconds in queue:

* *answered*: an agent answered it (``answered_at`` set and not flagged abandoned);
* *abandoned*: the caller hung up before being answered (the ``abandoned`` flag);
* *short abandon*: abandoned with ``wait < short_abandon_seconds`` (default 5 s): misdials
  and callers who hang up before anyone could reasonably answer;
* *answered within Y*: answered with ``wait ≤ Y``, where Y is the contact's own service-level
  threshold: its customer tier's ``sl_seconds`` if the tier sets one (VIP 15 s), else the
  queue's ``sl_seconds``, else :data:`DEFAULT_SL_SECONDS` (20 s).

Sources
-------
* COPC Inc., *COPC Customer Experience Standard for Contact Centers* (release 7.0, 2020),
  glossary and "Service (Response Time)" metrics: service level, abandon rate, short
  abandons excluded from both.
* ICMI (B. Cleveland), *Call Center Management on Fast Forward*, 4th ed. (2019), ch. 3 and 6:
  offered, answered, service level X/Y, ASA, longest delay in queue, AHT = talk + after-call
  work, occupancy = handle time ÷ staffed time.
* SQM Group / ICMI, first-contact resolution measured by the agent's flag or by the absence
  of a repeat contact on the same issue within a window (commonly 7 days).
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

#: Abandons after less than this many seconds in queue are "short" (misdials, hang-ups).
DEFAULT_SHORT_ABANDON_SECONDS = 5
#: The service-level threshold Y when neither the tier nor the queue sets one.
DEFAULT_SL_SECONDS = 20
#: A contact followed by another from the same customer on the same category within this
#: many days was not resolved at first contact (derived FCR).
DEFAULT_REPEAT_DAYS = 7
#: Interval lengths (minutes) the engine groups by.
INTERVAL_CHOICES = (15, 30, 60)

# --- service-level conventions ---------------------------------------------------------------
# The numerator is always "answered within Y"; centres differ on the denominator. A queue
# chooses one, and the figure is printed with it. Sources: ICMI (B. Cleveland), *Call Center
# Management on Fast Forward* ch. 3, the common service-level calculations; COPC CX Standard
# 7.0, short abandons excluded; Cisco Unified CCE reporting guide, "service level type"
# (abandoned calls ignored / negative impact), the options ACDs offer.

SL_SHORT_EXCLUDED = "short_abandons_excluded"
SL_ABANDONS_IN = "abandons_in_denominator"
SL_ABANDONS_EXCLUDED = "abandons_excluded"
SL_ANSWERED_ONLY = "answered_only"
#: code → the formula, as printed beside the figure (English; pages translate the label).
SL_CONVENTIONS: dict[str, str] = {
    SL_SHORT_EXCLUDED: "answered within Y ÷ (offered − short abandons)",
    SL_ABANDONS_IN: "answered within Y ÷ offered",
    SL_ABANDONS_EXCLUDED: "answered within Y ÷ (offered − abandoned)",
    SL_ANSWERED_ONLY: "answered within Y ÷ answered",
}
SL_DEFAULT = SL_SHORT_EXCLUDED


def in_sl_denominator(
    convention: str, *, answered: bool, abandoned: bool, short_abandoned: bool
) -> bool:
    """Whether one offered contact counts in the service level's denominator.

    * abandons in the denominator: every offered contact (abandons count against);
    * short abandons excluded (default, COPC): all but abandons before the short threshold;
    * abandons excluded: all but abandoned contacts (answered and still waiting);
    * answered only: answered contacts only.
    """
    if convention == SL_ABANDONS_IN:
        return True
    if convention == SL_SHORT_EXCLUDED:
        return not short_abandoned
    if convention == SL_ABANDONS_EXCLUDED:
        return not abandoned
    if convention == SL_ANSWERED_ONLY:
        return answered
    raise ValueError(f"unknown service-level convention {convention!r}")


def sl_denominator_from_counts(c: "KpiCounts", convention: str) -> int:
    """The denominator for a group whose contacts all follow ``convention``."""
    if convention == SL_ABANDONS_IN:
        return c.offered
    if convention == SL_SHORT_EXCLUDED:
        return c.offered - c.short_abandoned
    if convention == SL_ABANDONS_EXCLUDED:
        return c.offered - c.abandoned
    if convention == SL_ANSWERED_ONLY:
        return c.answered
    raise ValueError(f"unknown service-level convention {convention!r}")


@dataclass(frozen=True)
class KpiCounts:
    """Sums over one group of offered contacts; the input of every KPI formula.

    ``longest_wait_seconds`` is ``None`` for an empty group; ``staffed_seconds`` (available
    time: ready + on contact + wrap) and ``busy_seconds`` (on contact + wrap) are ``None``
    when no agent states exist for the group (then occupancy is unknown).
    """

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    answered_within: int = 0
    answered_wait_seconds: int = 0
    longest_wait_seconds: int | None = None
    talk_seconds: int = 0
    wrap_seconds: int = 0
    hold_seconds: int = 0
    transferred: int = 0
    fcr_flagged: int = 0
    fcr_resolved: int = 0
    repeat_candidates: int = 0
    repeated: int = 0
    sl_offered: int | None = None
    staffed_seconds: int | None = None
    busy_seconds: int | None = None

    @property
    def sl_denominator(self) -> int:
        """The service level's denominator: ``sl_offered`` as each contact's queue convention
        counted it, or, when not counted (``None``), the default convention's
        offered − short abandons."""
        if self.sl_offered is None:
            return self.offered - self.short_abandoned
        return self.sl_offered

    def __add__(self, other: "KpiCounts") -> "KpiCounts":
        """Merge two groups (sums add, the longest wait is the larger, unknowns stay unknown)."""
        if not isinstance(other, KpiCounts):
            return NotImplemented
        merged: dict[str, int | None] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if f.name == "longest_wait_seconds":
                merged[f.name] = max((x for x in (a, b) if x is not None), default=None)
            elif f.name in ("staffed_seconds", "busy_seconds"):
                merged[f.name] = None if a is None or b is None else a + b
            elif f.name == "sl_offered":
                both_default = a is None and b is None
                merged[f.name] = (
                    None if both_default else self.sl_denominator + other.sl_denominator
                )
            else:
                merged[f.name] = a + b
        return KpiCounts(**merged)  # type: ignore[arg-type]


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator <= 0 else numerator / denominator


# --- the formulas: one function per measure ----------------------------------------------


def offered(c: KpiCounts) -> int:
    """Offered = inbound contacts that reached a queue (answered, abandoned or still waiting).

    Source: ICMI, "calls offered"; outbound calls and IVR self-service are not offered.
    """
    return c.offered


def answered(c: KpiCounts) -> int:
    """Answered = offered contacts an agent answered (``answered_at`` set, not abandoned).

    Source: ICMI, "calls answered" (handled).
    """
    return c.answered


def abandoned(c: KpiCounts) -> int:
    """Abandoned = offered contacts whose caller hung up before an agent answered.

    Short abandons included; see ``short_abandoned``.
    Source: ICMI / COPC, "abandoned calls".
    """
    return c.abandoned


def short_abandoned(c: KpiCounts) -> int:
    """Short abandons = abandoned contacts with wait < threshold (default 5 s).

    Source: COPC, "short abandons" (callers who hang up before they could have been
    answered: misdials, changed minds); excluded from service level and abandon rate.
    """
    return c.short_abandoned


def answer_rate(c: KpiCounts) -> float | None:
    """Answer rate (接通率) = answered ÷ offered.

    Every offered contact counts, short abandons included: the share of contacts that
    reached a person. Source: the Chinese industry 接通率 as reported by operators; ICMI
    "calls answered ÷ calls offered".
    """
    return _ratio(c.answered, c.offered)


def abandon_rate(c: KpiCounts) -> float | None:
    """Abandon rate = (abandoned − short abandons) ÷ (offered − short abandons).

    Short abandons leave numerator and denominator alike, as in service level, so the two
    measures describe the same population and a centre cannot lower its abandon rate by
    counting misdials as offered. Source: COPC, abandon rate excluding short abandons.
    """
    return _ratio(c.abandoned - c.short_abandoned, c.offered - c.short_abandoned)


def service_level(c: KpiCounts) -> float | None:
    """Service level X/Y = answered within Y seconds ÷ (offered − short abandons).

    Y is per contact: the customer tier's threshold if set, else the queue's, else 20 s.
    Abandons after the short-abandon threshold count against it (they were not answered in
    time); contacts still waiting count against it too. That is the default convention; a
    queue may use another of :data:`SL_CONVENTIONS` (abandons in the denominator, abandons
    excluded, answered only), and then its contacts enter the denominator by that rule
    (``KpiCounts.sl_offered``). Source: ICMI, "service level"; COPC, short abandons
    excluded from the denominator.
    """
    return _ratio(c.answered_within, c.sl_denominator)


def asa(c: KpiCounts) -> float | None:
    """ASA (average speed of answer, s) = Σ wait of answered contacts ÷ answered.

    Abandoned contacts' waits are not included. Source: ICMI, "average speed of answer".
    """
    return _ratio(c.answered_wait_seconds, c.answered)


def longest_wait(c: KpiCounts) -> int | None:
    """Longest wait (s) = max wait of any offered contact, answered or abandoned.

    Source: ICMI, "longest delay in queue"; ``None`` when nothing was offered.
    """
    return c.longest_wait_seconds


def aht(c: KpiCounts) -> float | None:
    """AHT (average handle time, s) = (Σ talk + Σ hold + Σ wrap-up of answered contacts) ÷
    answered.

    Hold is the time the customer was put on hold during the contact (保持时长; 0 when the
    export has no such column). Source: ICMI, "average handle time = talk time + hold time
    + after-call work"; COPC, handle time includes hold.
    """
    return _ratio(c.talk_seconds + c.hold_seconds + c.wrap_seconds, c.answered)


def transfer_rate(c: KpiCounts) -> float | None:
    """Transfer rate = answered contacts transferred ÷ answered.

    Source: COPC, "transfer rate" (of handled contacts).
    """
    return _ratio(c.transferred, c.answered)


def fcr(c: KpiCounts) -> float | None:
    """FCR, recorded (一次解决率) = contacts flagged resolved ÷ contacts with the flag set.

    Contacts whose flag was never recorded (abandoned, outbound, not filled in) are left out
    of both. Source: SQM Group / ICMI, agent-reported first-contact resolution.
    """
    return _ratio(c.fcr_resolved, c.fcr_flagged)


def derived_fcr(c: KpiCounts) -> float | None:
    """FCR, derived = 1 − repeated ÷ candidates.

    Candidates are answered contacts with a known customer and a category; a candidate is
    *repeated* when the same customer makes another inbound contact on the same category
    later, within N days (default 7, any channel). Contacts in the last N days of the data
    cannot be repeated yet, so recent figures read high. Source: SQM Group, "no repeat
    contact within N days" (the customer-side FCR measure).
    """
    value = _ratio(c.repeated, c.repeat_candidates)
    return None if value is None else 1 - value


def occupancy(c: KpiCounts) -> float | None:
    """Occupancy = time on contacts ÷ available time = (on contact + wrap) ÷ (logged-in time
    less break and not ready, i.e. ready + on contact + wrap), both from the agent states.

    The states come from the ACD's agent-state export (imported in the workforce context,
    which registers them with the KPI engine); when only the available time is known, the
    contacts' handle time (talk + hold + wrap) stands in for the time on contacts. ``None``
    when no agent states cover the group: contact records do not hold staffed time, so pages
    say "needs agent states", never an estimate from contacts alone. By time, team and agent
    only: an agent's states are not split by queue, channel or tier. Source: ICMI,
    "occupancy" (handle time ÷ handle plus available time); COPC CX Standard, agent occupancy.
    """
    if c.staffed_seconds is None:
        return None
    busy = c.busy_seconds
    if busy is None:
        busy = c.talk_seconds + c.hold_seconds + c.wrap_seconds
    return _ratio(busy, c.staffed_seconds)


@dataclass(frozen=True)
class KpiValues:
    """All KPI values of one group; ``None`` where the denominator is zero (no data)."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    answer_rate: float | None
    abandon_rate: float | None
    service_level: float | None
    asa: float | None
    longest_wait: int | None
    aht: float | None
    transfer_rate: float | None
    fcr: float | None
    derived_fcr: float | None
    occupancy: float | None


@dataclass(frozen=True)
class KpiDefinition:
    """One measure as documented: code (= ``KpiValues`` field), English name, unit, formula."""

    code: str
    name: str
    unit: str  # "count", "ratio" or "seconds"
    function: Callable[[KpiCounts], float | int | None] = field(repr=False)

    @property
    def doc(self) -> str:
        return " ".join((self.function.__doc__ or "").split())

    @property
    def formula(self) -> str:
        """The first sentence of the docstring: ``Name = formula``."""
        first = (self.function.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(first.split())

    @property
    def explanation(self) -> str:
        rest = (self.function.__doc__ or "").strip().split("\n\n")[1:]
        return " ".join(" ".join(rest).split())


#: Every measure, in the order pages and downloads show them.
DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition("offered", "Offered", "count", offered),
    KpiDefinition("answered", "Answered", "count", answered),
    KpiDefinition("abandoned", "Abandoned", "count", abandoned),
    KpiDefinition("short_abandoned", "Short abandons", "count", short_abandoned),
    KpiDefinition("answer_rate", "Answer rate", "ratio", answer_rate),
    KpiDefinition("abandon_rate", "Abandon rate", "ratio", abandon_rate),
    KpiDefinition("service_level", "Service level", "ratio", service_level),
    KpiDefinition("asa", "ASA", "seconds", asa),
    KpiDefinition("longest_wait", "Longest wait", "seconds", longest_wait),
    KpiDefinition("aht", "AHT", "seconds", aht),
    KpiDefinition("transfer_rate", "Transfer rate", "ratio", transfer_rate),
    KpiDefinition("fcr", "FCR (recorded)", "ratio", fcr),
    KpiDefinition("derived_fcr", "FCR (derived)", "ratio", derived_fcr),
    KpiDefinition("occupancy", "Occupancy", "ratio", occupancy),
)


def kpi_values(c: KpiCounts) -> KpiValues:
    """Every measure of :data:`DEFINITIONS` applied to one group's counts."""
    return KpiValues(**{d.code: d.function(c) for d in DEFINITIONS})


# --- the reference implementation over rows --------------------------------------------


@dataclass(frozen=True)
class ContactRecord:
    """One contact as the formulas see it (the import format's fields, already parsed).

    ``sl_seconds`` is the contact's effective threshold Y (tier, else queue, else 20 s).
    ``customer`` is any hashable customer key, or ``None`` for an unidentified caller.
    """

    arrived_at: datetime
    answered: bool
    abandoned: bool = False
    wait_seconds: int = 0
    talk_seconds: int = 0
    wrap_seconds: int = 0
    hold_seconds: int = 0
    transferred: bool = False
    first_contact_resolved: bool | None = None
    sl_seconds: int = DEFAULT_SL_SECONDS
    sl_convention: str = ""  # "" = the default convention (SL_DEFAULT)
    customer: Hashable | None = None
    category: str = ""
    inbound: bool = True
    queued: bool = True

    @property
    def offered(self) -> bool:
        return self.inbound and self.queued


def repeated_contacts(
    rows: Iterable[ContactRecord], *, repeat_days: int = DEFAULT_REPEAT_DAYS
) -> set[int]:
    """Indexes (in ``rows``) of contacts followed by another inbound contact from the same
    customer on the same category, arriving later but within ``repeat_days`` days."""
    items = list(rows)
    window = timedelta(days=repeat_days)
    by_key: dict[tuple[Hashable, str], list[tuple[datetime, int]]] = {}
    for index, row in enumerate(items):
        if row.inbound and row.customer is not None and row.category:
            by_key.setdefault((row.customer, row.category), []).append((row.arrived_at, index))
    found: set[int] = set()
    for contacts in by_key.values():
        contacts.sort()
        times = [t for t, _ in contacts]
        for position, (when, index) in enumerate(contacts):
            later = position + 1
            while later < len(times) and times[later] == when:
                later += 1  # a contact at the very same moment is not "later"
            if later < len(times) and times[later] <= when + window:
                found.add(index)
    return found


def counts_from_rows(
    rows: Iterable[ContactRecord],
    *,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
    repeated: Callable[[ContactRecord], bool] | None = None,
) -> KpiCounts:
    """The counts of one group, in plain Python (the reference for the SQL and DuckDB paths).

    Rows that are not offered (outbound, never queued) are skipped. ``repeated(row)`` says
    whether a contact had a repeat (see :func:`repeated_contacts`, which needs every contact,
    not just the group's); without it derived FCR has no candidates.
    """
    n = dict.fromkeys(
        (
            f.name
            for f in fields(KpiCounts)
            if f.name not in ("longest_wait_seconds", "staffed_seconds", "busy_seconds")
        ),
        0,
    )
    longest: int | None = None
    for row in rows:
        if not row.offered:
            continue
        n["offered"] += 1
        answered_row = row.answered and not row.abandoned
        short = row.abandoned and row.wait_seconds < short_abandon_seconds
        if in_sl_denominator(
            row.sl_convention or SL_DEFAULT,
            answered=answered_row,
            abandoned=row.abandoned,
            short_abandoned=short,
        ):
            n["sl_offered"] += 1
        longest = row.wait_seconds if longest is None else max(longest, row.wait_seconds)
        if row.abandoned:
            n["abandoned"] += 1
            if row.wait_seconds < short_abandon_seconds:
                n["short_abandoned"] += 1
        elif row.answered:
            n["answered"] += 1
            n["answered_wait_seconds"] += row.wait_seconds
            n["talk_seconds"] += row.talk_seconds
            n["hold_seconds"] += row.hold_seconds
            n["wrap_seconds"] += row.wrap_seconds
            if row.wait_seconds <= row.sl_seconds:
                n["answered_within"] += 1
            if row.transferred:
                n["transferred"] += 1
            if row.customer is not None and row.category:
                n["repeat_candidates"] += 1
                if repeated is not None and repeated(row):
                    n["repeated"] += 1
        if row.first_contact_resolved is not None:
            n["fcr_flagged"] += 1
            if row.first_contact_resolved:
                n["fcr_resolved"] += 1
    return KpiCounts(**n, longest_wait_seconds=longest)


def interval_start(moment: datetime, minutes: int) -> datetime:
    """The start of the ``minutes``-long interval (15, 30, 60) holding a local ``moment``."""
    if minutes not in INTERVAL_CHOICES:
        raise ValueError(f"interval must be one of {INTERVAL_CHOICES} minutes, not {minutes}")
    return moment.replace(minute=moment.minute - moment.minute % minutes, second=0, microsecond=0)


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


# --- scopes: which channels a headline figure covers --------------------------------------
#
# ASA, service level and abandon rate only mean something per kind of channel: an e-mail
# waits hours by design, a call seconds, so an all-channel ASA mixes the two (836 s on the
# demo while voice alone was 7.5 s). Headline figures therefore default to the real-time
# channels, and peer figures (a hotline's ASA) are compared on the scope they were published
# for. Source: ICMI, service level and ASA are set per contact type ("calls" vs "responses"
# to e-mail, measured against a response-time objective instead).

SCOPE_VOICE, SCOPE_CHAT, SCOPE_EMAIL, SCOPE_REALTIME, SCOPE_ALL = (
    "voice",
    "chat",
    "email",
    "realtime",
    "all",
)
#: scope code → the channel codes it covers (``None``: every channel).
SCOPE_CHANNELS: dict[str, frozenset[str] | None] = {
    SCOPE_VOICE: frozenset({"phone"}),
    SCOPE_CHAT: frozenset({"webchat", "app", "social"}),
    SCOPE_EMAIL: frozenset({"email"}),
    SCOPE_REALTIME: frozenset({"phone", "webchat", "app", "social"}),
    SCOPE_ALL: None,
}
#: The scope of the headline figures (scorecard, KPI explorer and API by default).
HEADLINE_SCOPE = SCOPE_REALTIME


def scope_channels(scope: str) -> frozenset[str] | None:
    """The channel codes of ``scope`` (``None`` = every channel); ValueError if unknown."""
    if scope not in SCOPE_CHANNELS:
        raise ValueError(f"unknown scope {scope!r}; choose from {sorted(SCOPE_CHANNELS)}")
    return SCOPE_CHANNELS[scope]
