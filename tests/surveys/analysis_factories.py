"""Small hand-computed datasets for the analysis tests (see test_analysis_db.py).

``SMALL`` is the worked case: a survey with two SERVQUAL dimensions (tangibles: s1;
responsiveness: s2, s3), an importance allocation, NPS, CSAT and CES, answered by two gold
and three ordinary customers of a campaign stratified by tier with N = 100 and 900.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.customers.factories import CustomerFactory
from yuqi.surveys import services
from yuqi.surveys.choices import AnswerPart, InvitationChannel, QuestionType, SurveyKind
from yuqi.surveys.models import (
    Answer,
    Campaign,
    CampaignStratum,
    Invitation,
    Response,
    Survey,
)

SUBMITTED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

QUESTIONS: dict[str, dict[str, Any]] = {
    "s1": {"type": QuestionType.SERVQUAL_ITEM, "dimension": "tangibles", "text": "设施现代"},
    "s2": {"type": QuestionType.SERVQUAL_ITEM, "dimension": "responsiveness", "text": "接通快"},
    "s3": {"type": QuestionType.SERVQUAL_ITEM, "dimension": "responsiveness", "text": "乐意帮助"},
    "imp": {"type": QuestionType.IMPORTANCE_ALLOCATION, "text": "重要性", "required": False},
    "nps": {"type": QuestionType.NPS, "text": "推荐吗"},
    "csat": {"type": QuestionType.CSAT, "text": "满意吗"},
    "ces": {"type": QuestionType.CES, "text": "容易吗"},
    "say": {"type": QuestionType.TEXT, "text": "意见", "required": False},
}

# stratum, (E, P) for s1..s3, importance points or None, NPS, CSAT, CES, text
SMALL: list[tuple[str, list[tuple[int, int]], dict[str, int] | None, int, int, int, str]] = [
    (
        "tier=gold",
        [(7, 5), (7, 4), (6, 6)],
        {"tangibles": 40, "responsiveness": 60},
        10,
        5,
        7,
        "=SUM(A1)",
    ),
    ("tier=gold", [(6, 6), (7, 5), (7, 5)], {"tangibles": 50, "responsiveness": 50}, 9, 4, 6, ""),
    ("tier=ordinary", [(5, 5), (5, 3), (4, 4)], None, 0, 2, 2, "等太久了"),
    ("tier=ordinary", [(4, 5), (5, 5), (5, 6)], None, 8, 4, 5, ""),
    ("tier=ordinary", [(6, 4), (6, 6), (5, 3)], None, 10, 3, 4, ""),
]
POPULATION = {"tier=gold": 100, "tier=ordinary": 900}


def make_survey(code: str = "sq-small", kind: str = SurveyKind.SERVQUAL) -> Survey:
    survey = services.survey_create(code=code, title="服务质量", title_en="Quality", kind=kind)
    for qcode, spec in QUESTIONS.items():
        services.survey_add_question(survey=survey, spec={"code": qcode, **spec})
    survey.refresh_from_db()
    return survey


def make_campaign(survey: Survey, code: str = "sq-small-2026") -> Campaign:
    campaign = Campaign.objects.create(
        code=code,
        name="SERVQUAL 2026",
        survey_version=survey.current_version,
        strata_fields=["tier"],
    )
    CampaignStratum.objects.bulk_create(
        CampaignStratum(campaign=campaign, key=key, population=n, sample=10)
        for key, n in POPULATION.items()
    )
    return campaign


def respond(
    survey: Survey,
    answers: dict[str, Any],
    *,
    campaign: Campaign | None = None,
    stratum_key: str = "",
    tier_code: str = "",
    queue_code: str = "",
    interaction_id: int | None = None,
    customer=None,
    invitation: Invitation | None = None,
) -> Response:
    """A stored response: ``answers`` maps code → number, text, or {part: number}."""
    version = survey.current_version
    response = Response.objects.create(
        invitation=invitation,
        survey_version=version,
        campaign=campaign,
        customer=customer if invitation is None else invitation.customer,
        stratum_key=stratum_key,
        tier_code=tier_code,
        queue_code=queue_code,
        interaction_id=interaction_id,
        submitted_at=SUBMITTED,
    )
    questions = {q.code: q for q in version.questions.all()}
    rows = []
    for code, value in answers.items():
        question = questions[code]
        if isinstance(value, dict):
            for part, number in value.items():
                rows.append(Answer(response=response, question=question, part=part, value=number))
        elif isinstance(value, str):
            rows.append(Answer(response=response, question=question, text=value))
        else:
            rows.append(Answer(response=response, question=question, value=float(value)))
    Answer.objects.bulk_create(rows)
    return response


def small_answers(row: tuple) -> dict[str, Any]:
    _stratum, pairs, points, nps, csat, ces, text = row
    answers: dict[str, Any] = {
        code: {AnswerPart.EXPECTATION: e, AnswerPart.PERCEPTION: p}
        for code, (e, p) in zip(("s1", "s2", "s3"), pairs, strict=True)
    }
    if points:
        answers["imp"] = {
            AnswerPart.importance(d): points.get(d, 0)
            for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
        }
    answers.update(nps=nps, csat=csat, ces=ces)
    if text:
        answers["say"] = text
    return answers


def invite(survey: Survey, campaign: Campaign, stratum_key: str, *, answered: bool) -> Invitation:
    """A sent campaign invitation to a new customer (answered or not)."""
    customer = CustomerFactory()
    invitation = services.invitation_build(
        version=survey.current_version,
        customer_id=customer.pk,
        customer_name=customer.name,
        channel=InvitationChannel.SMS,
        expires_days=7,
        campaign=campaign,
        stratum_key=stratum_key,
    )
    invitation.sent_at = SUBMITTED - timedelta(days=1)
    invitation.answered_at = SUBMITTED if answered else None
    invitation.save()
    return invitation


def load_small(survey: Survey, campaign: Campaign | None = None) -> list[Response]:
    """The five responses of ``SMALL`` (tier codes ``gold``/``ordinary`` as snapshots); in a
    campaign each answers a sent invitation."""
    responses = []
    for row in SMALL:
        invitation = invite(survey, campaign, row[0], answered=True) if campaign else None
        responses.append(
            respond(
                survey,
                small_answers(row),
                campaign=campaign,
                stratum_key=row[0] if campaign else "",
                tier_code=row[0].split("=")[1],
                invitation=invitation,
            )
        )
    return responses


def kano_sliding_waves() -> tuple[Survey, Any, Any]:
    """A Kano survey whose one feature (回拨) slides from attractive in the first wave to
    must-be in the second, 30 answers each: the survey and both waves' campaigns."""
    from tests.surveys import factories
    from yuqi.surveys import waves

    survey = factories.survey(code="kano-w", kind=SurveyKind.KANO)
    services.survey_add_question(
        survey=survey,
        spec={"code": "k1", "type": QuestionType.KANO_PAIR, "text": "回拨", "feature": "callback"},
    )
    survey.refresh_from_db()
    root = Campaign.objects.create(
        code="kano-1", name="Kano", survey_version=survey.current_version
    )
    second = waves.wave_create_next(campaign=root, draw=False).campaign
    attractive = {AnswerPart.FUNCTIONAL: 1, AnswerPart.DYSFUNCTIONAL: 3}
    must_be = {AnswerPart.FUNCTIONAL: 3, AnswerPart.DYSFUNCTIONAL: 5}
    for _n in range(30):
        respond(survey, {"k1": attractive}, campaign=root)
        respond(survey, {"k1": must_be}, campaign=second)
    return survey, root, second
