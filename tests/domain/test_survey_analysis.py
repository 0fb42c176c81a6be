"""The vectorised survey analysis agrees with the one-at-a-time reference functions.

Reference values come from :mod:`yuqi.domain.servqual` (itself checked against the worked
case of Zeithaml, Parasuraman & Berry 1990), :mod:`yuqi.domain.estimates` (Wilson against
Newcombe 1998, stratified estimators by enumeration) and :mod:`yuqi.domain.kano` (the
evaluation table cell by cell); the chi-square against ``scipy.stats.chisquare``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from yuqi.domain import estimates, kano, servqual
from yuqi.domain import survey_analysis as sa

ITEMS = {
    "t1": "tangibles",
    "r1": "reliability",
    "r2": "reliability",
    "s1": "responsiveness",
    "a1": "assurance",
    "e1": "empathy",
}
SPECS = [sa.QuestionSpec(code, "servqual_item", (1, 7), dimension=d) for code, d in ITEMS.items()]
SPECS += [
    sa.QuestionSpec("imp", "importance_allocation", (0, 100)),
    sa.QuestionSpec("nps", "nps", (0, 10)),
    sa.QuestionSpec("csat", "csat", (1, 5)),
    sa.QuestionSpec("ces", "ces", (1, 7)),
]
IMP, NPS, CSAT, CES = 6, 7, 8, 9


def _arrays(rows: list[tuple[int, int, int, float]]) -> sa.AnswerArrays:
    if not rows:
        return sa.AnswerArrays.empty()
    a = np.asarray(rows, dtype=float)
    return sa.AnswerArrays(
        a[:, 0].astype(np.intp), a[:, 1].astype(np.intp), a[:, 2].astype(np.intp), a[:, 3]
    )


def _servqual_rows(respondent: int, answers: dict, points: dict | None) -> list[tuple]:
    rows = []
    codes = list(ITEMS)
    for code, (e, p) in answers.items():
        rows.append((respondent, codes.index(code), sa.PART_EXPECTATION, e))
        rows.append((respondent, codes.index(code), sa.PART_PERCEPTION, p))
    for position, dimension in enumerate(servqual.DIMENSIONS):
        if points is not None and dimension in points:
            rows.append((respondent, IMP, sa.PART_IMPORTANCE + position, points[dimension]))
    return rows


# --------------------------------------------------------------------------- SERVQUAL

pair = st.tuples(st.integers(1, 7), st.integers(1, 7))
respondent = st.tuples(
    st.dictionaries(st.sampled_from(list(ITEMS)), pair, min_size=1),
    st.one_of(
        st.none(),
        st.lists(st.integers(0, 100), min_size=4, max_size=4).filter(lambda c: sum(c) <= 100),
    ),
)


def _allocation(cuts: list[int] | None) -> dict[str, int] | None:
    if cuts is None:
        return None
    points = [*cuts, 100 - sum(cuts)]
    return dict(zip(servqual.DIMENSIONS, points, strict=True))


@settings(max_examples=80, deadline=None)
@given(st.lists(respondent, min_size=1, max_size=25))
def test_servqual_table_matches_the_reference_analysis(people: list) -> None:
    rows, reference = [], []
    for r, (answers, cuts) in enumerate(people):
        points = _allocation(cuts)
        rows += _servqual_rows(r, answers, points)
        reference.append(servqual.ServqualResponse(answers, points))
    table = sa.analyse_survey(SPECS, _arrays(rows), respondents=len(people)).servqual
    expected = servqual.analyse(reference, ITEMS)
    assert [row.key for row in table.items] == [i.item for i in expected.items]
    for got, want in zip(table.items, expected.items, strict=True):
        assert got.expectation == pytest.approx(want.expectation)
        assert got.perception == pytest.approx(want.perception)
        assert got.gap.value == pytest.approx(want.gap.value)
        assert got.gap.ci_low == pytest.approx(want.gap.ci_low)
        assert got.n == want.gap.n
    for got, want in zip(table.dimensions, expected.dimensions, strict=True):
        assert got.key == want.dimension
        assert got.gap.value == pytest.approx(want.gap.value)
        assert got.importance == pytest.approx(want.importance)
    for got, want in ((table.unweighted, expected.unweighted), (table.weighted, expected.weighted)):
        assert (got is None) == (want is None)
        if got is not None:
            assert got.value == pytest.approx(want.value)
            assert got.n == want.n


def test_expectation_achievement_rate_by_hand() -> None:
    # Σ P ≥ Σ E for respondents 0 (10 ≥ 10) and 2 (9 ≥ 6), not 1 (5 < 12): 2 of 3.
    rows = (
        _servqual_rows(0, {"t1": (5, 6), "r1": (5, 4)}, None)
        + _servqual_rows(1, {"t1": (6, 3), "s1": (6, 2)}, None)
        + _servqual_rows(2, {"e1": (6, 9 - 2)}, None)
    )
    result = sa.analyse_survey(SPECS, _arrays(rows), respondents=3)
    achievement = result.servqual.achievement
    assert achievement.value == pytest.approx(2 / 3)
    expected = estimates.proportion(2, 3)
    assert (achievement.ci_low, achievement.ci_high) == pytest.approx(
        (expected.ci_low, expected.ci_high)
    )
    assert result.headline.achievement == achievement


def test_allocation_not_adding_up_to_100_is_left_out_and_counted() -> None:
    rows = _servqual_rows(0, dict.fromkeys(ITEMS, (6, 5)), {"tangibles": 50, "empathy": 40})
    rows += _servqual_rows(1, dict.fromkeys(ITEMS, (6, 4)), {"reliability": 100})
    table = sa.analyse_survey(SPECS, _arrays(rows), respondents=2).servqual
    assert table.invalid_allocations == 1
    assert table.weighted.n == 1
    assert table.weighted.value == pytest.approx(-2.0)


# --------------------------------------------------------------------------- headline


def _headline_rows(scores: list[tuple[int, int, int]]) -> list[tuple]:
    rows = []
    for r, (nps, csat, ces) in enumerate(scores):
        rows += [(r, NPS, 0, nps), (r, CSAT, 0, csat), (r, CES, 0, ces)]
    return rows


@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.integers(1, 5), st.integers(1, 7)), min_size=2, max_size=60
    )
)
def test_simple_headline_matches_the_estimates_module(scores: list) -> None:
    result = sa.analyse_survey(SPECS, _arrays(_headline_rows(scores)), respondents=len(scores))
    nps = estimates.nps([s[0] for s in scores])
    csat = estimates.csat_top2([s[1] for s in scores])
    assert result.headline.nps.value == pytest.approx(nps.value)
    assert result.headline.nps.ci_low == pytest.approx(nps.ci_low)
    assert result.headline.nps.se == pytest.approx(nps.se)
    assert result.headline.csat.value == pytest.approx(csat.value)
    assert result.headline.csat.ci_high == pytest.approx(csat.ci_high)
    if len({s[2] for s in scores}) > 1:
        ces = estimates.ces_mean([s[2] for s in scores])
        assert result.headline.ces.ci_low == pytest.approx(ces.ci_low)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.integers(1, 5), st.integers(1, 7), st.integers(0, 2)),
        min_size=6,
        max_size=60,
    )
)
def test_stratified_headline_matches_the_estimates_module(scores: list) -> None:
    strata = np.asarray([s[3] for s in scores])
    if np.bincount(strata, minlength=3).min() < 2:
        return  # the reference refuses strata with fewer than 2 answers
    population = (400, 250, 1000)
    design = sa.Design(strata, ("a", "b", "c"), population)
    answers = _arrays(_headline_rows([s[:3] for s in scores]))
    result = sa.analyse_survey(SPECS, answers, respondents=len(scores), design=design)
    sizes = dict(enumerate(population))
    by_stratum = {h: [s for s in scores if s[3] == h] for h in range(3)}
    nps = estimates.weighted_nps({h: [s[0] for s in v] for h, v in by_stratum.items()}, sizes)
    csat = estimates.stratified_proportion(
        {h: sum(s[1] >= 4 for s in v) for h, v in by_stratum.items()},
        {h: len(v) for h, v in by_stratum.items()},
        sizes,
    )
    ces = estimates.stratified_mean({h: [s[2] for s in v] for h, v in by_stratum.items()}, sizes)
    assert result.weighted
    assert result.headline.nps.value == pytest.approx(nps.value)
    assert result.headline.nps.se == pytest.approx(nps.se)
    assert result.headline.csat.value == pytest.approx(csat.value)
    assert result.headline.csat.se == pytest.approx(csat.se)
    assert result.headline.ces.value == pytest.approx(ces.value)
    assert result.headline.ces.se == pytest.approx(ces.se)


def test_stratum_without_respondents_is_left_out_and_reported() -> None:
    scores = [(10, 5, 7), (9, 4, 6), (0, 1, 1), (3, 2, 2)]
    design = sa.Design(np.array([0, 0, 1, 1]), ("a", "b", "empty"), (100, 100, 800))
    result = sa.analyse_survey(SPECS, _arrays(_headline_rows(scores)), respondents=4, design=design)
    assert result.empty_strata == ("empty",)
    assert result.headline.nps.value == pytest.approx(0.5 * 100 + 0.5 * -100)


def test_single_respondent_stratum_borrows_the_pooled_variance() -> None:
    scores = [(10, 5, 7), (9, 4, 6), (0, 1, 1)]
    design = sa.Design(np.array([0, 0, 1]), ("a", "b"), (100, 100))
    result = sa.analyse_survey(SPECS, _arrays(_headline_rows(scores)), respondents=3, design=design)
    assert result.single_strata == ("b",)
    pooled = np.var([7.0, 6.0, 1.0], ddof=1)
    within_a = np.var([7.0, 6.0], ddof=1)
    variance = 0.25 * (1 - 2 / 100) * within_a / 2 + 0.25 * (1 - 1 / 100) * pooled / 1
    assert result.headline.ces.se == pytest.approx(np.sqrt(variance))


def test_respondents_without_stratum_are_left_out_of_weighted_figures() -> None:
    scores = [(10, 5, 7), (9, 4, 6), (0, 1, 1), (3, 2, 2)]
    design = sa.Design(np.array([0, 0, -1, -1]), ("a",), (100,))
    result = sa.analyse_survey(SPECS, _arrays(_headline_rows(scores)), respondents=4, design=design)
    assert result.unplaced == 2
    assert result.headline.nps.n == 2
    assert result.unweighted.nps.n == 4


def test_rates_of_matter_and_person() -> None:
    specs = [
        sa.QuestionSpec("resolved", "single_choice", (0, 1), rate="matter", success=(1.0,)),
        sa.QuestionSpec("attitude", "csat", (1, 5), rate="person"),
    ]
    rows = [
        (0, 0, 0, 1.0),
        (1, 0, 0, 0.0),
        (2, 0, 0, 1.0),
        (3, 0, 0, 1.0),
        (0, 1, 0, 5),
        (1, 1, 0, 2),
        (2, 1, 0, 4),
        (3, 1, 0, 3),
    ]
    headline = sa.analyse_survey(specs, _arrays(rows), respondents=4).headline
    assert headline.matter.value == pytest.approx(0.75)
    assert headline.person.value == pytest.approx(0.5)
    assert headline.matter.method == "Wilson score"


def test_answers_off_the_scale_are_ignored() -> None:
    rows = [(0, NPS, 0, 11.0), (1, NPS, 0, 10.0), (2, NPS, 0, 9.5), (3, NPS, 0, 0.0)]
    result = sa.analyse_survey(SPECS, _arrays(rows), respondents=4)
    assert result.headline.nps.n == 2
    assert result.headline.nps.value == pytest.approx(0.0)


# --------------------------------------------------------------------------- Kano


def test_kano_lookup_agrees_with_classify_in_every_cell() -> None:
    specs = [sa.QuestionSpec("k", "kano_pair", (1, 5), feature="callback")]
    cells = list(itertools.product(range(1, 6), range(1, 6)))
    rows = []
    for r, (f, d) in enumerate(cells):
        rows += [(r, 0, sa.PART_FUNCTIONAL, f), (r, 0, sa.PART_DYSFUNCTIONAL, d)]
    (row,) = sa.analyse_survey(specs, _arrays(rows), respondents=len(cells)).kano
    expected = kano.summarize(cells)
    assert row.summary == expected
    assert row.summary.counts == {"A": 3, "O": 1, "M": 3, "I": 9, "R": 7, "Q": 2}


def test_kano_pairs_of_one_feature_are_pooled_across_questions() -> None:
    specs = [
        sa.QuestionSpec("k1", "kano_pair", (1, 5), feature="callback", label="回拨"),
        sa.QuestionSpec("k2", "kano_pair", (1, 5), feature="callback"),
    ]
    rows = [(0, 0, 3, 1), (0, 0, 4, 5), (1, 1, 3, 1), (1, 1, 4, 5), (2, 1, 3, 1), (2, 1, 4, 3)]
    (row,) = sa.analyse_survey(specs, _arrays(rows), respondents=3).kano
    assert row.label == "回拨"
    assert row.summary.counts["O"] == 2
    assert row.summary.counts["A"] == 1


def test_summary_from_counts_reports_ties() -> None:
    summary = kano.summary_from_counts({"A": 4, "O": 4, "I": 1})
    assert summary.category == "O"
    assert summary.ties == ("O", "A")
    assert summary.coefficients.better == pytest.approx(8 / 9)


# --------------------------------------------------------------------------- breakdown


def test_breakdown_gives_unweighted_figures_per_group() -> None:
    scores = [(10, 5, 7), (9, 4, 6), (0, 1, 1), (3, 2, 2), (8, 3, 4)]
    groups = np.array([0, 0, 1, 1, -1])
    rows = sa.breakdown(
        SPECS,
        _arrays(_headline_rows(scores)),
        respondents=5,
        groups=groups,
        labels=["phone", "app", "never"],
    )
    assert [(r.label, r.respondents) for r in rows] == [("phone", 2), ("app", 2)]
    assert rows[0].headline.nps.value == pytest.approx(100.0)
    assert rows[1].headline.csat.value == pytest.approx(0.0)


# --------------------------------------------------------------------------- chi-square


def test_representativeness_matches_scipy() -> None:
    population, responders = [200, 300, 500], [30, 20, 50]
    result = sa.representativeness(population, responders)
    expected = stats.chisquare(responders, [100 * n / 1000 for n in population])
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.df == 2


def test_representativeness_needs_two_strata_and_responders() -> None:
    assert sa.representativeness([100], [5]) is None
    assert sa.representativeness([100, 200], [0, 0]) is None


# --------------------------------------------------------------------------- input


def test_answer_positions_are_checked() -> None:
    with pytest.raises(ValueError, match="respondent position"):
        sa.analyse_survey(SPECS, _arrays([(3, NPS, 0, 5.0)]), respondents=2)
    with pytest.raises(ValueError, match="question position"):
        sa.analyse_survey(SPECS, _arrays([(0, 99, 0, 5.0)]), respondents=1)


def test_servqual_item_needs_a_dimension() -> None:
    with pytest.raises(ValueError, match="needs a dimension"):
        sa.QuestionSpec("x", "servqual_item")


def test_unknown_parts_are_ignored() -> None:
    assert sa.part_code("importance:speed") == sa.PART_UNKNOWN
    rows = [(0, NPS, sa.PART_UNKNOWN, 3.0), (0, NPS, 0, 10.0), (1, NPS, 0, 10.0)]
    result = sa.analyse_survey(SPECS, _arrays(rows), respondents=2)
    assert result.headline.nps.value == pytest.approx(100.0)


def test_no_answers_give_no_figures() -> None:
    result = sa.analyse_survey(SPECS, sa.AnswerArrays.empty(), respondents=0)
    assert result.headline == sa.Headline()
    assert result.servqual.items == ()
    assert result.kano == ()
