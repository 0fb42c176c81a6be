"""``GET /api/v1/surveys/{code}/analysis`` and ``GET /api/v1/campaigns/{id}/analysis``.

The same report as the analysis pages (:mod:`yuqi.surveys.analysis`), as JSON. Shares are
on 0–1, NPS in points (−100…100), means on the question's scale; ``ci_low``/``ci_high``
are null when an interval cannot be estimated (a single answer).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from yuqi.core.api_access import api_requires
from yuqi.core.api_types import Id, IsoDate
from yuqi.surveys.analysis import campaign_report, report_as_dict, survey_report
from yuqi.surveys.models import Campaign, Survey

router = Router(tags=["surveys"])


class SurveyMeasureOut(Schema):
    value: float
    ci_low: float | None
    ci_high: float | None
    n: int
    se: float | None
    method: str


class HeadlineOut(Schema):
    csat: SurveyMeasureOut | None
    nps: SurveyMeasureOut | None
    ces: SurveyMeasureOut | None
    matter: SurveyMeasureOut | None  # 对事: share who said the issue was resolved
    person: SurveyMeasureOut | None  # 对人: share pleased with the agent
    achievement: SurveyMeasureOut | None  # expectation achievement rate
    servqual: SurveyMeasureOut | None  # unweighted overall SERVQUAL gap


class QuestionAnalysisOut(Schema):
    code: str
    kind: str
    label: str
    measure: SurveyMeasureOut | None
    counts: list[tuple[float, int]]
    respondents: int


class GapRowOut(Schema):
    key: str
    label: str
    dimension: str
    expectation: float
    perception: float
    gap: SurveyMeasureOut
    n: int
    importance: float | None


class ServqualOut(Schema):
    items: list[GapRowOut]
    dimensions: list[GapRowOut]
    unweighted: SurveyMeasureOut | None
    weighted: SurveyMeasureOut | None
    achievement: SurveyMeasureOut | None
    respondents: int
    invalid_allocations: int


class KanoOut(Schema):
    feature: str
    label: str
    category: str | None
    ties: list[str]
    counts: dict[str, int]
    n: int
    better: float | None
    worse: float | None
    total_strength: float | None
    category_strength: float | None
    significant: bool | None
    fong_margin: float | None
    mixed: bool
    candidates: list[str]
    decision: str | None


class GroupOut(Schema):
    label: str
    respondents: int
    headline: HeadlineOut


class BreakdownOut(Schema):
    by: str
    rows: list[GroupOut]


class StratumAnalysisOut(Schema):
    key: str
    population: int
    sample: int
    sent: int
    responded: int
    rate: SurveyMeasureOut | None
    share: float
    responder_share: float


class ChiSquareOut(Schema):
    statistic: float
    df: int
    p_value: float
    expected: list[float]
    observed: list[int]


class SurveyAnalysisOut(Schema):
    survey: str
    campaign: int | None
    responses: int
    weighted: bool
    headline: HeadlineOut
    unweighted: HeadlineOut
    questions: list[QuestionAnalysisOut]
    servqual: ServqualOut | None
    kano: list[KanoOut]
    breakdowns: list[BreakdownOut]
    strata: list[StratumAnalysisOut]
    representativeness: ChiSquareOut | None
    empty_strata: list[str]
    single_strata: list[str]
    unplaced: int


@router.get("/surveys/{code}/analysis", response=SurveyAnalysisOut)
@api_requires("surveys.view_results")
def survey_analysis(
    request: HttpRequest,
    code: str,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
) -> dict:
    """CSAT, NPS, CES, 对事/对人, SERVQUAL gaps, expectation achievement rate, Kano and
    breakdowns over every response to the survey (all versions), unweighted; with
    ``date_from``/``date_to`` (local days, both included) only the responses submitted then
    (the balanced scorecard's figures for that period)."""
    survey = get_object_or_404(Survey, code=code)
    return report_as_dict(survey_report(survey, date_from=date_from, date_to=date_to))


@router.get("/campaigns/{campaign_id}/analysis", response=SurveyAnalysisOut)
@api_requires("surveys.view_results")
def campaign_analysis(request: HttpRequest, campaign_id: Id) -> dict:
    """The campaign's figures, weighted by stratum (stratified estimator with population
    stratum sizes) when it has two or more strata; response rates per stratum and the
    chi-square representativeness test."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("survey_version__survey"), pk=campaign_id
    )
    return report_as_dict(campaign_report(campaign))
