"""The surveys step of ``yuqi demo``: campaigns and answers that tell a true story.

* the built-in templates are installed; the SERVQUAL questionnaire gets a likelihood-to-
  recommend question and three Kano pairs, so one campaign page shows it all;
* a **SERVQUAL campaign** stratified by tier (proportional allocation with a minimum per
  stratum, so the top tiers are over-sampled and the weighted figures differ from the
  plain ones), drawn by ``campaigns.campaign_draw_sample`` from a fixed seed;
* a **Kano study** of six service features on its own campaign;
* **post-contact 对事/对人 surveys** on a sample of the demo's handled contacts.

The answers follow from the simulated operations, so the analysis finds what happened:
perception of *responsiveness* falls with the customer's actual mean wait in the queue
(from their interactions); higher tiers expect more; a contact that was not resolved on
first contact mostly gets 对事 "no", and a long wait lowers 对人; response rates differ by
tier; unhappy post-contact answers open recovery follow-ups (closed loop). Some invitations
stay unanswered and valid, so a browser test can open one: the demo prints one such link.

Templates, questions, campaigns, samples, invitations and unhappy-answer rules go through
``surveys.services`` and ``surveys.campaigns``. Responses, answers and follow-ups are written
with ``yuqi.core.bulk.insert_created`` (what ``bulk_create`` writes, without its per-value SQL
compilation; the surveys' data version moved on as their manager's ``bulk_create`` moves it;
a few thousand rows at medium scale) straight to ``surveys`` models,
because ``response_submit`` stores one submission at a time, claimed and stamped at "now",
and cannot backdate the answers the story needs. Sending is recorded on the invitations
without generating the SMS messages themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.urls import reverse

from yuqi.core.bulk import insert_created
from yuqi.core.clock import day_start, now
from yuqi.domain.kano import ANSWERS as KANO_ANSWERS
from yuqi.domain.servqual import DIMENSIONS
from yuqi.surveys import campaigns, services
from yuqi.surveys.choices import (
    AnswerPart,
    CampaignState,
    InvitationChannel,
    InvitationSource,
    QuestionType,
    ResponseChannel,
)
from yuqi.surveys.models import (
    Answer,
    Campaign,
    CampaignStratum,
    FollowUp,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyDataVersion,
    SurveySettings,
)
from yuqi.surveys.templates_builtin import (
    ATTITUDE_CODE,
    POST_CONTACT_TEMPLATE,
    RESOLVED_CODE,
)
from yuqi.surveys.tokens import token_for_salt
from yuqi.surveys.validation import AnswerRow

SERVQUAL_CODE = "servqual-call-centre"
KANO_CODE = "kano-service-features"
SERVQUAL_CAMPAIGN = "demo-servqual"
KANO_CAMPAIGN = "demo-kano"
EXTRA_KANO = ("callback", "queue-position", "dedicated-adviser")
UNANSWERED_LINKS = 5

#: chance that an invited customer answers, by tier rank (0 = highest tier)
RESPONSE_RATE_BY_RANK = (0.62, 0.5, 0.4, 0.3, 0.25)
#: expectation offset per dimension (1–7 scale) and perception offset
EXPECTATION_OFFSET = {
    "tangibles": -0.5,
    "reliability": 0.5,
    "responsiveness": 0.4,
    "assurance": 0.2,
    "empathy": 0.0,
}
PERCEPTION_OFFSET = {
    "tangibles": 0.4,
    "reliability": -0.2,
    "responsiveness": 0.3,
    "assurance": 0.3,
    "empathy": -0.4,
}
WAIT_EFFECT = 0.9
"""Responsiveness perception drops by this many points per minute of mean wait (capped at 4)."""

#: Kano category mix per feature (A, O, M, I), for ordinary and for top tiers
KANO_MIX: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "callback": ((0.50, 0.20, 0.05, 0.25), (0.45, 0.30, 0.10, 0.15)),
    "queue-position": ((0.20, 0.45, 0.15, 0.20), (0.15, 0.45, 0.25, 0.15)),
    "dedicated-adviser": ((0.20, 0.05, 0.05, 0.70), (0.45, 0.30, 0.10, 0.15)),
    "wechat-notice": ((0.40, 0.15, 0.05, 0.40), (0.35, 0.20, 0.05, 0.40)),
    "night-agents": ((0.15, 0.20, 0.45, 0.20), (0.10, 0.25, 0.50, 0.15)),
    "expert-seat": ((0.15, 0.50, 0.20, 0.15), (0.10, 0.45, 0.35, 0.10)),
}
#: typical (functional, dysfunctional) answer pairs of each category
KANO_PAIRS = {
    "A": (("like", "neutral"), ("like", "live-with"), ("like", "must-be")),
    "O": (("like", "dislike"),),
    "M": (("must-be", "dislike"), ("neutral", "dislike"), ("live-with", "dislike")),
    "I": (("neutral", "neutral"), ("live-with", "neutral"), ("neutral", "live-with")),
    "Q": (("like", "like"),),
}


@dataclass(frozen=True)
class SurveyDemoSummary:
    servqual_invited: int
    servqual_responses: int
    kano_responses: int
    post_contact_responses: int
    follow_ups: int
    open_links: int
    sample_link: str


@dataclass
class _Respondent:
    invitation: Invitation
    tier: str
    rank: int
    region: str
    segment: str
    wait_minutes: float
    submitted_at: Any = None


# --------------------------------------------------------------------------- entry point


def load_demo_surveys(*, seed: int, end_date: date) -> SurveyDemoSummary:
    """Install templates, run the SERVQUAL and Kano campaigns and the post-contact surveys."""
    rng = np.random.default_rng([seed, 5])
    services.survey_install_templates()
    servqual = _extend_servqual()
    servqual_campaign = _campaign(
        SERVQUAL_CAMPAIGN,
        "客服中心服务质量调查（SERVQUAL）",
        servqual,
        {"margin": 0.05, "expected_response_rate": 0.6, "min_per_stratum": 30},
    )
    invited, servqual_responses = _answer_campaign(servqual_campaign, servqual, rng)
    kano = Survey.objects.get(code=KANO_CODE)
    kano_campaign = _campaign(
        KANO_CAMPAIGN,
        "服务功能需求调查（Kano）",
        kano,
        {
            "sample_size_mode": "fixed",
            "fixed_size": 300,
            "expected_response_rate": 0.5,
            "exclude_surveyed_days": 0,  # a separate study: SERVQUAL respondents may be asked
        },
    )
    _sent, kano_responses = _answer_campaign(kano_campaign, kano, rng)
    post = _post_contact(rng, end_date)
    return SurveyDemoSummary(
        servqual_invited=invited,
        servqual_responses=servqual_responses,
        kano_responses=kano_responses,
        post_contact_responses=post[0],
        follow_ups=post[1],
        open_links=post[2],
        sample_link=post[3],
    )


def _extend_servqual() -> Survey:
    """The SERVQUAL template plus NPS, CSAT and CES questions and three Kano pairs (not yet
    frozen): the scorecard's customer perspective reads them."""
    survey = Survey.objects.get(code=SERVQUAL_CODE)
    have = set(survey.current_version.questions.values_list("code", flat=True))
    extra = [
        {
            "code": "nps",
            "type": QuestionType.NPS,
            "text": "您有多大可能向亲友推荐我们的服务？",
            "text_en": "How likely are you to recommend us to a friend or colleague?",
        },
        {
            "code": "csat",
            "type": QuestionType.CSAT,
            "text": "总体而言，您对我们的服务满意吗？",
            "text_en": "Overall, how satisfied are you with our service?",
        },
        {
            "code": "ces",
            "type": QuestionType.CES,
            "text": "通过我们办理业务很容易。",
            "text_en": "Our service made it easy to get things done.",
        },
    ]
    kano_texts = {
        q.feature: q
        for q in Question.objects.filter(version__survey__code=KANO_CODE, feature__in=EXTRA_KANO)
    }
    for feature in EXTRA_KANO:
        source = kano_texts[feature]
        extra.append(
            {
                "code": f"k-{feature}",
                "type": QuestionType.KANO_PAIR,
                "feature": feature,
                "text": source.text,
                "text_en": source.text_en,
            }
        )
    for spec in extra:
        if spec["code"] not in have:
            services.survey_add_question(survey=survey, spec=spec)
    survey.refresh_from_db()
    return survey


def _campaign(code: str, name: str, survey: Survey, options: dict[str, Any]) -> Campaign:
    campaign = campaigns.campaign_create(
        values={
            "code": code,
            "name": name,
            "survey": survey.code,
            "strata_fields": ["tier"],
            "allocation": "proportional",
            "channel": InvitationChannel.SMS,
            "seed": 20261129,
            "exclude_surveyed_days": 90,
            "expires_days": 14,
            **options,
        }
    )
    campaigns.campaign_draw_sample(campaign=campaign)
    return campaign


# --------------------------------------------------------------------------- campaigns


def _mark_sent(campaign: Campaign, moment) -> None:
    """Record the drawn invitations as sent (the demo writes no SMS messages)."""
    Invitation.objects.filter(campaign=campaign, is_reserve=False).update(sent_at=moment)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SENT, sent_at=moment)


def _respondents(invitations: Sequence[Invitation]) -> list[_Respondent]:
    from yuqi.customers.facade import customer_frame, tier_labels
    from yuqi.interactions.facade import mean_wait_by_customer

    ids = [i.customer_id for i in invitations]
    frame = {row.id: row for row in customer_frame(ids=ids, active_only=False)}
    ranks = {code: rank for rank, code in enumerate(tier_labels())}
    waits = mean_wait_by_customer(ids)
    typical = float(np.median(list(waits.values()))) if waits else 30.0
    people = []
    for invitation in invitations:
        row = frame.get(invitation.customer_id)
        tier = row.tier_code if row else ""
        people.append(
            _Respondent(
                invitation=invitation,
                tier=tier,
                rank=min(ranks.get(tier, len(ranks)), len(RESPONSE_RATE_BY_RANK) - 1),
                region=row.region if row else "",
                segment=row.segment if row else "",
                wait_minutes=waits.get(invitation.customer_id, typical) / 60.0,
            )
        )
    return people


@transaction.atomic
def _answer_campaign(campaign: Campaign, survey: Survey, rng: np.random.Generator) -> tuple:
    moment = now()
    sent_at = moment - timedelta(days=6)
    _mark_sent(campaign, sent_at)
    invitations = list(
        Invitation.objects.filter(campaign=campaign, is_reserve=False).order_by("pk")
    )
    people = _respondents(invitations)
    answering = [p for p in people if rng.random() < RESPONSE_RATE_BY_RANK[p.rank]]
    strata = dict(
        CampaignStratum.objects.filter(campaign=campaign).values_list("key", "population")
    )
    sent = {}
    for p in people:
        sent[p.invitation.stratum_key] = sent.get(p.invitation.stratum_key, 0) + 1
    questions = list(Question.objects.filter(version=survey.current_version).order_by("order"))
    responses = []
    for person in answering:
        person.submitted_at = sent_at + timedelta(minutes=int(rng.integers(10, 6 * 24 * 60)))
        key = person.invitation.stratum_key
        responses.append(
            _response(person, survey, weight=strata.get(key, 0) / max(sent.get(key, 1), 1))
        )
    insert_created(responses)
    SurveyDataVersion.bump()  # as the versioned manager's bulk_create
    rows = []
    for person, response in zip(answering, responses, strict=True):
        for question, part, value, choices in _campaign_answers(questions, person, rng):
            rows.append(
                Answer(
                    response=response,
                    question=question,
                    part=part,
                    value=value,
                    choices=list(choices),
                )
            )
    insert_created(rows)
    SurveyDataVersion.bump()  # as the versioned manager's bulk_create
    _mark_answered(answering)
    return len(people), len(responses)


def _response(person: _Respondent, survey: Survey, *, weight: float = 1.0, **extra) -> Response:
    invitation = person.invitation
    return Response(
        invitation=invitation,
        survey_version_id=invitation.survey_version_id,
        campaign_id=invitation.campaign_id,
        customer_id=invitation.customer_id,
        stratum_key=invitation.stratum_key,
        weight=weight,
        tier_code=person.tier,
        region=person.region,
        segment=person.segment,
        channel=ResponseChannel.WEB,
        language="zh-hans",
        submitted_at=person.submitted_at,
        complaint_id=invitation.complaint_id,
        interaction_id=invitation.interaction_id,
        **extra,
    )


def _mark_answered(people: Sequence[_Respondent]) -> None:
    for person in people:
        person.invitation.answered_at = person.submitted_at
        person.invitation.opened_at = person.submitted_at
    Invitation.objects.bulk_update(
        [p.invitation for p in people], ["answered_at", "opened_at"], batch_size=500
    )


def _campaign_answers(
    questions: Sequence[Question], person: _Respondent, rng: np.random.Generator
) -> list[tuple[Question, str, float, tuple[str, ...]]]:
    """One respondent's answers: (question, part, value, choice codes)."""
    top = person.rank <= 1
    level = rng.normal(0.0, 0.45)  # this customer's general mood
    expectations, perceptions = [], []
    rows: list[tuple[Question, str, float, tuple[str, ...]]] = []
    for question in questions:
        kind = question.type
        if kind == QuestionType.SERVQUAL_ITEM:
            e, p = _servqual_pair(question.dimension, person, level, rng)
            expectations.append(e)
            perceptions.append(p)
            rows.append((question, AnswerPart.EXPECTATION, e, ()))
            rows.append((question, AnswerPart.PERCEPTION, p, ()))
        elif kind == QuestionType.IMPORTANCE_ALLOCATION:
            weights = [0.10, 0.30, 0.28, 0.17, 0.15] if not top else [0.08, 0.27, 0.25, 0.15, 0.25]
            points = rng.multinomial(100, weights)
            for dimension, value in zip(DIMENSIONS, points, strict=True):
                rows.append((question, AnswerPart.importance(dimension), float(value), ()))
        elif kind == QuestionType.NPS:
            gap = float(np.mean(perceptions) - np.mean(expectations)) if perceptions else 0.0
            score = int(np.clip(np.rint(7.6 + 1.6 * gap + 1.5 * level + rng.normal(0, 1.4)), 0, 10))
            rows.append((question, AnswerPart.WHOLE, float(score), ()))
        elif kind in (QuestionType.CSAT, QuestionType.CES):
            # No draw from ``rng`` (the rest of the demo stays as it was): overall
            # satisfaction and ease follow the SERVQUAL gap and the customer's mood.
            gap = float(np.mean(perceptions) - np.mean(expectations)) if perceptions else 0.0
            if kind == QuestionType.CSAT:
                score = np.clip(np.rint(3.9 + 0.8 * gap + 1.1 * level), 1, 5)
            else:
                score = np.clip(np.rint(5.1 + 0.9 * gap + 1.3 * level), 1, 7)
            rows.append((question, AnswerPart.WHOLE, float(score), ()))
        elif kind == QuestionType.KANO_PAIR:
            functional, dysfunctional = _kano_pair(question.feature, top, rng)
            for part, answer in (
                (AnswerPart.FUNCTIONAL, functional),
                (AnswerPart.DYSFUNCTIONAL, dysfunctional),
            ):
                value = float(KANO_ANSWERS.index(answer) + 1)
                rows.append((question, part, value, (answer,)))
    return rows


def _servqual_pair(
    dimension: str, person: _Respondent, level: float, rng: np.random.Generator
) -> tuple[float, float]:
    """Higher tiers expect more; long waits lower the perception of responsiveness."""
    vip_lift = 0.35 * max(0, 3 - person.rank)
    expectation = 5.2 + vip_lift + EXPECTATION_OFFSET[dimension] + rng.normal(0, 0.7)
    perception = 5.3 + level + PERCEPTION_OFFSET[dimension] + rng.normal(0, 0.8)
    if dimension == "responsiveness":
        perception -= WAIT_EFFECT * min(person.wait_minutes, 4.0)
    else:
        perception -= 0.1 * min(person.wait_minutes, 4.0)
    e = float(np.clip(np.rint(expectation), 1, 7))
    p = float(np.clip(np.rint(perception), 1, 7))
    return e, p


def _kano_pair(feature: str, top: bool, rng: np.random.Generator) -> tuple[str, str]:
    ordinary, premium = KANO_MIX.get(feature, ((0.25, 0.25, 0.25, 0.25),) * 2)
    mix = np.asarray(premium if top else ordinary) * 0.96
    category = rng.choice(["A", "O", "M", "I", "Q"], p=[*mix, 0.04])
    pairs = KANO_PAIRS[str(category)]
    return pairs[int(rng.integers(len(pairs)))]


# --------------------------------------------------------------------------- post-contact


@transaction.atomic
def _post_contact(rng: np.random.Generator, end_date: date) -> tuple[int, int, int, str]:
    """Invite a sample of the last two weeks' handled contacts; about 60 % answer."""
    from yuqi.customers.facade import customer_refs
    from yuqi.interactions.facade import contact_facts, handled_contacts_between

    survey = Survey.objects.get(code=POST_CONTACT_TEMPLATE)
    start = day_start(end_date - timedelta(days=13))
    handled = handled_contacts_between(start, day_start(end_date + timedelta(days=1)))
    if not handled:
        return 0, 0, 0, ""
    wanted = min(len(handled), 150 if len(handled) < 20_000 else 400)
    chosen = [handled[int(i)] for i in np.sort(rng.choice(len(handled), wanted, replace=False))]
    seen: set[int] = set()
    chosen = [c for c in chosen if not (c.customer_id in seen or seen.add(c.customer_id))]
    names = {pk: ref.name for pk, ref in customer_refs(c.customer_id for c in chosen).items()}
    moment = now()
    invitations = [
        services.invitation_build(
            version=survey.current_version,
            customer_id=contact.customer_id,
            customer_name=names.get(contact.customer_id, ""),
            channel=InvitationChannel.SMS,
            expires_days=7,
            source=InvitationSource.INTERACTION,
            interaction_id=contact.id,
            follow_up_owner_id=contact.agent_user_id,
        )
        for contact in chosen
    ]
    for invitation in invitations:
        invitation.sent_at = moment - timedelta(days=1)
    insert_created(invitations)
    services.version_freeze(version=survey.current_version)
    facts = contact_facts(c.id for c in chosen)
    people = _respondents(invitations)
    # the newest few stay unanswered (valid links for a browser test); of the rest ~60 % answer
    open_links = people[-UNANSWERED_LINKS:]
    answering = [p for p in people[:-UNANSWERED_LINKS] if rng.random() < 0.6]
    responded, follow_ups = _answer_post_contact(survey, answering, facts, rng)
    token = token_for_salt(open_links[-1].invitation.token_salt) if open_links else ""
    link = reverse("survey_public:answer", args=[token]) if token else ""
    return responded, follow_ups, len(open_links), link


def _answer_post_contact(
    survey: Survey, people: list[_Respondent], facts: dict, rng: np.random.Generator
) -> tuple[int, int]:
    questions = {q.code: q for q in Question.objects.filter(version=survey.current_version)}
    resolved_q, attitude_q = questions[RESOLVED_CODE], questions[ATTITUDE_CODE]
    comment_q = questions.get("comment")
    responses, answers, unhappy = [], [], []
    settings_row = SurveySettings.load()
    for person in people:
        fact = facts.get(person.invitation.interaction_id)
        person.submitted_at = person.invitation.sent_at + timedelta(
            minutes=int(rng.integers(5, 20 * 60))
        )
        fcr = fact.first_contact_resolved if fact else None
        wait = (fact.wait_seconds if fact else 60) / 60.0
        yes = rng.random() < (0.9 if fcr else 0.3 if fcr is False else 0.7)
        rating = int(np.clip(np.rint(4.5 - 0.45 * min(wait, 5.0) + rng.normal(0, 0.7)), 1, 5))
        response = _response(person, survey, queue_code=fact.queue_code if fact else "")
        responses.append(response)
        choice = "yes" if yes else "no"
        rows = [
            Answer(
                response=response, question=resolved_q, value=1.0 if yes else 0.0, choices=[choice]
            ),
            Answer(response=response, question=attitude_q, value=float(rating)),
        ]
        if comment_q is not None and not yes and rng.random() < 0.5:
            rows.append(Answer(response=response, question=comment_q, text="问题还没有解决。"))
        answers.append(rows)
        reasons = services.unhappy_reasons(
            survey.kind,
            [
                AnswerRow(RESOLVED_CODE, choices=(choice,)),
                AnswerRow(ATTITUDE_CODE, value=float(rating)),
            ],
            rating_max=settings_row.unhappy_rating_max,
        )
        if reasons:
            unhappy.append((person, response, reasons))
    insert_created(responses)
    SurveyDataVersion.bump()  # as the versioned manager's bulk_create
    insert_created([a for rows in answers for a in rows])
    SurveyDataVersion.bump()  # as the versioned manager's bulk_create
    _mark_answered(people)
    insert_created(
        [
            FollowUp(
                invitation=person.invitation,
                response=response,
                customer_id=person.invitation.customer_id,
                owner_id=person.invitation.follow_up_owner_id,
                reason=reasons[0],
                note="; ".join(str(r.label) for r in reasons),
                interaction_id=person.invitation.interaction_id,
            )
            for person, response, reasons in unhappy
        ]
    )
    return len(responses), len(unhappy)
