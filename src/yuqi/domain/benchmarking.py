"""Peer benchmarking: where we stand among peer centres, and what they offer that we do not.

The third source of expectation information in [seed-000]: watch other call centres' key
indicators (接通率 answer rate, 等待时长 wait, ease of use) and their service features, above
all the ones they have and we lack ("他有我无"). Customers form expectations from what they
experience elsewhere, so a peer's better figure or extra feature is an expectation we face.

Direction
---------
Every indicator has a direction: :attr:`Direction.HIGHER` (answer rate, service level, FCR,
satisfaction, ease of use, NPS) or :attr:`Direction.LOWER` (ASA, abandon rate). All results
below are stated so that the caller never has to think about the direction again.

Definitions (``n`` peers with values ``p_1..p_n``, our value ``x``)
-------------------------------------------------------------------
* **percentile** = ``(beaten + ½·tied) / n`` where *beaten* counts peers strictly worse than
  ``x`` and *tied* peers equal to ``x``: the share of peers we beat, ties counting half (the
  "mid-rank" percentile rank used by e.g. ``scipy.stats.percentileofscore(kind="mean")``).
  0 = worse than every peer, 1 = better than every peer, 0.5 = in the middle. It is
  non-decreasing in ``x`` when higher is better and non-increasing when lower is better.
  ``None`` when there are no peers.
* **rank** = 1 + the number of peers strictly better than us, among the ``n + 1`` centres
  (competition ranking: ties share the better rank).
* **gap** to a reference value ``r`` (the best peer, the peers' median, our target) is the
  *shortfall*: ``r − x`` when higher is better, ``x − r`` when lower is better. A positive gap
  means we are behind ``r`` by that much in the indicator's unit; zero or negative means we
  match or beat it.
* **trend**: over equally spaced periods ``t = 0, 1, …`` (missing periods skipped, keeping
  their position), the least-squares slope of our value per period, and the least-squares
  slope of the gap to the best peer per period. The gap is *closing* when that slope is
  negative by more than ``tolerance`` per period, *widening* when positive by more, else
  *steady*; *leading* when we are at or ahead of the best peer in the last period with data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class GapTrend(StrEnum):
    CLOSING = "closing"
    WIDENING = "widening"
    STEADY = "steady"
    LEADING = "leading"
    UNKNOWN = "unknown"


def shortfall(ours: float, reference: float, direction: Direction) -> float:
    """How far ``ours`` is behind ``reference`` (positive = behind), in the indicator's unit."""
    return reference - ours if direction is Direction.HIGHER else ours - reference


def _better(a: float, b: float, direction: Direction) -> bool:
    return a > b if direction is Direction.HIGHER else a < b


def best_of(values: Iterable[float], direction: Direction) -> float:
    values = list(values)
    return max(values) if direction is Direction.HIGHER else min(values)


@dataclass(frozen=True, slots=True)
class Position:
    """Our standing among peers on one indicator in one period."""

    direction: Direction
    ours: float | None
    n_peers: int
    best: float | None
    median: float | None
    percentile: float | None
    rank: int | None
    gap_to_best: float | None
    gap_to_median: float | None
    target: float | None
    gap_to_target: float | None


def percentile_position(ours: float, peers: Sequence[float], direction: Direction) -> float:
    """Share of peers we beat, ties counting half; see the module docstring."""
    if not peers:
        raise ValueError("percentile needs at least one peer value")
    beaten = sum(1 for p in peers if _better(ours, p, direction))
    tied = sum(1 for p in peers if p == ours)
    return (beaten + 0.5 * tied) / len(peers)


def rank_among(ours: float, peers: Sequence[float], direction: Direction) -> int:
    """1 + peers strictly better than us (1 = best, ties share the better rank)."""
    return 1 + sum(1 for p in peers if _better(p, ours, direction))


def position(
    ours: float | None,
    peers: Sequence[float],
    direction: Direction,
    *,
    target: float | None = None,
) -> Position:
    """Percentile, rank and gaps of ``ours`` among ``peers``; parts without data are ``None``.

    With no value of ours the peers' best and median are still given, so a page can show the
    distribution and say "no data yet" for us.
    """
    direction = Direction(direction)
    peers = list(peers)
    best = best_of(peers, direction) if peers else None
    mid = float(median(peers)) if peers else None
    has_ours = ours is not None
    return Position(
        direction=direction,
        ours=ours,
        n_peers=len(peers),
        best=best,
        median=mid,
        percentile=percentile_position(ours, peers, direction) if has_ours and peers else None,
        rank=rank_among(ours, peers, direction) if has_ours and peers else None,
        gap_to_best=shortfall(ours, best, direction) if has_ours and best is not None else None,
        gap_to_median=shortfall(ours, mid, direction) if has_ours and mid is not None else None,
        target=target,
        gap_to_target=(
            shortfall(ours, target, direction) if has_ours and target is not None else None
        ),
    )


def least_squares_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Slope of the ordinary least-squares line through ``(x, y)`` points; ``None`` below 2
    distinct x values."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


@dataclass(frozen=True, slots=True)
class PeriodValues:
    """One period: a label (e.g. ``"2026-05"``), our value (or ``None``) and the peers'."""

    label: str
    ours: float | None
    peers: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Trend:
    """Our value's and our gap-to-best's movement per period (least squares)."""

    direction: Direction
    periods: tuple[str, ...]
    ours_slope: float | None
    gaps: tuple[float | None, ...]
    gap_slope: float | None
    status: GapTrend


def trend(
    periods: Sequence[PeriodValues], direction: Direction, *, tolerance: float = 0.0
) -> Trend:
    """Slopes over equally spaced periods; see the module docstring for the definitions.

    ``tolerance`` (≥ 0, indicator unit per period) is the slope below which the gap counts
    as steady, so noise in the fourth decimal does not read as "closing".
    """
    direction = Direction(direction)
    ours_points = [(float(t), p.ours) for t, p in enumerate(periods) if p.ours is not None]
    gaps: list[float | None] = [
        shortfall(p.ours, best_of(p.peers, direction), direction)
        if p.ours is not None and p.peers
        else None
        for p in periods
    ]
    gap_points = [(float(t), g) for t, g in enumerate(gaps) if g is not None]
    gap_slope = least_squares_slope(gap_points)
    if gap_points and gap_points[-1][1] <= 0:
        status = GapTrend.LEADING
    elif gap_slope is None:
        status = GapTrend.UNKNOWN
    elif gap_slope < -tolerance:
        status = GapTrend.CLOSING
    elif gap_slope > tolerance:
        status = GapTrend.WIDENING
    else:
        status = GapTrend.STEADY
    return Trend(
        direction=direction,
        periods=tuple(p.label for p in periods),
        ours_slope=least_squares_slope(ours_points),
        gaps=tuple(gaps),
        gap_slope=gap_slope,
        status=status,
    )


# --- offerings: 他有我无 and 我有他无 -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferingGap:
    """One offering present on one side only.

    For 他有我无 ``peers`` are the peers that have it; for 我有他无 the peers that lack it.
    ``share`` = ``len(peers) / n_peers`` (0 when there are no peers).
    """

    code: str
    peers: tuple[str, ...]
    share: float

    @property
    def peer_count(self) -> int:
        return len(self.peers)


@dataclass(frozen=True, slots=True)
class OfferingComparison:
    """他有我无 (``they_have``) and 我有他无 (``we_have``), most widespread difference first."""

    n_peers: int
    they_have: tuple[OfferingGap, ...]
    we_have: tuple[OfferingGap, ...]


def compare_offerings(
    peers: Mapping[str, Iterable[str]], ours: Iterable[str]
) -> OfferingComparison:
    """他有我无 and 我有他无 from each peer's offering codes and ours.

    * ``they_have``: every offering at least one peer has and we do not, with the peers that
      have it, sorted by peer count (descending) then code;
    * ``we_have``: every offering we have that at least one peer lacks, with the peers that
      lack it (all peers: only we have it), same order.
    """
    ours_set = set(ours)
    peer_sets = {name: set(codes) for name, codes in peers.items()}
    n = len(peer_sets)

    def gap(code: str, names: Iterable[str]) -> OfferingGap:
        names = tuple(sorted(names))
        return OfferingGap(code=code, peers=names, share=len(names) / n if n else 0.0)

    all_peer_codes = set().union(*peer_sets.values()) if peer_sets else set()
    they = [
        gap(code, (name for name, codes in peer_sets.items() if code in codes))
        for code in all_peer_codes - ours_set
    ]
    we = [
        gap(code, (name for name, codes in peer_sets.items() if code not in codes))
        for code in ours_set
    ]
    order = lambda g: (-g.peer_count, g.code)  # noqa: E731
    return OfferingComparison(
        n_peers=n,
        they_have=tuple(sorted(they, key=order)),
        we_have=tuple(sorted((g for g in we if g.peer_count), key=order)),
    )
