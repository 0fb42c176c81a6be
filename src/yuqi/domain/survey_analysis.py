"""Survey analysis over many answers at once: vectorised NumPy on long answer arrays.

Input is the shape the database stores (one row per answer to a question *part*), as four
aligned arrays — respondent position, question position, part code, numeric value — plus
the question specs and, for a stratified campaign, each respondent's stratum and the
population size of every stratum. No per-answer Python objects are made: dense
respondent × question matrices are filled by fancy indexing and reduced with ``bincount``
and matrix products, so a million answers take well under a second.

What is computed (each function below states its formula and source):

* **CSAT** top-2-box share, **NPS** (promoters − detractors, points) and **CES** mean, per
  question and as headline figures, with 95 % intervals;
* **对事/对人 rates** (the share who said the matter was resolved / were pleased with the
  person; [seed-001]) with Wilson intervals;
* the **SERVQUAL** gap table per item and per dimension — mean expectation E, mean
  perception P, gap P − E with the interval of the paired difference, n — and the
  unweighted and importance-weighted overall scores, exactly as
  :func:`yuqi.domain.servqual.analyse` defines them;
* the **expectation achievement rate**: the share of respondents whose mean perception over
  their SERVQUAL items is at least their mean expectation (the customer-perception measure
  of the service balanced scorecard, [seed-001]);
* **Kano** per feature (:func:`yuqi.domain.kano.summary_from_counts`);
* breakdowns of the headline figures by any grouping of respondents (tier, channel, queue).

Weighting. With a :class:`Design` (a stratified campaign) every mean and share is the
stratified estimator with population stratum sizes ``N_h`` (Cochran 1977, ch. 5)::

    ȳ_st = Σ_h W_h ȳ_h,   W_h = N_h / Σ N_h,
    v(ȳ_st) = Σ_h W_h² (1 − n_h/N_h) s_h² / n_h,   interval ȳ_st ± z √v

treating the respondents of a stratum as a simple random sample of it (non-response is
assumed ignorable within a stratum — the usual weighting-class adjustment, Lohr 2019,
ch. 8). Strata without respondents are left out and the weights renormalised over the
strata that answered (the result then describes the covered population, and says so in
``SurveyAnalysis.notes``); a stratum with a single respondent borrows the pooled sample
variance. Without a design the estimates are the simple ones: Wilson for shares
(Wilson 1927), Student t for means, and the adjusted-Wald interval for the NPS
(Rocks 2016; Lewis & Sauro). Breakdowns are always unweighted (each group is described
as it answered). Kano counts are never weighted: the category is a mode of answers.

Sources
-------
* Cochran, W. G. (1977). Sampling Techniques, 3rd ed., Wiley, ch. 5.
* Lohr, S. L. (2019). Sampling: Design and Analysis, 2nd ed., CRC, ch. 3 and 8.
* Parasuraman, Zeithaml & Berry (1988); Zeithaml, Parasuraman & Berry (1990) — see
  :mod:`yuqi.domain.servqual`. Berger et al. (1993) — see :mod:`yuqi.domain.kano`.
* Pearson's chi-square goodness-of-fit test for :func:`representativeness` (e.g. Agresti,
  Categorical Data Analysis, 3rd ed., 2013, §1.5).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from yuqi.domain import kano
from yuqi.domain.estimates import (
    DETRACTOR_MAX,
    PROMOTER_MIN,
    normal_quantile,
    nps_from_counts,
    proportion,
)
from yuqi.domain.quantiles import t_quantile
from yuqi.domain.servqual import ALLOCATION_TOTAL, DIMENSIONS
from yuqi.domain.servqual import SCALE_MAX as SERVQUAL_MAX
from yuqi.domain.servqual import SCALE_MIN as SERVQUAL_MIN

# --------------------------------------------------------------------------- input

PART_WHOLE, PART_EXPECTATION, PART_PERCEPTION, PART_FUNCTIONAL, PART_DYSFUNCTIONAL = range(5)
PART_IMPORTANCE = 10
"""Importance points of dimension ``DIMENSIONS[i]`` have part code ``PART_IMPORTANCE + i``."""

_PART_NAMES = {
    "": PART_WHOLE,
    "expectation": PART_EXPECTATION,
    "perception": PART_PERCEPTION,
    "functional": PART_FUNCTIONAL,
    "dysfunctional": PART_DYSFUNCTIONAL,
    **{f"importance:{d}": PART_IMPORTANCE + i for i, d in enumerate(DIMENSIONS)},
}
PART_UNKNOWN = -1

KINDS = (
    "rating",
    "nps",
    "csat",
    "ces",
    "single_choice",
    "multiple_choice",
    "text",
    "servqual_item",
    "kano_pair",
    "importance_allocation",
)
RATES = ("matter", "person")
"""对事 ("matter": was the issue resolved?) and 对人 ("person": was the contact pleasant?)."""

_ALLOCATION_TOLERANCE = 1e-6


def part_code(part: str) -> int:
    """The integer code of an ``Answer.part`` string (``PART_UNKNOWN`` if not one we read)."""
    return _PART_NAMES.get(part, PART_UNKNOWN)


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    """What the analysis needs to know of a question.

    ``scale`` is the answer scale (CSAT top-2-box takes its two highest points). ``dimension``
    tags a SERVQUAL item, ``feature`` a Kano pair (several versions of one feature share it).
    ``rate`` marks a 对事 (``"matter"``) or 对人 (``"person"``) check; an answer counts as a
    yes when its value is in ``success``, or, with ``success`` empty, when it is in the two
    highest points of the scale.
    """

    code: str
    kind: str
    scale: tuple[int, int] = (1, 5)
    dimension: str = ""
    feature: str = ""
    rate: str = ""
    success: tuple[float, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown question kind {self.kind!r}; use one of {KINDS}")
        if self.kind == "servqual_item" and self.dimension not in DIMENSIONS:
            raise ValueError(f"SERVQUAL item {self.code!r} needs a dimension among {DIMENSIONS}")
        if self.rate not in ("", *RATES):
            raise ValueError(f"rate must be '', 'matter' or 'person', got {self.rate!r}")
        if self.scale[1] <= self.scale[0]:
            raise ValueError(f"scale of {self.code!r} must go up, got {self.scale!r}")


@dataclass(frozen=True, slots=True, eq=False)
class AnswerArrays:
    """Answers in long form: ``respondent[i]`` (0…respondents − 1) answered question
    ``question[i]`` (position in the spec list), part ``part[i]`` (:func:`part_code`), with
    number ``value[i]`` (NaN when the answer has none, e.g. text)."""

    respondent: np.ndarray
    question: np.ndarray
    part: np.ndarray
    value: np.ndarray

    def __post_init__(self) -> None:
        sizes = {a.shape for a in (self.respondent, self.question, self.part, self.value)}
        if len(sizes) != 1 or len(next(iter(sizes))) != 1:
            raise ValueError("answer arrays must be one-dimensional and of the same length")

    @classmethod
    def empty(cls) -> AnswerArrays:
        none = np.zeros(0, dtype=np.intp)
        return cls(none, none, none, np.zeros(0))

    def __len__(self) -> int:
        return int(self.value.size)


@dataclass(frozen=True, slots=True, eq=False)
class Design:
    """A stratified design: ``stratum[r]`` is respondent r's position in ``labels``
    (−1 when unknown: left out of weighted figures), ``population[h]`` is ``N_h``."""

    stratum: np.ndarray
    labels: tuple[str, ...]
    population: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.population) or not self.labels:
            raise ValueError("a design needs one population size per stratum label")
        if any(int(n) < 0 for n in self.population):
            raise ValueError("population sizes must be non-negative")
        if self.stratum.size and int(self.stratum.max()) >= len(self.labels):
            raise ValueError("a respondent's stratum is not among the design's labels")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Measure:
    """A figure with its interval: ``ci_low``/``ci_high``/``se`` are None when they cannot
    be estimated (a single answer). Shares are on 0–1, NPS in points (−100…100)."""

    value: float
    ci_low: float | None
    ci_high: float | None
    n: int
    se: float | None
    method: str


@dataclass(frozen=True, slots=True)
class Headline:
    """The figures of the page header. ``achievement`` is the expectation achievement rate."""

    csat: Measure | None = None
    nps: Measure | None = None
    ces: Measure | None = None
    matter: Measure | None = None
    person: Measure | None = None
    achievement: Measure | None = None
    servqual: Measure | None = None  # unweighted overall SERVQUAL gap


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """A CSAT, NPS, CES, rating or 对事/对人 question: its figure and value counts."""

    code: str
    kind: str
    label: str
    measure: Measure | None
    counts: tuple[tuple[float, int], ...]
    respondents: int


@dataclass(frozen=True, slots=True)
class GapRow:
    """A row of the SERVQUAL gap table (an item, or a dimension when ``key`` is one)."""

    key: str
    label: str
    dimension: str
    expectation: float
    perception: float
    gap: Measure
    n: int
    importance: float | None = None  # dimensions: mean share of the 100 points (0–1)


@dataclass(frozen=True, slots=True)
class ServqualTable:
    items: tuple[GapRow, ...]
    dimensions: tuple[GapRow, ...]
    unweighted: Measure | None
    weighted: Measure | None
    achievement: Measure | None
    respondents: int
    invalid_allocations: int = 0


@dataclass(frozen=True, slots=True)
class KanoRow:
    feature: str
    label: str
    summary: kano.KanoSummary


@dataclass(frozen=True, slots=True)
class SurveyAnalysis:
    """Everything the analysis page shows. ``headline`` follows the design (weighted when
    ``weighted``); ``unweighted`` always holds the simple figures, for comparison.

    Design notes: ``empty_strata`` had no respondents (left out, weights renormalised),
    ``single_strata`` had one (pooled variance), ``unplaced`` respondents had no stratum.
    """

    respondents: int
    weighted: bool
    headline: Headline
    unweighted: Headline
    questions: tuple[QuestionResult, ...]
    servqual: ServqualTable | None
    kano: tuple[KanoRow, ...]
    empty_strata: tuple[str, ...] = ()
    single_strata: tuple[str, ...] = ()
    unplaced: int = 0


@dataclass(frozen=True, slots=True)
class GroupRow:
    label: str
    respondents: int
    headline: Headline


@dataclass(frozen=True, slots=True)
class ChiSquare:
    """Pearson goodness of fit of responders to population shares, by stratum."""

    statistic: float
    df: int
    p_value: float
    expected: tuple[float, ...]
    observed: tuple[int, ...]


# --------------------------------------------------------------------------- estimators


@dataclass(frozen=True, slots=True, eq=False)
class _Strata:
    codes: np.ndarray  # per respondent, −1 unknown
    population: np.ndarray  # float, N_h


def _simple_mean(y: np.ndarray, confidence: float) -> Measure | None:
    """Mean with the Student t interval: ȳ ± t_{n−1} s/√n (Student 1908)."""
    n = int(y.size)
    if n == 0:
        return None
    value = float(y.mean())
    if n < 2:
        return Measure(value, None, None, 1, None, "Student t")
    se = float(y.std(ddof=1)) / math.sqrt(n)
    t = t_quantile(0.5 + confidence / 2.0, n - 1)
    return Measure(value, value - t * se, value + t * se, n, se, "Student t")


def _simple_share(y: np.ndarray, confidence: float) -> Measure | None:
    """Share of ones with the Wilson score interval (:func:`yuqi.domain.estimates.proportion`)."""
    if y.size == 0:
        return None
    e = proportion(int(np.count_nonzero(y)), int(y.size), confidence=confidence)
    return Measure(e.value, e.ci_low, e.ci_high, e.n, e.se, e.method)


def _simple_nps(codes: np.ndarray, confidence: float) -> Measure | None:
    """NPS from answers coded +100/0/−100, adjusted-Wald interval (:func:`nps_from_counts`)."""
    if codes.size == 0:
        return None
    promoters = int(np.count_nonzero(codes > 0))
    detractors = int(np.count_nonzero(codes < 0))
    e = nps_from_counts(
        promoters, int(codes.size) - promoters - detractors, detractors, confidence=confidence
    )
    return Measure(e.value, e.ci_low, e.ci_high, e.n, e.se, e.method)


def _stratified(
    y: np.ndarray, codes: np.ndarray, population: np.ndarray, z: float, method: str
) -> Measure | None:
    """Stratified mean ȳ_st = Σ W_h ȳ_h with v = Σ W_h² (1 − f_h) s_h²/n_h (Cochran 1977, 5.3).

    Unknown strata (code −1) are dropped; strata without answers are dropped and the
    weights renormalised; a stratum with one answer (not a census) uses the pooled variance.
    """
    known = codes >= 0
    y, codes = y[known], codes[known]
    if y.size == 0:
        return None
    strata = population.size
    n_h = np.bincount(codes, minlength=strata).astype(float)
    covered = (n_h > 0) & (population > 0)
    if not covered.any():
        return None
    safe_n = np.where(n_h > 0, n_h, 1.0)
    mean_h = np.bincount(codes, weights=y, minlength=strata) / safe_n
    deviation = y - mean_h[codes]
    squares = np.bincount(codes, weights=deviation * deviation, minlength=strata)
    pooled = float(y.var(ddof=1)) if y.size >= 2 else 0.0
    var_h = np.where(n_h >= 2, squares / np.where(n_h >= 2, n_h - 1.0, 1.0), pooled)
    weight = np.where(covered, population, 0.0) / population[covered].sum()
    finite = 1.0 - np.minimum(n_h / np.where(population > 0, population, 1.0), 1.0)
    value = float(np.sum(weight * mean_h))
    variance = float(np.sum(np.where(covered, weight**2 * finite * var_h / safe_n, 0.0)))
    se = math.sqrt(max(variance, 0.0))
    return Measure(value, value - z * se, value + z * se, int(y.size), se, method)


def _clip(measure: Measure | None, low: float, high: float) -> Measure | None:
    if measure is None or measure.ci_low is None or measure.ci_high is None:
        return measure
    return Measure(
        measure.value,
        min(max(measure.ci_low, low), measure.value),
        max(min(measure.ci_high, high), measure.value),
        measure.n,
        measure.se,
        measure.method,
    )


class _Estimator:
    """Chooses between the simple and the stratified estimators for one analysis."""

    def __init__(self, strata: _Strata | None, confidence: float) -> None:
        self.strata = strata
        self.confidence = confidence
        self.z = normal_quantile(confidence)

    def _weighted(self, y: np.ndarray, mask: np.ndarray, method: str) -> Measure | None:
        assert self.strata is not None
        codes = self.strata.codes[mask]
        return _stratified(y, codes, self.strata.population, self.z, method)

    def mean(self, column: np.ndarray) -> Measure | None:
        """Mean of a per-respondent column (NaN = no answer)."""
        mask = ~np.isnan(column)
        if self.strata is None:
            return _simple_mean(column[mask], self.confidence)
        return self._weighted(column[mask], mask, "stratified mean, normal")

    def share(self, column: np.ndarray) -> Measure | None:
        """Share of ones in a per-respondent 0/1 column (NaN = no answer)."""
        mask = ~np.isnan(column)
        if self.strata is None:
            return _simple_share(column[mask], self.confidence)
        measure = self._weighted(column[mask], mask, "stratified proportion, normal")
        return _clip(measure, 0.0, 1.0)

    def nps(self, column: np.ndarray) -> Measure | None:
        """NPS of a per-respondent column of codes +100/0/−100 (NaN = no answer)."""
        mask = ~np.isnan(column)
        if self.strata is None:
            return _simple_nps(column[mask], self.confidence)
        return _clip(self._weighted(column[mask], mask, "stratified NPS, normal"), -100.0, 100.0)

    def point(self, column: np.ndarray, mask: np.ndarray) -> float:
        """Point estimate only (the E and P means of the gap table)."""
        if self.strata is None:
            return float(column[mask].mean())
        measure = self._weighted(column[mask], mask, "")
        return measure.value if measure else math.nan


# --------------------------------------------------------------------------- matrices


_PART_SLOTS = (
    PART_WHOLE,
    PART_EXPECTATION,
    PART_PERCEPTION,
    PART_FUNCTIONAL,
    PART_DYSFUNCTIONAL,
    *(PART_IMPORTANCE + i for i in range(len(DIMENSIONS))),
)


class _Cells:
    """The answers sorted once by (part, question), so that every (part, question) cell is
    a contiguous slice; dense matrices are then filled slice by slice.

    The sort key is a small integer, for which NumPy's stable sort is a linear radix sort.
    """

    def __init__(self, answers: AnswerArrays, questions: int, respondents: int) -> None:
        self.respondents = respondents
        self.questions = questions
        slot_of = np.full(PART_IMPORTANCE + len(DIMENSIONS) + 1, len(_PART_SLOTS), np.intp)
        slot_of[list(_PART_SLOTS)] = np.arange(len(_PART_SLOTS))
        parts = np.asarray(answers.part, dtype=np.intp)
        known = (parts >= 0) & (parts < slot_of.size)
        slots = np.where(known, slot_of[np.where(known, parts, 0)], len(_PART_SLOTS))
        cells = (len(_PART_SLOTS) + 1) * max(questions, 1)
        key = slots * max(questions, 1) + np.asarray(answers.question, dtype=np.intp)
        key = key.astype(np.uint16 if cells <= 2**16 else np.uint32)
        order = np.argsort(key, kind="stable")
        self.bounds = np.concatenate(([0], np.cumsum(np.bincount(key, minlength=cells))))
        self.respondent = np.asarray(answers.respondent, dtype=np.intp)[order]
        self.value = np.asarray(answers.value, dtype=float)[order]
        self._slot = {part: i for i, part in enumerate(_PART_SLOTS)}

    def matrix(self, part: int, questions: Sequence[int]) -> np.ndarray:
        """Dense respondents × len(questions) values of one part (NaN = no answer)."""
        matrix = np.full((self.respondents, len(questions)), np.nan)
        slot = self._slot.get(part)
        if slot is None:
            return matrix
        for column, question in enumerate(questions):
            cell = slot * max(self.questions, 1) + question
            low, high = self.bounds[cell], self.bounds[cell + 1]
            matrix[self.respondent[low:high], column] = self.value[low:high]
        return matrix


def _indices(questions: Sequence[QuestionSpec], kind: str) -> list[int]:
    return [i for i, q in enumerate(questions) if q.kind == kind]


def _on_scale(column: np.ndarray, scale: tuple[int, int]) -> np.ndarray:
    """Values outside the scale (or not whole) are treated as no answer."""
    low, high = scale
    bad = (column < low) | (column > high) | (column != np.round(column))
    return np.where(bad, np.nan, column)


def _success(column: np.ndarray, spec: QuestionSpec) -> np.ndarray:
    """1/0 per respondent (NaN = no answer): a yes per ``spec.success`` or top-2-box."""
    if spec.success:
        yes = np.isin(column, np.asarray(spec.success, dtype=float))
    else:
        column = _on_scale(column, spec.scale)
        yes = column >= spec.scale[1] - 1
    return np.where(np.isnan(column), np.nan, yes.astype(float))


def _nps_codes(column: np.ndarray) -> np.ndarray:
    """+100 promoters (9–10), 0 passives, −100 detractors (0–6) (Reichheld 2003)."""
    column = _on_scale(column, (0, 10))
    codes = np.where(column >= PROMOTER_MIN, 100.0, np.where(column <= DETRACTOR_MAX, -100.0, 0.0))
    return np.where(np.isnan(column), np.nan, codes)


# --------------------------------------------------------------------------- per respondent


@dataclass(frozen=True, slots=True, eq=False)
class _Columns:
    """Per-respondent columns behind the headline (NaN = not answered)."""

    csat: np.ndarray
    nps: np.ndarray
    ces: np.ndarray
    matter: np.ndarray
    person: np.ndarray
    achieved: np.ndarray
    servqual: np.ndarray


@dataclass(frozen=True, slots=True, eq=False)
class _Servqual:
    """Per-respondent SERVQUAL matrices of the asked items (NaN where not a valid pair)."""

    items: list[int]
    expectation: np.ndarray  # respondents × items
    perception: np.ndarray
    dimensions: list[str]  # asked dimensions, in DIMENSIONS order
    dim_expectation: np.ndarray  # respondents × dimensions
    dim_perception: np.ndarray
    shares: np.ndarray  # respondents × 5 (DIMENSIONS order), NaN rows = no valid allocation
    invalid_allocations: int
    unweighted: np.ndarray  # per respondent
    weighted: np.ndarray
    achieved: np.ndarray  # 1/0/NaN


def _servqual(questions: Sequence[QuestionSpec], cells: _Cells) -> _Servqual | None:
    items = _indices(questions, "servqual_item")
    if not items:
        return None
    expectation = cells.matrix(PART_EXPECTATION, items)
    perception = cells.matrix(PART_PERCEPTION, items)
    expectation = _on_scale(expectation, (SERVQUAL_MIN, SERVQUAL_MAX))
    perception = _on_scale(perception, (SERVQUAL_MIN, SERVQUAL_MAX))
    valid = ~(np.isnan(expectation) | np.isnan(perception))
    expectation = np.where(valid, expectation, np.nan)
    perception = np.where(valid, perception, np.nan)
    asked = [d for d in DIMENSIONS if any(questions[i].dimension == d for i in items)]
    membership = np.array(
        [[questions[i].dimension == d for d in asked] for i in items], dtype=float
    )  # items × dimensions
    counts = valid.astype(float) @ membership
    with np.errstate(invalid="ignore", divide="ignore"):
        dim_e = np.where(valid, expectation, 0.0) @ membership / counts
        dim_p = np.where(valid, perception, 0.0) @ membership / counts
    dim_gap = dim_p - dim_e  # NaN where the respondent answered no item of the dimension
    unweighted = np.where(np.isnan(dim_gap).any(axis=1), np.nan, np.mean(dim_gap, axis=1))
    shares, invalid = _shares(questions, cells)
    weighted = _weighted_gap(dim_gap, asked, shares)
    sum_e = np.where(valid, expectation, 0.0).sum(axis=1)
    sum_p = np.where(valid, perception, 0.0).sum(axis=1)
    achieved = np.where(valid.any(axis=1), (sum_p >= sum_e).astype(float), np.nan)
    return _Servqual(
        items=items,
        expectation=expectation,
        perception=perception,
        dimensions=asked,
        dim_expectation=dim_e,
        dim_perception=dim_p,
        shares=shares,
        invalid_allocations=invalid,
        unweighted=unweighted,
        weighted=weighted,
        achieved=achieved,
    )


def _shares(questions: Sequence[QuestionSpec], cells: _Cells) -> tuple[np.ndarray, int]:
    """Each respondent's 100-point allocation as shares (ZPB 1990), NaN rows when absent or
    not adding up to 100; also how many allocations were invalid."""
    respondents = cells.respondents
    shares = np.full((respondents, len(DIMENSIONS)), np.nan)
    allocation = _indices(questions, "importance_allocation")
    if not allocation:
        return shares, 0
    points = np.full((respondents, len(DIMENSIONS)), np.nan)
    for position in range(len(DIMENSIONS)):
        column = cells.matrix(PART_IMPORTANCE + position, allocation)
        with np.errstate(all="ignore"):
            points[:, position] = np.where(
                np.isnan(column).all(axis=1), np.nan, np.nansum(column, axis=1)
            )
    given = ~np.isnan(points).all(axis=1)
    filled = np.where(np.isnan(points), 0.0, points)
    ok = (
        given
        & (filled >= 0).all(axis=1)
        & (np.abs(filled.sum(axis=1) - ALLOCATION_TOTAL) <= _ALLOCATION_TOLERANCE)
    )
    shares[ok] = filled[ok] / ALLOCATION_TOTAL
    return shares, int(np.count_nonzero(given & ~ok))


def _weighted_gap(dim_gap: np.ndarray, asked: list[str], shares: np.ndarray) -> np.ndarray:
    """W_r = Σ_d share_rd · G_rd, NaN when r gave points to a dimension without a gap."""
    full = np.full((dim_gap.shape[0], len(DIMENSIONS)), np.nan)
    for column, dimension in enumerate(asked):
        full[:, DIMENSIONS.index(dimension)] = dim_gap[:, column]
    needed = shares > 0.0
    missing = (needed & np.isnan(full)).any(axis=1)
    total = np.where(needed, shares * np.where(np.isnan(full), 0.0, full), 0.0).sum(axis=1)
    return np.where(np.isnan(shares).any(axis=1) | missing, np.nan, total)


def _first_column(
    questions: Sequence[QuestionSpec],
    cells: _Cells,
    test: Callable[[QuestionSpec], bool],
) -> tuple[QuestionSpec | None, np.ndarray]:
    for index, spec in enumerate(questions):
        if test(spec):
            return spec, cells.matrix(PART_WHOLE, [index])[:, 0]
    return None, np.full(cells.respondents, np.nan)


def _columns(
    questions: Sequence[QuestionSpec],
    cells: _Cells,
    servqual: _Servqual | None,
) -> _Columns:
    nan = np.full(cells.respondents, np.nan)
    csat_spec, csat = _first_column(questions, cells, lambda q: q.kind == "csat" and not q.rate)
    _, nps = _first_column(questions, cells, lambda q: q.kind == "nps")
    ces_spec, ces = _first_column(questions, cells, lambda q: q.kind == "ces")
    matter_spec, matter = _first_column(questions, cells, lambda q: q.rate == "matter")
    person_spec, person = _first_column(questions, cells, lambda q: q.rate == "person")
    return _Columns(
        csat=_success(csat, csat_spec) if csat_spec else nan,
        nps=_nps_codes(nps),
        ces=_on_scale(ces, ces_spec.scale) if ces_spec else nan,
        matter=_success(matter, matter_spec) if matter_spec else nan,
        person=_success(person, person_spec) if person_spec else nan,
        achieved=servqual.achieved if servqual else nan,
        servqual=servqual.unweighted if servqual else nan,
    )


def _headline(columns: _Columns, estimator: _Estimator, rows: np.ndarray | None = None) -> Headline:
    def pick(column: np.ndarray) -> np.ndarray:
        return column if rows is None else column[rows]

    return Headline(
        csat=estimator.share(pick(columns.csat)),
        nps=estimator.nps(pick(columns.nps)),
        ces=estimator.mean(pick(columns.ces)),
        matter=estimator.share(pick(columns.matter)),
        person=estimator.share(pick(columns.person)),
        achievement=estimator.share(pick(columns.achieved)),
        servqual=estimator.mean(pick(columns.servqual)),
    )


# --------------------------------------------------------------------------- tables


def _question_results(
    questions: Sequence[QuestionSpec], cells: _Cells, estimator: _Estimator
) -> tuple[QuestionResult, ...]:
    wanted = [
        i for i, q in enumerate(questions) if q.kind in ("csat", "nps", "ces", "rating") or q.rate
    ]
    matrix = cells.matrix(PART_WHOLE, wanted)
    results = []
    for column, index in enumerate(wanted):
        spec = questions[index]
        raw = matrix[:, column]
        if spec.rate or spec.kind == "csat":
            measure = estimator.share(_success(raw, spec))
        elif spec.kind == "nps":
            measure = estimator.nps(_nps_codes(raw))
        else:
            measure = estimator.mean(_on_scale(raw, spec.scale))
        present = raw[~np.isnan(raw)]
        values, counts = np.unique(present, return_counts=True)
        results.append(
            QuestionResult(
                spec.code,
                spec.kind,
                spec.label or spec.code,
                measure,
                tuple((float(v), int(c)) for v, c in zip(values, counts, strict=True)),
                int(present.size),
            )
        )
    return tuple(results)


def _servqual_table(
    questions: Sequence[QuestionSpec], data: _Servqual, estimator: _Estimator
) -> ServqualTable:
    """Item and dimension rows as :func:`yuqi.domain.servqual.analyse` defines them."""
    items = []
    for column, index in enumerate(data.items):
        spec = questions[index]
        mask = ~np.isnan(data.expectation[:, column])
        if not mask.any():
            continue
        gap = data.perception[:, column] - data.expectation[:, column]
        columns = (data.expectation[:, column], data.perception[:, column], gap)
        items.append(
            _gap_row(spec.code, spec.label or spec.code, spec.dimension, columns, mask, estimator)
        )
    dimensions = []
    for column, dimension in enumerate(data.dimensions):
        mask = ~np.isnan(data.dim_expectation[:, column])
        if not mask.any():
            continue
        gap = data.dim_perception[:, column] - data.dim_expectation[:, column]
        columns = (data.dim_expectation[:, column], data.dim_perception[:, column], gap)
        row = _gap_row(dimension, dimension, dimension, columns, mask, estimator)
        allocated = data.shares[~np.isnan(data.shares).any(axis=1)]
        importance = (
            float(allocated[:, DIMENSIONS.index(dimension)].mean()) if allocated.size else None
        )
        dimensions.append(_with_importance(row, importance))
    return ServqualTable(
        items=tuple(items),
        dimensions=tuple(dimensions),
        unweighted=estimator.mean(data.unweighted),
        weighted=estimator.mean(data.weighted),
        achievement=estimator.share(data.achieved),
        respondents=int(np.count_nonzero(~np.isnan(data.achieved))),
        invalid_allocations=data.invalid_allocations,
    )


def _gap_row(
    key: str,
    label: str,
    dimension: str,
    columns: tuple[np.ndarray, np.ndarray, np.ndarray],
    mask: np.ndarray,
    estimator: _Estimator,
) -> GapRow:
    """Mean E, mean P and the paired gap P − E with its interval (t, or stratified)."""
    expectation, perception, gap = columns
    measure = estimator.mean(np.where(mask, gap, np.nan))
    assert measure is not None
    return GapRow(
        key,
        label,
        dimension,
        estimator.point(expectation, mask),
        estimator.point(perception, mask),
        measure,
        measure.n,
    )


def _with_importance(row: GapRow, importance: float | None) -> GapRow:
    return dataclasses.replace(row, importance=importance)


_KANO_LOOKUP = np.array(
    [[kano.CATEGORIES.index(kano.classify(f, d)) for d in range(1, 6)] for f in range(1, 6)],
    dtype=np.intp,
)
"""The evaluation table as category positions, [functional − 1, dysfunctional − 1]."""


def _kano_rows(questions: Sequence[QuestionSpec], cells: _Cells) -> tuple[KanoRow, ...]:
    """Kano pairs classified in bulk through the evaluation table (Berger et al. 1993);
    pairs of questions sharing a ``feature`` are pooled."""
    pairs = _indices(questions, "kano_pair")
    if not pairs:
        return ()
    functional = cells.matrix(PART_FUNCTIONAL, pairs)
    dysfunctional = cells.matrix(PART_DYSFUNCTIONAL, pairs)
    features: dict[str, np.ndarray] = {}
    labels: dict[str, str] = {}
    for column, index in enumerate(pairs):
        spec = questions[index]
        f = _on_scale(functional[:, column], (1, 5))
        d = _on_scale(dysfunctional[:, column], (1, 5))
        ok = ~(np.isnan(f) | np.isnan(d))
        category = _KANO_LOOKUP[f[ok].astype(np.intp) - 1, d[ok].astype(np.intp) - 1]
        counts = np.bincount(category, minlength=len(kano.CATEGORIES))
        key = spec.feature or spec.code
        features[key] = features.get(key, 0) + counts
        labels.setdefault(key, spec.label or key)
    rows = []
    for key, counts in features.items():
        named = {c: int(n) for c, n in zip(kano.CATEGORIES, counts, strict=True)}
        rows.append(KanoRow(key, labels[key], kano.summary_from_counts(named)))
    return tuple(rows)


# --------------------------------------------------------------------------- entry points


def analyse_survey(
    questions: Sequence[QuestionSpec],
    answers: AnswerArrays,
    *,
    respondents: int,
    design: Design | None = None,
    confidence: float = 0.95,
) -> SurveyAnalysis:
    """The whole analysis of one survey or campaign (see the module docstring)."""
    _check_positions(questions, answers, respondents)
    strata = None
    notes: dict[str, object] = {}
    if design is not None:
        if design.stratum.shape != (respondents,):
            raise ValueError("the design needs one stratum code per respondent")
        strata = _Strata(
            np.asarray(design.stratum, dtype=np.intp), np.asarray(design.population, float)
        )
        notes = _design_notes(design)
    simple = _Estimator(None, confidence)
    estimator = _Estimator(strata, confidence) if strata is not None else simple
    cells = _Cells(answers, len(questions), respondents)
    servqual = _servqual(questions, cells)
    columns = _columns(questions, cells, servqual)
    unweighted = _headline(columns, simple)
    return SurveyAnalysis(
        respondents=respondents,
        weighted=strata is not None,
        headline=_headline(columns, estimator) if strata is not None else unweighted,
        unweighted=unweighted,
        questions=_question_results(questions, cells, estimator),
        servqual=_servqual_table(questions, servqual, estimator) if servqual else None,
        kano=_kano_rows(questions, cells),
        **notes,  # type: ignore[arg-type]
    )


def survey_headline(
    questions: Sequence[QuestionSpec],
    answers: AnswerArrays,
    *,
    respondents: int,
    confidence: float = 0.95,
) -> Headline:
    """The headline of :func:`analyse_survey` without a design (a simple sample), alone:
    what a reader of CSAT, NPS, CES and the expectation achievement rate needs, without the
    per-question, SERVQUAL and Kano tables."""
    _check_positions(questions, answers, respondents)
    cells = _Cells(answers, len(questions), respondents)
    columns = _columns(questions, cells, _servqual(questions, cells))
    return _headline(columns, _Estimator(None, confidence))


def breakdown(
    questions: Sequence[QuestionSpec],
    answers: AnswerArrays,
    *,
    respondents: int,
    groups: np.ndarray,
    labels: Sequence[str],
    confidence: float = 0.95,
) -> tuple[GroupRow, ...]:
    """Unweighted headline figures per group: ``groups[r]`` is respondent r's position in
    ``labels`` (−1: in no group). Groups without respondents are left out."""
    _check_positions(questions, answers, respondents)
    groups = np.asarray(groups, dtype=np.intp)
    if groups.shape != (respondents,):
        raise ValueError("breakdown needs one group code per respondent")
    if groups.size and int(groups.max()) >= len(labels):
        raise ValueError("a group code is not among the labels")
    cells = _Cells(answers, len(questions), respondents)
    servqual = _servqual(questions, cells)
    columns = _columns(questions, cells, servqual)
    simple = _Estimator(None, confidence)
    sizes = np.bincount(groups[groups >= 0], minlength=len(labels))
    return tuple(
        GroupRow(label, int(sizes[g]), _headline(columns, simple, groups == g))
        for g, label in enumerate(labels)
        if sizes[g]
    )


def representativeness(population: Sequence[int], responders: Sequence[int]) -> ChiSquare | None:
    """Do responders spread over strata like the population? Pearson's goodness of fit.

    ``E_h = n · N_h / N`` with ``n`` the responders; ``X² = Σ (O_h − E_h)²/E_h`` on ``H − 1``
    degrees of freedom over the strata with ``N_h > 0`` (Agresti 2013, §1.5). A small
    p-value says the responders are not a miniature of the population — expected under a
    disproportionate (Neyman, equal) allocation, which is why the analysis weights by
    stratum. None with fewer than two strata or no responders. The test needs expected
    counts of about 5 or more per stratum to be trusted.
    """
    if len(population) != len(responders):
        raise ValueError("one responder count per population stratum is needed")
    sizes = np.asarray(population, dtype=float)
    observed = np.asarray(responders, dtype=float)
    keep = sizes > 0
    if keep.sum() < 2 or observed[keep].sum() == 0:
        return None
    expected = observed[keep].sum() * sizes[keep] / sizes[keep].sum()
    statistic = float(np.sum((observed[keep] - expected) ** 2 / expected))
    df = int(keep.sum()) - 1
    from scipy import stats  # imported when first needed: see yuqi.domain.quantiles

    return ChiSquare(
        statistic,
        df,
        float(stats.chi2.sf(statistic, df)),
        tuple(float(e) for e in expected),
        tuple(int(o) for o in observed[keep]),
    )


def _check_positions(
    questions: Sequence[QuestionSpec], answers: AnswerArrays, respondents: int
) -> None:
    if respondents < 0:
        raise ValueError("respondents must be ≥ 0")
    if len(answers) == 0:
        return
    if int(answers.respondent.min()) < 0 or int(answers.respondent.max()) >= respondents:
        raise ValueError("an answer's respondent position is out of range")
    if int(answers.question.min()) < 0 or int(answers.question.max()) >= len(questions):
        raise ValueError("an answer's question position is out of range")


def _design_notes(design: Design) -> dict[str, object]:
    counts = np.bincount(
        design.stratum[design.stratum >= 0].astype(np.intp), minlength=len(design.labels)
    )
    rows = list(zip(design.labels, counts, design.population, strict=True))
    return {
        "empty_strata": tuple(label for label, n, size in rows if n == 0 and size > 0),
        "single_strata": tuple(label for label, n, size in rows if n == 1 and size > 1),
        "unplaced": int(np.count_nonzero(design.stratum < 0)),
    }


@dataclass(frozen=True, slots=True)
class RespondentValues:
    """Per-respondent values behind the headline, answered ones only (for comparing waves):
    CSAT as 1/0 (top-2-box), NPS as +100/0/−100, CES, the overall SERVQUAL gap P − E and each
    asked dimension's gap."""

    csat: tuple[float, ...]
    nps: tuple[float, ...]
    ces: tuple[float, ...]
    servqual: tuple[float, ...]
    dimensions: dict[str, tuple[float, ...]]


def respondent_values(
    questions: Sequence[QuestionSpec], answers: AnswerArrays, *, respondents: int
) -> RespondentValues:
    """The same per-respondent columns :func:`analyse_survey` estimates from, without NaNs."""
    _check_positions(questions, answers, respondents)
    cells = _Cells(answers, len(questions), respondents)
    servqual = _servqual(questions, cells)
    columns = _columns(questions, cells, servqual)

    def kept(column: np.ndarray) -> tuple[float, ...]:
        return tuple(float(v) for v in column[~np.isnan(column)])

    dimensions: dict[str, tuple[float, ...]] = {}
    if servqual is not None:
        for position, dimension in enumerate(servqual.dimensions):
            gap = servqual.dim_perception[:, position] - servqual.dim_expectation[:, position]
            dimensions[dimension] = kept(gap)
    return RespondentValues(
        csat=kept(columns.csat),
        nps=kept(columns.nps),
        ces=kept(columns.ces),
        servqual=kept(columns.servqual),
        dimensions=dimensions,
    )
