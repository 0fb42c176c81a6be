"""The customer pyramid: value segments, activity segments, RFM scores and migrations.

Pure Python + NumPy. Inputs are parallel sequences, one item per customer, so 50,000
customers are segmented in a few vectorised passes.

The model ([seed-002], after the customer pyramid of Zeithaml, Rust & Lemon 2001, "The
customer pyramid: creating and serving profitable customers", California Management Review
43(4), 118–142) has seven segments: four *value* segments among customers who are actively
using the service — top (the best 1 %), high (the next 4 %), middle (the next 15 %) and low
(the rest) — and three *activity* segments outside the value ranking: inactive, potential and
wait-and-see.

Precedence
----------
Each customer gets the first segment whose rule matches, in this order:

1. **inactive** — the account has lapsed (dormant or closed);
2. **potential** — new (joined fewer than ``potential_days`` days ago) or a prospect (no
   positive value yet). New customers have had no time to build a contact history, so this
   comes before the contact-based inactivity rule;
3. **inactive** — no contact within the last ``inactive_days`` days (or never);
4. **wait-and-see** — at least one contact in that window, but no more than
   ``wait_and_see_contacts`` (low engagement);
5. **top / high / middle / low** — everyone left, ranked by value.

Activity-based segments therefore take precedence over value: the value cut-offs are computed
among the remaining (engaged) customers only, so "top 1 %" means 1 % of the engaged base.

Value cut-offs and ties
-----------------------
With ``m`` engaged customers, the cumulative counts are ``k_top = ⌈top·m⌉``,
``k_high = ⌈(top+high)·m⌉`` and ``k_middle = ⌈(top+high+middle)·m⌉`` (ceilings, so a non-empty
base always has a top customer). A customer's *position* is the number of engaged customers
whose value is greater than or equal to theirs, i.e. a tie is placed at its lowest rank: the
customer is top if position ≤ k_top, else high if ≤ k_high, else middle if ≤ k_middle, else low.
Equal values always share a segment, and a tie that straddles a cut-off falls wholly into the
lower segment, so no segment ever holds more than its ceiling count.

RFM scores
----------
Recency (days since the last contact, fewer is better), frequency (contacts in the window)
and monetary value (higher is better) are each scored 1–5 by quintiles (Hughes, A. M. 1994,
*Strategic Database Marketing*, ch. on RFM): with ``n`` scored customers, a value's mid-rank
``r`` is the number of values worse than it plus half the number equal to it (itself included),
and the score is ``⌈5·r/n⌉`` clipped to 1…5. Distinct values fill the quintiles evenly; tied
values share the score of their mid-rank (all values equal → all 3). A missing value (never
contacted, value unknown) scores 0, meaning "not scored", and is left out of the ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

TOP = "top"
HIGH = "high"
MIDDLE = "middle"
LOW = "low"
INACTIVE = "inactive"
POTENTIAL = "potential"
WAIT_AND_SEE = "wait_and_see"

VALUE_SEGMENTS: tuple[str, ...] = (TOP, HIGH, MIDDLE, LOW)
SEGMENTS: tuple[str, ...] = (TOP, HIGH, MIDDLE, LOW, WAIT_AND_SEE, POTENTIAL, INACTIVE)
"""All segments, from the top of the pyramid down (the order of tables and charts)."""


@dataclass(frozen=True, slots=True)
class PyramidThresholds:
    """The configurable thresholds (``operations.PyramidSettings``)."""

    top_share: float = 0.01
    high_share: float = 0.04
    middle_share: float = 0.15
    inactive_days: int = 90
    potential_days: int = 90
    wait_and_see_contacts: int = 1

    def __post_init__(self) -> None:
        shares = (self.top_share, self.high_share, self.middle_share)
        if any(not 0 <= share <= 1 for share in shares):
            raise ValueError("segment shares must lie between 0 and 1")
        if round(sum(shares), 9) > 1:
            raise ValueError("top, high and middle shares must add up to at most 1")
        if self.inactive_days < 1:
            raise ValueError("inactive_days must be at least 1")
        if self.potential_days < 0 or self.wait_and_see_contacts < 0:
            raise ValueError("potential_days and wait_and_see_contacts cannot be negative")


@dataclass(frozen=True, slots=True)
class ValueCutoffs:
    """The lowest value in each value segment (``None`` when the segment is empty)."""

    top: float | None
    high: float | None
    middle: float | None
    engaged: int  # customers ranked by value


@dataclass(frozen=True, slots=True)
class Segmentation:
    """One segment per customer, in input order, and the value cut-offs that produced them."""

    segments: tuple[str, ...]
    cutoffs: ValueCutoffs

    def counts(self) -> dict[str, int]:
        tally = Counter(self.segments)
        return {segment: tally.get(segment, 0) for segment in SEGMENTS}


@dataclass(frozen=True, slots=True)
class RFMScores:
    """Scores 1–5 per customer in input order (0: not scored, the input was missing)."""

    recency: tuple[int, ...]
    frequency: tuple[int, ...]
    monetary: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MigrationMatrix:
    """Customers moving between segments from one snapshot to the next.

    ``counts[i][j]`` is the number of customers in ``segments[i]`` before and ``segments[j]``
    after; ``row_shares[i][j]`` is that count over the row total (``None`` for an empty row).
    Customers in only one of the snapshots are counted apart: ``entered`` per later segment,
    ``left`` per earlier segment.
    """

    segments: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_shares: tuple[tuple[float | None, ...], ...]
    entered: tuple[int, ...] = field(default=())
    left: tuple[int, ...] = field(default=())

    @property
    def total(self) -> int:
        """Customers present in both snapshots."""
        return sum(sum(row) for row in self.counts)

    @property
    def stayed(self) -> int:
        return sum(self.counts[i][i] for i in range(len(self.segments)))

    def count(self, before: str, after: str) -> int:
        return self.counts[self.segments.index(before)][self.segments.index(after)]

    def share(self, before: str, after: str) -> float | None:
        return self.row_shares[self.segments.index(before)][self.segments.index(after)]


def _floats(values: Sequence[float | None] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _cumulative_count(share: float, m: int) -> int:
    # Rounded before the ceiling so 0.01 + 0.04 + 0.15 (= 0.20000000000000004) × 100 is 20.
    return math.ceil(round(share * m, 9))


def segment_customers(
    *,
    value: Sequence[float | None] | np.ndarray,
    days_since_contact: Sequence[float | None] | np.ndarray,
    contacts: Sequence[int] | np.ndarray,
    days_since_joined: Sequence[float | None] | np.ndarray,
    lapsed: Sequence[bool] | np.ndarray,
    thresholds: PyramidThresholds = PyramidThresholds(),
) -> Segmentation:
    """Segment customers by the precedence in the module docstring.

    ``value``: monthly value (``None``/NaN unknown); ``days_since_contact``: whole days from
    the last contact to the reference day (0 = that day; ``None``/NaN never); ``contacts``:
    contacts within the last ``inactive_days`` days; ``days_since_joined``: whole days since
    joining (``None``/NaN unknown, never "new"); ``lapsed``: the account is dormant or closed.
    """
    v = _floats(value)
    since_contact = _floats(days_since_contact)
    since_joined = _floats(days_since_joined)
    engaged_contacts = np.asarray(contacts, dtype=np.int64)
    is_lapsed = np.asarray(lapsed, dtype=bool)
    n = v.size
    if not (
        since_contact.size == since_joined.size == engaged_contacts.size == is_lapsed.size == n
    ):
        raise ValueError("all inputs need one item per customer")
    t = thresholds
    segments = np.full(n, LOW, dtype=object)
    open_ = np.ones(n, dtype=bool)

    def assign(rule: np.ndarray, segment: str) -> None:
        hit = rule & open_
        segments[hit] = segment
        open_[hit] = False

    with np.errstate(invalid="ignore"):
        assign(is_lapsed, INACTIVE)
        assign((since_joined < t.potential_days) | ~(v > 0), POTENTIAL)
        assign(~(since_contact < t.inactive_days), INACTIVE)
        assign(engaged_contacts <= t.wait_and_see_contacts, WAIT_AND_SEE)

    ranked = v[open_]
    m = ranked.size
    k_top = _cumulative_count(t.top_share, m)
    k_high = _cumulative_count(t.top_share + t.high_share, m)
    k_middle = _cumulative_count(t.top_share + t.high_share + t.middle_share, m)
    ascending = np.sort(ranked)
    # position: how many engaged customers are worth at least as much (ties at lowest rank)
    position = m - np.searchsorted(ascending, ranked, side="left")
    value_segments = np.where(
        position <= k_top,
        TOP,
        np.where(position <= k_high, HIGH, np.where(position <= k_middle, MIDDLE, LOW)),
    )
    segments[open_] = value_segments

    def lowest(segment: str) -> float | None:
        members = ranked[value_segments == segment]
        return float(members.min()) if members.size else None

    cutoffs = ValueCutoffs(lowest(TOP), lowest(HIGH), lowest(MIDDLE), int(m))
    return Segmentation(tuple(segments.tolist()), cutoffs)


def quintile_scores(
    values: Sequence[float | None] | np.ndarray, *, higher_is_better: bool = True
) -> np.ndarray:
    """Scores 1–5 by mid-rank quintiles (module docstring); missing values score 0."""
    x = _floats(values)
    scores = np.zeros(x.size, dtype=np.int64)
    present = ~np.isnan(x)
    y = x[present] if higher_is_better else -x[present]
    if y.size == 0:
        return scores
    ordered = np.sort(y)
    worse = np.searchsorted(ordered, y, side="left")
    not_better = np.searchsorted(ordered, y, side="right")
    mid_rank = (worse + not_better) / 2
    scores[present] = np.clip(np.ceil(np.round(5 * mid_rank / y.size, 9)), 1, 5)
    return scores


def rfm_scores(
    *,
    days_since_contact: Sequence[float | None] | np.ndarray,
    contacts: Sequence[int] | np.ndarray,
    value: Sequence[float | None] | np.ndarray,
) -> RFMScores:
    """Recency (fewer days better), frequency and monetary scores, each 1–5 (0: missing)."""
    recency = quintile_scores(days_since_contact, higher_is_better=False)
    frequency = quintile_scores(np.asarray(contacts, dtype=float))
    monetary = quintile_scores(value)
    return RFMScores(tuple(recency.tolist()), tuple(frequency.tolist()), tuple(monetary.tolist()))


def migration_from_counts(
    pairs: Mapping[tuple[str, str], int],
    *,
    entered: Mapping[str, int] | None = None,
    left: Mapping[str, int] | None = None,
    segments: tuple[str, ...] = SEGMENTS,
) -> MigrationMatrix:
    """The matrix from counts of (segment before, segment after) pairs."""
    index = {segment: i for i, segment in enumerate(segments)}
    size = len(segments)
    counts = np.zeros((size, size), dtype=np.int64)
    for (before, after), n in pairs.items():
        if before not in index or after not in index:
            raise ValueError(f"unknown segment in pair {(before, after)!r}")
        counts[index[before], index[after]] += n
    totals = counts.sum(axis=1)
    shares = tuple(
        tuple(float(c / totals[i]) for c in counts[i]) if totals[i] else (None,) * size
        for i in range(size)
    )

    def per_segment(tally: Mapping[str, int] | None) -> tuple[int, ...]:
        tally = tally or {}
        unknown = set(tally) - set(index)
        if unknown:
            raise ValueError(f"unknown segments {sorted(unknown)!r}")
        return tuple(int(tally.get(segment, 0)) for segment in segments)

    return MigrationMatrix(
        segments,
        tuple(tuple(int(c) for c in row) for row in counts),
        shares,
        per_segment(entered),
        per_segment(left),
    )


def migration_matrix(
    before: Mapping[Hashable, str],
    after: Mapping[Hashable, str],
    *,
    segments: tuple[str, ...] = SEGMENTS,
) -> MigrationMatrix:
    """The matrix between two snapshots, each mapping a customer to their segment."""
    pairs = Counter(
        (segment, after[customer]) for customer, segment in before.items() if customer in after
    )
    entered = Counter(segment for customer, segment in after.items() if customer not in before)
    left = Counter(segment for customer, segment in before.items() if customer not in after)
    return migration_from_counts(pairs, entered=entered, left=left, segments=segments)
