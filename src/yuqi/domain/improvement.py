"""Improvement actions (PDCA): their status rules, the before/after windows and the verdict.

Pure rules, no Django. The statistics themselves are :mod:`yuqi.domain.effect`; this module
decides *which* windows are compared, what the comparison means for the action, and what to
warn about.

Windows
-------
The baseline ("before") window is named when the action is planned. The comparable "after"
window has the **same number of days** and starts the day after the change took effect (the
day the action moved from *do* to *check*, unless an explicit start is given). A window of
another length is refused, never silently compared: counts per window (complaints of a
category per 10,000 customers) grow with the window's length. When the after window has not
ended yet the check is not possible, and :func:`after_window` says on which day it will be.

Warnings (stated with the result, never hidden):

* **season** — the two windows' middle days fall in different quarters of the year, or only
  one of them holds Spring Festival (late January to February), when call volume and complaint
  mix change by themselves;
* **volume** — one window has more than 1.5 times the observations of the other;
* **small sample** — fewer than 30 observations in a window.

Verdict
-------
The interval of ``after − before`` decides (as :class:`yuqi.domain.effect.Change` does): a
change is *real* when the whole 95 % interval lies on one side of zero. With the measure's
direction (higher or lower is better) that gives ``improved``, ``worsened``, ``no_evidence``
(the interval holds zero: no change shown) or ``not_computable`` (no interval: n = 0, fewer
than two values, no variance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "ActionStatus",
    "AfterWindow",
    "Outcome",
    "Verdict",
    "Window",
    "WindowError",
    "after_window",
    "allowed_transitions",
    "verdict_for",
    "window_warnings",
]


class ActionStatus(StrEnum):
    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"
    CLOSED = "closed"


class Outcome(StrEnum):
    EFFECTIVE = "effective"
    NO_EFFECT = "no_effect"


#: plan → do → check → act → closed; a check may send the action back to do (try again), act
#: may go back to plan (a new cycle); closed is final.
TRANSITIONS: dict[ActionStatus, tuple[ActionStatus, ...]] = {
    ActionStatus.PLAN: (ActionStatus.DO,),
    ActionStatus.DO: (ActionStatus.CHECK, ActionStatus.PLAN),
    ActionStatus.CHECK: (ActionStatus.ACT, ActionStatus.DO),
    ActionStatus.ACT: (ActionStatus.CLOSED, ActionStatus.PLAN),
    ActionStatus.CLOSED: (),
}

OPEN_STATUSES = (ActionStatus.PLAN, ActionStatus.DO, ActionStatus.CHECK, ActionStatus.ACT)


def allowed_transitions(status: str) -> tuple[ActionStatus, ...]:
    """The statuses an action in ``status`` may move to (ValueError for an unknown one)."""
    return TRANSITIONS[ActionStatus(status)]


class WindowError(ValueError):
    """A window that cannot be compared (reversed, too long, other length than the baseline)."""


MAX_WINDOW_DAYS = 366


@dataclass(frozen=True, slots=True)
class Window:
    """Local days ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise WindowError(f"window ends ({self.end}) before it starts ({self.start})")
        if self.days > MAX_WINDOW_DAYS:
            raise WindowError(f"window of {self.days} days; at most {MAX_WINDOW_DAYS}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def middle(self) -> date:
        return self.start + timedelta(days=(self.days - 1) // 2)


@dataclass(frozen=True, slots=True)
class AfterWindow:
    """The after window; ``ready`` is False until it has ended (``possible_on`` is the first
    day a check can run: the day after the window ends)."""

    window: Window
    ready: bool
    possible_on: date


def after_window(
    baseline: Window, *, changed_on: date, today: date, start: date | None = None
) -> AfterWindow:
    """The comparable after window: as long as ``baseline``, from ``start`` (default: the
    day after ``changed_on``). Raises :class:`WindowError` when it would overlap the
    baseline."""
    first = start or (changed_on + timedelta(days=1))
    if first <= baseline.end:
        raise WindowError(
            f"the after window must start after the baseline ends ({baseline.end}), not on {first}"
        )
    window = Window(first, first + timedelta(days=baseline.days - 1))
    possible_on = window.end + timedelta(days=1)
    return AfterWindow(window, today >= possible_on, possible_on)


def same_length(baseline: Window, after: Window) -> None:
    """Refuse windows of different lengths (``WindowError`` naming both)."""
    if baseline.days != after.days:
        raise WindowError(
            f"windows of different length: baseline {baseline.days} days, after "
            f"{after.days} days; choose an after window of {baseline.days} days"
        )


class Warning_(StrEnum):
    SEASON = "season"
    SPRING_FESTIVAL = "spring_festival"
    VOLUME = "volume"
    SMALL_SAMPLE = "small_sample"


VOLUME_RATIO = 1.5
SMALL_SAMPLE = 30


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _holds_spring_festival(window: Window) -> bool:
    """Spring Festival falls between 21 January and 20 February; a window touching the span
    of any year is taken to hold it (the exact date moves with the lunar calendar)."""
    for year in range(window.start.year, window.end.year + 1):
        if window.start <= date(year, 2, 20) and window.end >= date(year, 1, 21):
            return True
    return False


def window_warnings(
    baseline: Window, after: Window, n_before: int | None, n_after: int | None
) -> list[Warning_]:
    """The reasons to read a before/after difference with care (see the module docstring)."""
    found: list[Warning_] = []
    if _quarter(baseline.middle) != _quarter(after.middle):
        found.append(Warning_.SEASON)
    if _holds_spring_festival(baseline) != _holds_spring_festival(after):
        found.append(Warning_.SPRING_FESTIVAL)
    if n_before is not None and n_after is not None:
        low, high = sorted((n_before, n_after))
        if high > 0 and (low == 0 or high / low > VOLUME_RATIO):
            found.append(Warning_.VOLUME)
        if low < SMALL_SAMPLE:
            found.append(Warning_.SMALL_SAMPLE)
    return found


class Verdict(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    NO_EVIDENCE = "no_evidence"
    NOT_COMPUTABLE = "not_computable"


def verdict_for(change: str, *, higher_is_better: bool) -> Verdict:
    """The action's verdict from ``effect.Change`` (``increase``, ``decrease``,
    ``no_evidence``, ``not_computable``) and the measure's direction."""
    if change == "not_computable":
        return Verdict.NOT_COMPUTABLE
    if change == "no_evidence":
        return Verdict.NO_EVIDENCE
    if change not in ("increase", "decrease"):
        raise ValueError(f"unknown change {change!r}")
    better = (change == "increase") == higher_is_better
    return Verdict.IMPROVED if better else Verdict.WORSENED


def may_close_effective(verdict: str | None) -> bool:
    """An action closes as effective only on a check whose interval shows an improvement."""
    return verdict == Verdict.IMPROVED
