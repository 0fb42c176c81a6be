"""Demo: a quarterly pulse survey in two waves, expectation levels and origins.

* ``demo-pulse`` runs the SERVQUAL questionnaire (with CSAT, NPS, CES and three Kano pairs) on a
  fixed sample of 200 customers stratified by tier. Wave 1 was answered a quarter ago; the
  recurrence is quarterly and the periodic job's own function (``waves_create_due``) creates
  and draws wave 2 the same way, answered now. Between the waves the callback became routine
  after the centre promised it everywhere: satisfaction rises (a significant CSAT change), and
  the Kano class of "smart callback" slides from attractive to must-be.
* Wave 2's SERVQUAL gaps become the register's latest survey evidence: "agents sound
  professional" is over-served, and customers expect almost nothing of night service (a
  too-low expectation). Two register entries are added for them.
* Origins are recorded on the register's entries (promises, advertising, peers, word of mouth).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction

from yuqi.core.bulk import insert_created
from yuqi.core.clock import now
from yuqi.domain.kano import ANSWERS as KANO_ANSWERS
from yuqi.domain.servqual import DIMENSIONS
from yuqi.insights import expectations as register
from yuqi.insights import levels
from yuqi.insights.models import Expectation
from yuqi.surveys import campaigns, waves
from yuqi.surveys.choices import AnswerPart, CampaignState, QuestionType, ResponseChannel
from yuqi.surveys.models import (
    Answer,
    Campaign,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyDataVersion,
)

PULSE = "demo-pulse"
SURVEY = "servqual-call-centre"
QUARTER = timedelta(days=91)
ANSWER_RATE = 0.6
#: Kano category mix (A, O, M, I) per feature and wave: the callback is taken for granted
KANO_WAVES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "callback": ((0.66, 0.14, 0.06, 0.14), (0.08, 0.17, 0.65, 0.10)),
    "queue-position": ((0.12, 0.62, 0.12, 0.14), (0.10, 0.64, 0.14, 0.12)),
    "dedicated-adviser": ((0.34, 0.08, 0.06, 0.52), (0.40, 0.08, 0.06, 0.46)),
}
KANO_PAIR = {
    "A": ("like", "neutral"),
    "O": ("like", "dislike"),
    "M": ("must-be", "dislike"),
    "I": ("neutral", "neutral"),
}
#: register entries (code → origins, note)
ORIGINS: dict[str, tuple[tuple[str, ...], str]] = {
    "vip-answer-15s": (("advertising", "past_experience"), "贵宾专线宣传“秒接”"),
    "answer-rate-90": (("other_providers",), "友商热线接通率宣传"),
    "callback-2h": (("promise",), "座席承诺“两小时内回电”"),
    "promise-kept": (("promise",), ""),
    "repair-24h": (("past_experience",), "以往故障多在次日修复"),
    "refund-cash-now": (("word_of_mouth",), "网上流传“可当场退现金”"),
    "smart-callback": (("other_providers",), "银行客服已有智能回拨"),
    "video-service": (("other_providers",), ""),
    "everyone-adviser": (("advertising",), "贵宾专属客服的广告被普通客户看到"),
    "compensation-every-time": (("past_experience", "word_of_mouth"), "曾有一次额外补偿"),
    "fcr-once": (("personal_need",), ""),
}


@dataclass(frozen=True)
class WavesDemoSummary:
    waves: int
    responses: tuple[int, ...]
    significant: tuple[str, ...]
    slides: tuple[str, ...]
    over_served: int
    too_low: int
    origins: int


def load_demo_survey_waves(*, seed: int) -> WavesDemoSummary:
    rng = np.random.default_rng([seed, 20])
    survey = Survey.objects.get(code=SURVEY)
    first = campaigns.campaign_create(
        values={
            "code": PULSE,
            "name": "季度客户脉搏调查",
            "survey": SURVEY,
            "strata_fields": ["tier"],
            "sample_size_mode": "fixed",
            "fixed_size": 200,
            "expected_response_rate": ANSWER_RATE,
            "exclude_surveyed_days": 0,  # a short pulse: anyone may be asked each quarter
            "seed": 20260901,
            "expires_days": 14,
        }
    )
    campaigns.campaign_draw_sample(campaign=first)
    moment = now()
    answered = [_answer(first, survey, 1, moment - QUARTER, rng)]
    waves.campaign_set_recurrence(
        campaign=first, recurrence="quarterly", first_due=moment - timedelta(hours=1)
    )
    created = waves.waves_create_due(moment)
    second = created[0].campaign if created else first
    if second.pk != first.pk:
        answered.append(_answer(second, survey, 2, moment, rng))
    trend = waves.series_trend(second)
    _register_entries(survey)
    levels.wave_evidence_collect(second.code)
    origins = _origins()
    flags = levels.levels()
    return WavesDemoSummary(
        waves=len(trend.waves),
        responses=tuple(answered),
        significant=tuple(key for key, _step in trend.trend.significant),
        slides=tuple(s.feature for s in trend.slides if s.flagged),
        over_served=sum(1 for f in flags.values() if f.over_served),
        too_low=sum(1 for f in flags.values() if f.too_low),
        origins=origins,
    )


# --------------------------------------------------------------------------- answers


def _item_codes(survey: Survey) -> dict[str, str]:
    """Question codes of the two items the demo flags (by their Chinese wording)."""
    questions = Question.objects.filter(
        version=survey.current_version, type=QuestionType.SERVQUAL_ITEM
    )
    found: dict[str, str] = {}
    for question in questions:
        if "专业" in question.text:
            found.setdefault("professional", question.code)
        if "夜间" in question.text:
            found.setdefault("night", question.code)
    return found


@transaction.atomic
def _answer(
    campaign: Campaign, survey: Survey, wave: int, moment: Any, rng: np.random.Generator
) -> int:
    """About 60 % of the drawn customers answer, over the week before ``moment``."""
    from yuqi.customers.facade import customer_frame

    invitations = list(
        Invitation.objects.filter(campaign=campaign, is_reserve=False).order_by("pk")
    )
    sent_at = moment - timedelta(days=7)
    frame = {
        row.id: row
        for row in customer_frame(ids=[i.customer_id for i in invitations], active_only=False)
    }
    version = survey.current_version
    assert version is not None
    questions = list(version.questions.order_by("order"))
    items = _item_codes(survey)
    answering = [i for i in invitations if rng.random() < ANSWER_RATE]
    responses = []
    for invitation in answering:
        row = frame.get(invitation.customer_id)
        invitation.answered_at = sent_at + timedelta(minutes=int(rng.integers(30, 6 * 24 * 60)))
        invitation.opened_at = invitation.answered_at
        responses.append(
            Response(
                invitation=invitation,
                survey_version_id=invitation.survey_version_id,
                campaign=campaign,
                customer_id=invitation.customer_id,
                stratum_key=invitation.stratum_key,
                tier_code=row.tier_code if row else "",
                region=row.region if row else "",
                segment=row.segment if row else "",
                channel=ResponseChannel.WEB,
                language="zh-hans",
                submitted_at=invitation.answered_at,
            )
        )
    insert_created(responses)
    SurveyDataVersion.bump()  # as the versioned manager's bulk_create
    rows = [
        Answer(response=response, question=q, part=part, value=value, choices=list(choices))
        for response in responses
        for q, part, value, choices in _answers(questions, items, wave, rng)
    ]
    insert_created(rows)
    SurveyDataVersion.bump()  # as the versioned manager's bulk_create
    Invitation.objects.filter(campaign=campaign, is_reserve=False).update(sent_at=sent_at)
    Invitation.objects.bulk_update(answering, ["answered_at", "opened_at"], batch_size=500)
    dates = {"sent_at": sent_at, "state": CampaignState.SENT}
    if wave == 1:  # a quarter ago: drawn then, closed since
        Invitation.objects.filter(campaign=campaign).update(created_at=sent_at)
        dates.update(
            created_at=sent_at - timedelta(days=1),
            sampled_at=sent_at - timedelta(days=1),
            state=CampaignState.CLOSED,
            closed_at=moment + timedelta(days=14),
        )
    Campaign.objects.filter(pk=campaign.pk).update(**dates)
    return len(responses)


def _answers(
    questions: list[Question], items: dict[str, str], wave: int, rng: np.random.Generator
) -> list[tuple[Question, str, float, tuple[str, ...]]]:
    mood = rng.normal(0.0, 0.5)
    better = 1.0 if wave == 2 else 0.0  # the callback and queue changes between the waves
    gaps: list[float] = []
    rows: list[tuple[Question, str, float, tuple[str, ...]]] = []
    for q in questions:
        if q.type == QuestionType.SERVQUAL_ITEM:
            e = 5.7 + rng.normal(0, 0.7)
            p = 5.0 + mood + rng.normal(0, 0.8)
            if q.dimension == "responsiveness":
                p += 0.8 * better
            if q.code == items.get("professional"):
                e, p = 5.0 + rng.normal(0, 0.6), 6.5 + rng.normal(0, 0.5)
            elif q.code == items.get("night"):
                e, p = 2.3 + rng.normal(0, 0.8), 2.8 + rng.normal(0, 0.9)
            e, p = float(np.clip(np.rint(e), 1, 7)), float(np.clip(np.rint(p), 1, 7))
            gaps.append(p - e)
            rows += [(q, AnswerPart.EXPECTATION, e, ()), (q, AnswerPart.PERCEPTION, p, ())]
        elif q.type == QuestionType.IMPORTANCE_ALLOCATION:
            points = rng.multinomial(100, [0.10, 0.30, 0.28, 0.17, 0.15])
            rows += [
                (q, AnswerPart.importance(d), float(v), ())
                for d, v in zip(DIMENSIONS, points, strict=True)
            ]
        elif q.type == QuestionType.CSAT:
            top = rng.random() < (0.76 if wave == 2 else 0.42) + 0.05 * mood
            score = int(rng.integers(4, 6)) if top else int(rng.integers(1, 4))
            rows.append((q, AnswerPart.WHOLE, float(score), ()))
        elif q.type == QuestionType.NPS:
            gap = float(np.mean(gaps)) if gaps else 0.0
            score = np.clip(np.rint(8.0 + 0.6 * gap + 1.5 * mood + rng.normal(0, 1.2)), 0, 10)
            rows.append((q, AnswerPart.WHOLE, float(score), ()))
        elif q.type == QuestionType.CES:
            score = np.clip(np.rint(4.9 + 0.2 * better + 1.2 * mood + rng.normal(0, 0.8)), 1, 7)
            rows.append((q, AnswerPart.WHOLE, float(score), ()))
        elif q.type == QuestionType.KANO_PAIR and q.feature in KANO_WAVES:
            mix = KANO_WAVES[q.feature][wave - 1]
            category = str(rng.choice(["A", "O", "M", "I"], p=mix))
            functional, dysfunctional = KANO_PAIR[category]
            for part, answer in (
                (AnswerPart.FUNCTIONAL, functional),
                (AnswerPart.DYSFUNCTIONAL, dysfunctional),
            ):
                rows.append((q, part, float(KANO_ANSWERS.index(answer) + 1), (answer,)))
    return rows


# --------------------------------------------------------------------------- register


def _register_entries(survey: Survey) -> None:
    """Two register entries on the items the pulse survey flags (unless already there)."""
    items = _item_codes(survey)
    entries = [
        (
            "agent-manner",
            "座席说话专业、得体",
            "Agents sound professional",
            "tangibles",
            "professional",
        ),
        ("night-agents", "夜间也能找到人工客服", "A human agent at night", "empathy", "night"),
    ]
    for code, statement, english, dimension, item in entries:
        if item not in items or Expectation.objects.filter(code=code).exists():
            continue
        register.expectation_create(
            code=code,
            statement=statement,
            statement_en=english,
            category="attitude" if item == "professional" else "access_wait",
            servqual_dimension=dimension,
            servqual_item=items[item],
            importance=40 if item == "professional" else 55,
        )
    ORIGINS.setdefault("night-agents", (("past_experience",), "夜间多次无人接听，客户已不抱期望"))
    ORIGINS.setdefault("agent-manner", (("past_experience",), ""))


def _origins() -> int:
    rows = {e.code: e for e in Expectation.objects.filter(code__in=list(ORIGINS))}
    for code, (origins, note) in ORIGINS.items():
        if code in rows:
            levels.origins_set(expectation=rows[code], origins=list(origins), note=note)
    return len(rows)
