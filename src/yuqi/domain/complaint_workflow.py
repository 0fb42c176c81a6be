"""The complaint workflow: states, the explicit transition table, requirements, clock effects.

Sources: [seed-003] (levels; agreement = a solution accepted, or a need shelved and forwarded
with a promised answer) and [seed-001] (close only after the 对事/对人 confirmation; an unhappy
answer goes back to explore → propose → execute → confirm, i.e. service recovery).

Decisions
---------
* There is no separate "reopened" state: reopening (from resolved, callback done or closed) is a
  move back to ``investigating`` with its own action name, so the same table covers it and the
  timeline records it as a reopen. A closed ticket whose customer later says they are unhappy
  (post-contact survey) is reopened straight into ``recovery``.
* Clocks: *first response* runs only while ``new`` (acknowledging answers it); *resolution* runs
  from opening until ``resolved`` and is **paused** while waiting for the customer or another
  department; *callback* runs while ``resolved`` (the customer is called back). A shelved need
  does not pause the resolution clock: the promised answer is tracked as a commitment, and the
  ticket is still the centre's to finish.
* Requirements are checked on facts gathered by the caller (:class:`TransitionFacts`), so the
  rules stay testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CLOCK_KINDS",
    "TRANSITIONS",
    "ClockAction",
    "ClockMode",
    "ClockOp",
    "Requirement",
    "State",
    "Transition",
    "TransitionFacts",
    "TransitionRefused",
    "allowed_targets",
    "check_transition",
    "clock_effects",
    "clock_mode",
    "missing_requirements",
    "transition",
]


class State(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    WAITING_CUSTOMER = "waiting_customer"
    WAITING_DEPARTMENT = "waiting_department"
    SOLUTION_PROPOSED = "solution_proposed"
    AGREED = "agreed"
    SHELVED_FORWARDED = "shelved_forwarded"
    RECOVERY = "recovery"
    RESOLVED = "resolved"
    CALLBACK_DONE = "callback_done"
    CLOSED = "closed"


class Requirement(StrEnum):
    """Facts a move needs; the value is a stable code, the description is in REQUIREMENT_TEXT."""

    SOLUTION_ACCEPTED = "solution_accepted"
    SHELVED_NEED = "shelved_need"
    FORWARDED_DEPARTMENT = "forwarded_department"
    PROMISED_ANSWER = "promised_answer"
    NO_PENDING_APPROVAL = "no_pending_approval"
    CALLBACK_RECORDED = "callback_recorded"
    CALLBACK_SATISFIED = "callback_satisfied"
    ROOT_CAUSE = "root_cause"


REQUIREMENT_TEXT: dict[Requirement, str] = {
    Requirement.SOLUTION_ACCEPTED: "an agreement whose solution the customer accepted",
    Requirement.SHELVED_NEED: "the shelved need",
    Requirement.FORWARDED_DEPARTMENT: "the department the need was forwarded to",
    Requirement.PROMISED_ANSWER: "the promised answer date",
    Requirement.NO_PENDING_APPROVAL: "no compensation still awaiting approval",
    Requirement.CALLBACK_RECORDED: "the callback answers (对事/对人)",
    Requirement.CALLBACK_SATISFIED: (
        "a satisfied callback (solved, expectation met, attitude good); "
        "an unsatisfied one goes to service recovery"
    ),
    Requirement.ROOT_CAUSE: "a root cause category",
}


@dataclass(frozen=True, slots=True)
class TransitionFacts:
    """What the caller knows about the ticket; each field feeds one requirement."""

    solution_accepted: bool = False
    shelved_need: bool = False
    forwarded_department: bool = False
    promised_answer: bool = False
    pending_approvals: int = 0
    callback_recorded: bool = False
    callback_satisfied: bool = False
    root_cause: bool = False

    def satisfies(self, requirement: Requirement) -> bool:
        """True if this requirement holds for these facts."""
        if requirement is Requirement.NO_PENDING_APPROVAL:
            return self.pending_approvals == 0
        return bool(getattr(self, requirement.value))


@dataclass(frozen=True, slots=True)
class Transition:
    """An allowed move; ``action`` names it for the timeline and the UI buttons."""

    source: State
    target: State
    action: str
    requires: tuple[Requirement, ...] = ()


def _t(source: State, target: State, action: str, *requires: Requirement) -> Transition:
    return Transition(source, target, action, tuple(requires))


S = State
R = Requirement

#: The whole workflow. Any (source, target) pair not listed here is refused.
TRANSITIONS: tuple[Transition, ...] = (
    _t(S.NEW, S.ACKNOWLEDGED, "acknowledge"),
    _t(S.ACKNOWLEDGED, S.INVESTIGATING, "investigate"),
    _t(S.ACKNOWLEDGED, S.WAITING_CUSTOMER, "wait_for_customer"),
    _t(S.ACKNOWLEDGED, S.WAITING_DEPARTMENT, "wait_for_department"),
    _t(S.ACKNOWLEDGED, S.SOLUTION_PROPOSED, "propose_solution"),
    _t(S.INVESTIGATING, S.WAITING_CUSTOMER, "wait_for_customer"),
    _t(S.INVESTIGATING, S.WAITING_DEPARTMENT, "wait_for_department"),
    _t(S.INVESTIGATING, S.SOLUTION_PROPOSED, "propose_solution"),
    _t(S.WAITING_CUSTOMER, S.INVESTIGATING, "customer_replied"),
    _t(S.WAITING_CUSTOMER, S.SOLUTION_PROPOSED, "propose_solution"),
    _t(S.WAITING_DEPARTMENT, S.INVESTIGATING, "department_replied"),
    _t(S.WAITING_DEPARTMENT, S.SOLUTION_PROPOSED, "propose_solution"),
    _t(S.SOLUTION_PROPOSED, S.AGREED, "agree", R.SOLUTION_ACCEPTED),
    _t(
        S.SOLUTION_PROPOSED,
        S.SHELVED_FORWARDED,
        "shelve_and_forward",
        R.SHELVED_NEED,
        R.FORWARDED_DEPARTMENT,
        R.PROMISED_ANSWER,
    ),
    _t(S.SOLUTION_PROPOSED, S.INVESTIGATING, "solution_rejected"),
    _t(S.SOLUTION_PROPOSED, S.WAITING_CUSTOMER, "wait_for_customer"),
    _t(S.AGREED, S.RESOLVED, "resolve", R.NO_PENDING_APPROVAL),
    _t(S.AGREED, S.RECOVERY, "start_recovery"),
    _t(S.SHELVED_FORWARDED, S.RESOLVED, "resolve", R.NO_PENDING_APPROVAL),
    _t(S.SHELVED_FORWARDED, S.WAITING_DEPARTMENT, "wait_for_department"),
    _t(S.RECOVERY, S.RESOLVED, "resolve", R.NO_PENDING_APPROVAL),
    _t(S.RECOVERY, S.SOLUTION_PROPOSED, "propose_solution"),
    _t(S.RESOLVED, S.CALLBACK_DONE, "callback_done", R.CALLBACK_RECORDED, R.CALLBACK_SATISFIED),
    _t(S.RESOLVED, S.RECOVERY, "start_recovery"),
    _t(S.RESOLVED, S.INVESTIGATING, "reopen"),
    _t(S.CALLBACK_DONE, S.CLOSED, "close", R.ROOT_CAUSE, R.CALLBACK_SATISFIED),
    _t(S.CALLBACK_DONE, S.RECOVERY, "start_recovery"),
    _t(S.CALLBACK_DONE, S.INVESTIGATING, "reopen"),
    _t(S.CLOSED, S.INVESTIGATING, "reopen"),
    _t(S.CLOSED, S.RECOVERY, "reopen"),
)

_BY_PAIR: dict[tuple[State, State], Transition] = {(t.source, t.target): t for t in TRANSITIONS}

REOPEN_SOURCES: frozenset[State] = frozenset(t.source for t in TRANSITIONS if t.action == "reopen")


class TransitionRefused(ValueError):
    """A move that the table does not allow, or whose requirements are not met.

    ``missing`` is empty when the pair itself is not allowed.
    """

    def __init__(self, source: str, target: str, missing: tuple[Requirement, ...] = ()) -> None:
        self.source = source
        self.target = target
        self.missing = missing
        if missing:
            needs = "; ".join(REQUIREMENT_TEXT[r] for r in missing)
            message = f"Cannot move from {source} to {target}: it needs {needs}."
        else:
            allowed = ", ".join(allowed_targets(source)) if source in State else ""
            message = f"Cannot move from {source} to {target}: not an allowed transition" + (
                f" (allowed from {source}: {allowed})." if allowed else "."
            )
        super().__init__(message)


def _state(value: str) -> State:
    try:
        return State(value)
    except ValueError as exc:
        raise TransitionRefused(value, "?") from exc


def transition(source: str, target: str) -> Transition | None:
    """The table entry for a move, or None if the move is not allowed."""
    if source not in State or target not in State:
        return None
    return _BY_PAIR.get((State(source), State(target)))


def allowed_targets(source: str) -> tuple[str, ...]:
    """Targets reachable from ``source`` in table order (for buttons and messages)."""
    return tuple(t.target.value for t in TRANSITIONS if t.source.value == source)


def missing_requirements(
    source: str, target: str, facts: TransitionFacts
) -> tuple[Requirement, ...]:
    """Requirements of an allowed move that the facts do not satisfy."""
    entry = transition(source, target)
    if entry is None:
        return ()
    return tuple(r for r in entry.requires if not facts.satisfies(r))


def check_transition(source: str, target: str, facts: TransitionFacts) -> None:
    """Raise :class:`TransitionRefused` unless ``source → target`` is allowed and satisfied."""
    if target not in State:
        raise TransitionRefused(source, target)
    entry = transition(source, target)
    if entry is None:
        raise TransitionRefused(source, target)
    missing = missing_requirements(source, target, facts)
    if missing:
        raise TransitionRefused(source, target, missing)


# ---------------------------------------------------------------------- clocks
CLOCK_KINDS: tuple[str, ...] = ("first_response", "resolution", "callback")


class ClockMode(StrEnum):
    """What a clock should be doing in a state."""

    OFF = "off"
    RUNNING = "running"
    PAUSED = "paused"


class ClockOp(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class ClockAction:
    """One change to one clock caused by a move."""

    kind: str
    op: ClockOp


_WAITING = frozenset({S.WAITING_CUSTOMER, S.WAITING_DEPARTMENT})
_BEFORE_RESOLVED = frozenset(
    {
        S.NEW,
        S.ACKNOWLEDGED,
        S.INVESTIGATING,
        S.SOLUTION_PROPOSED,
        S.AGREED,
        S.SHELVED_FORWARDED,
        S.RECOVERY,
    }
)


def clock_mode(state: str, kind: str) -> ClockMode:
    """Whether the ``kind`` clock runs, waits or is off in ``state``."""
    current = _state(state)
    if kind == "first_response":
        return ClockMode.RUNNING if current is S.NEW else ClockMode.OFF
    if kind == "resolution":
        if current in _WAITING:
            return ClockMode.PAUSED
        return ClockMode.RUNNING if current in _BEFORE_RESOLVED else ClockMode.OFF
    if kind == "callback":
        return ClockMode.RUNNING if current is S.RESOLVED else ClockMode.OFF
    raise ValueError(f"unknown clock kind {kind!r}")


_OPS: dict[tuple[ClockMode, ClockMode], ClockOp] = {
    (ClockMode.OFF, ClockMode.RUNNING): ClockOp.START,
    (ClockMode.RUNNING, ClockMode.PAUSED): ClockOp.PAUSE,
    (ClockMode.PAUSED, ClockMode.RUNNING): ClockOp.RESUME,
    (ClockMode.RUNNING, ClockMode.OFF): ClockOp.STOP,
    (ClockMode.PAUSED, ClockMode.OFF): ClockOp.STOP,
}


def clock_effects(source: str, target: str) -> tuple[ClockAction, ...]:
    """The clock changes of a move, e.g. acknowledge stops first response; waiting pauses
    resolution; resolve stops resolution and starts the callback clock; reopen starts a new
    resolution clock. (OFF → PAUSED does not occur in the table.)"""
    actions = []
    for kind in CLOCK_KINDS:
        before, after = clock_mode(source, kind), clock_mode(target, kind)
        op = _OPS.get((before, after))
        if op is not None:
            actions.append(ClockAction(kind, op))
    return tuple(actions)
