"""Kano model: classify service features from functional/dysfunctional answer pairs.

Each respondent answers two questions about a feature — "how do you feel if the centre
offers it?" (functional) and "...if it does not?" (dysfunctional) — choosing one of five
answers: like, must-be, neutral, live-with, dislike (or 1–5 in that order). The pair maps
through the standard evaluation table (Berger et al. 1993; Matzler & Hinterhuber 1998):

    functional \\ dysfunctional   like  must-be  neutral  live-with  dislike
    like                          Q     A        A        A          O
    must-be                       R     I        I        I          M
    neutral                       R     I        I        I          M
    live-with                     R     I        I        I          M
    dislike                       R     R        R        R          Q

A attractive (delighter), O one-dimensional (performance), M must-be (basic),
I indifferent, R reverse, Q questionable (contradictory answers).

Better/Worse coefficients (customer satisfaction coefficients; Berger et al. 1993)::

    better =   (A + O) / (A + O + M + I)      how much offering the feature lifts satisfaction
    worse  = − (O + M) / (A + O + M + I)      how much lacking it lowers satisfaction

Strength and significance ("Kano by the book")
----------------------------------------------
With ``n`` all answers (R and Q included) and category shares ``count / n``:

* total strength = (A + O + M) / n, the share of respondents for whom the feature matters
  at all (Lee & Newcomb 1997);
* category strength = share of the most frequent category − share of the second (Lee &
  Newcomb 1997);
* Fong's test (Fong 1996): with ``a`` and ``b`` the counts of the two most frequent
  categories, the lead is **not** significant when
  ``|a − b| < 1.65 · sqrt((a + b)(2n − a − b) / (2n))`` (1.65 ≈ the two-sided 10 % normal
  quantile). The same test decides which categories are "close": every category chosen at
  least once whose gap to the top one is not significant by it is a *candidate*.
* When the lead is not significant the feature is reported as **mixed** with its
  candidates, and Berger et al.'s rule "if in doubt, M > O > A > I" (1993; the category with
  the larger effect on satisfaction and dissatisfaction first, R and Q last) names the
  category to plan with: ``decision``. When it is significant, ``decision`` is the top
  category. ``category`` keeps its older meaning (the most frequent, ties by that rule).

Sources
-------
* Kano, N., Seraku, N., Takahashi, F. & Tsuji, S. (1984). Attractive quality and must-be
  quality. Journal of the Japanese Society for Quality Control 14(2), 39–48.
* Berger, C. et al. (1993). Kano's methods for understanding customer-defined quality.
  Center for Quality Management Journal 2(4), 3–36.
* Matzler, K. & Hinterhuber, H. H. (1998). How to make product development projects more
  successful by integrating Kano's model of customer satisfaction into quality function
  deployment. Technovation 18(1), 25–38.
* Fong, D. (1996). Using the self-stated importance questionnaire to interpret Kano
  questionnaire results. Center for Quality Management Journal 5(3), 21–24.
* Lee, M. C. & Newcomb, J. F. (1997). Applying the Kano methodology to meet customer
  requirements: NASA's microgravity science program. Quality Management Journal 4(3),
  95–106.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from numbers import Integral

ANSWERS: tuple[str, ...] = ("like", "must-be", "neutral", "live-with", "dislike")
"""The five standard answers, in questionnaire order (also accepted as 1–5)."""

CATEGORIES: tuple[str, ...] = ("A", "O", "M", "I", "R", "Q")

CATEGORY_NAMES: dict[str, str] = {
    "A": "attractive",
    "O": "one-dimensional",
    "M": "must-be",
    "I": "indifferent",
    "R": "reverse",
    "Q": "questionable",
}

FONG_Z = 1.65
"""Fong's (1996) critical value for the difference between the two most frequent categories."""

TIE_PRIORITY: tuple[str, ...] = ("M", "O", "A", "I", "R", "Q")
"""Order used to pick ``category`` among tied categories: the "M > O > A > I" rule
(Berger et al. 1993), extended with R and Q last."""

# Rows: functional answer; columns: dysfunctional answer; both in ANSWERS order.
_TABLE: tuple[str, ...] = (
    "QAAAO",
    "RIIIM",
    "RIIIM",
    "RIIIM",
    "RRRRQ",
)

type Answer = str | int


@dataclass(frozen=True, slots=True)
class KanoCoefficients:
    """Better and Worse coefficients over ``n = A + O + M + I`` answers.

    Both are None when ``n`` is zero (no answer fell in A, O, M or I — only reverse or
    questionable answers, or none): the ratios are undefined and we do not invent a value.
    ``worse`` is never ``-0.0``.
    """

    better: float | None
    worse: float | None
    n: int


@dataclass(frozen=True, slots=True)
class KanoSummary:
    """A feature's classification.

    ``category`` is the most frequent category (None when there are no answers). When
    several categories share the top count, they are all listed in ``ties`` (in
    :data:`TIE_PRIORITY` order) and ``category`` is the first of them by that priority;
    ``ties`` is empty when the top category is unique. ``counts`` has all six categories.

    Strength and significance (module docstring; all None / empty / False with no answers):
    ``total_strength`` (A+O+M share), ``category_strength`` (top share − second share),
    ``significant`` (Fong's test of the top two), ``fong_margin`` (the test's threshold in
    answers), ``candidates`` (categories whose gap to the top one is not significant by
    Fong's test, in M>O>A>I>R>Q order;
    just the top one when significant), ``mixed`` (not significant) and ``decision`` (the
    top category when significant, else the first candidate by Berger's M > O > A > I).
    """

    category: str | None
    ties: tuple[str, ...]
    counts: dict[str, int]
    n: int
    coefficients: KanoCoefficients
    total_strength: float | None = None
    category_strength: float | None = None
    significant: bool | None = None
    fong_margin: float | None = None
    candidates: tuple[str, ...] = ()
    mixed: bool = False
    decision: str | None = None


def answer_index(answer: Answer) -> int:
    """Position 0–4 of an answer given as text (case and ``_``/space insensitive) or 1–5."""
    if isinstance(answer, bool):
        raise ValueError(f"unknown Kano answer {answer!r}; use {ANSWERS} or 1–5")
    if isinstance(answer, Integral):
        if 1 <= answer <= len(ANSWERS):
            return int(answer) - 1
        raise ValueError(f"Kano answer number must be 1–5, got {answer!r}")
    if isinstance(answer, str):
        key = answer.strip().lower().replace("_", "-").replace(" ", "-")
        if key in ANSWERS:
            return ANSWERS.index(key)
    raise ValueError(f"unknown Kano answer {answer!r}; use one of {ANSWERS} or 1–5")


def classify(functional: Answer, dysfunctional: Answer) -> str:
    """Category ("A", "O", "M", "I", "R" or "Q") of one functional/dysfunctional answer pair."""
    return _TABLE[answer_index(functional)][answer_index(dysfunctional)]


def coefficients(counts: Mapping[str, int]) -> KanoCoefficients:
    """Better/Worse coefficients from category counts (missing categories count 0).

    R and Q answers are ignored, as in Berger et al. (1993). See :class:`KanoCoefficients`
    for the zero-denominator case.
    """
    checked = _checked_counts(counts)
    a, o, m, i = (checked[c] for c in ("A", "O", "M", "I"))
    n = a + o + m + i
    if n == 0:
        return KanoCoefficients(better=None, worse=None, n=0)
    worse = -(o + m) / n
    return KanoCoefficients(better=(a + o) / n, worse=worse if worse else 0.0, n=n)


def summarize(pairs: Iterable[tuple[Answer, Answer]]) -> KanoSummary:
    """Classify every (functional, dysfunctional) pair of a feature and summarise."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for index, pair in enumerate(pairs):
        try:
            functional, dysfunctional = pair
            counts[classify(functional, dysfunctional)] += 1
        except (TypeError, ValueError) as error:
            raise ValueError(f"pair {index}: {error}") from error
    return summary_from_counts(counts)


def summary_from_counts(counts: Mapping[str, int]) -> KanoSummary:
    """A feature's summary from its category counts (missing categories count 0).

    Same rules as :func:`summarize`, for callers that classified answers in bulk (e.g. a
    vectorised lookup of the evaluation table over many respondents).
    """
    checked = _checked_counts(counts)
    n = sum(checked.values())
    top = max(checked.values())
    leaders = tuple(c for c in TIE_PRIORITY if checked[c] == top) if n else ()
    summary = KanoSummary(
        category=leaders[0] if leaders else None,
        ties=leaders if len(leaders) > 1 else (),
        counts=checked,
        n=n,
        coefficients=coefficients(checked),
    )
    if n == 0:
        return summary
    first, second = sorted(checked.values(), reverse=True)[:2]
    margin = fong_margin(first, second, n)
    significant = first - second >= margin
    candidates = (
        (leaders[0],)
        if significant
        else tuple(c for c in TIE_PRIORITY if _close(first, checked[c], n))
    )
    return replace(
        summary,
        total_strength=(checked["A"] + checked["O"] + checked["M"]) / n,
        category_strength=(first - second) / n,
        significant=significant,
        fong_margin=margin,
        candidates=candidates,
        mixed=not significant,
        decision=candidates[0],
    )


def _close(top: int, count: int, n: int) -> bool:
    """A category is a candidate when someone chose it and its gap to the top count is not
    significant by Fong's test (the top categories themselves always are)."""
    return count == top or (count > 0 and top - count < fong_margin(top, count, n))


def fong_margin(a: int, b: int, n: int) -> float:
    """Fong's (1996) threshold ``1.65 · sqrt((a + b)(2n − a − b) / (2n))`` for the counts
    ``a`` and ``b`` of the two most frequent categories among ``n`` answers: the lead
    ``|a − b|`` is significant when it reaches the threshold."""
    if n <= 0:
        raise ValueError(f"Fong's test needs answers, got n = {n}")
    return FONG_Z * math.sqrt((a + b) * (2 * n - a - b) / (2 * n))


def _checked_counts(counts: Mapping[str, int]) -> dict[str, int]:
    unknown = sorted(str(key) for key in counts if key not in CATEGORIES)
    if unknown:
        raise ValueError(f"unknown Kano categories {unknown}; use {CATEGORIES}")
    checked = dict.fromkeys(CATEGORIES, 0)
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise ValueError(f"count of {key!r} must be a non-negative whole number, got {value!r}")
        checked[key] = int(value)
    return checked
