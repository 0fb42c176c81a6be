"""REST endpoints of the surveys context (mounted under /api/v1/ in yuqi.config.api):
surveys and their questions, campaigns (create, draw, send, remind, reserve, strata with
response rates), responses (list; POST for answers keyed in from an outbound call)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from yuqi.core.api_access import api_requires, caller
from yuqi.core.errors import DomainError
from yuqi.surveys import campaigns, services
from yuqi.surveys.choices import ResponseChannel
from yuqi.surveys.models import Campaign, Response, Survey
from yuqi.surveys.schemas import (
    CampaignIn,
    CampaignOut,
    CountOut,
    DrawOut,
    InstalledOut,
    QuestionIn,
    QuestionOut,
    QuestionPatch,
    ResponseFilterIn,
    ResponseIn,
    ResponseOut,
    StrataOut,
    SurveyDetailOut,
    SurveyIn,
    SurveyOut,
    WaveRecurrenceIn,
    WaveTrendOut,
)
from yuqi.surveys.selectors import (
    call_list_invitations,
    campaign_list,
    campaign_representativeness,
    campaign_stratum_rates,
    response_list,
    survey_list,
    version_questions,
)

router = Router(tags=["surveys"])


def _question(q) -> dict:
    return {name: getattr(q, name) for name in QuestionOut.model_fields}


def _survey(survey: Survey) -> dict:
    version = survey.current_version
    return {
        "code": survey.code,
        "title": survey.title,
        "title_en": survey.title_en,
        "kind": survey.kind,
        "current_version": version.number if version else None,
        "archived": survey.archived,
    }


def _survey_detail(survey: Survey) -> dict:
    survey.refresh_from_db()
    version = survey.current_version
    return {
        **_survey(survey),
        "intro": survey.intro,
        "intro_en": survey.intro_en,
        "versions": list(survey.versions.order_by("number").values_list("number", flat=True)),
        "questions": [_question(q) for q in version_questions(version)] if version else [],
    }


# --------------------------------------------------------------------------- surveys


@router.get("/surveys", response=list[SurveyOut])
@paginate
@api_requires("surveys.view_survey")
def surveys(request: HttpRequest) -> list[dict]:
    """Surveys (not archived), by code."""
    return [_survey(s) for s in survey_list().order_by("code")]


@router.post("/surveys", response={201: SurveyDetailOut})
@api_requires("surveys.add_survey")
def survey_create(request: HttpRequest, payload: SurveyIn) -> Status:
    created = services.survey_create(**payload.dict(), by=caller(request))
    return Status(201, _survey_detail(created))


@router.post("/surveys/install-templates", response=InstalledOut)
@api_requires("surveys.add_survey")
def survey_install_templates(request: HttpRequest) -> dict:
    """Install the built-in templates (SERVQUAL, Kano, post-contact, NPS) not yet installed."""
    created = services.survey_install_templates(by=caller(request))
    return {"installed": [s.code for s in created]}


@router.get("/surveys/{code}", response=SurveyDetailOut)
@api_requires("surveys.view_survey")
def survey(request: HttpRequest, code: str) -> dict:
    """A survey with the questions of its current version."""
    return _survey_detail(get_object_or_404(Survey, code=code))


@router.post("/surveys/{code}/questions", response={201: QuestionOut})
@api_requires("surveys.change_survey")
def question_add(request: HttpRequest, code: str, payload: QuestionIn) -> Status:
    """Add a question (to a new version when the current one is in use)."""
    found = get_object_or_404(Survey, code=code)
    spec = payload.dict(exclude_unset=True)
    created = services.survey_add_question(survey=found, spec=spec, by=caller(request))
    return Status(201, _question(created))


@router.patch("/surveys/{code}/questions/{question_code}", response=QuestionOut)
@api_requires("surveys.change_survey")
def question_edit(request: HttpRequest, code: str, question_code: str, payload: QuestionPatch):
    """Change a question (in a new version when the current one is in use)."""
    found = get_object_or_404(Survey, code=code)
    changed = services.survey_edit_question(
        survey=found,
        code=question_code,
        changes=payload.dict(exclude_unset=True),
        by=caller(request),
    )
    return _question(changed)


@router.delete("/surveys/{code}/questions/{question_code}", response={204: None})
@api_requires("surveys.change_survey")
def question_delete(request: HttpRequest, code: str, question_code: str) -> Status:
    found = get_object_or_404(Survey, code=code)
    services.survey_remove_question(survey=found, code=question_code, by=caller(request))
    return Status(204, None)


# --------------------------------------------------------------------------- campaigns


def _campaign(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "survey": c.survey_version.survey.code,
        "survey_version": c.survey_version.number,
        "state": c.state,
        "channel": c.channel,
        "strata_fields": c.strata_fields,
        "population_filter": c.population_filter,
        "sample_size_mode": c.sample_size_mode,
        "allocation": c.allocation,
        "seed": c.seed,
        "population_size": c.population_size,
        "excluded_count": c.excluded_count,
        "target_completes": c.target_completes,
        "target_invitations": c.target_invitations,
        "created_at": c.created_at,
        "sampled_at": c.sampled_at,
        "sent_at": c.sent_at,
        "recurrence": c.recurrence,
        "wave": c.wave,
        "first_wave": c.series.code if c.series_id and c.series else None,
        "next_wave_at": c.next_wave_at,
    }


def _find_campaign(code: str) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("survey_version__survey"), code=code)


@router.get("/campaigns", response=list[CampaignOut])
@paginate
@api_requires("surveys.view_campaign")
def campaign_index(request: HttpRequest) -> list[dict]:
    return [_campaign(c) for c in campaign_list().order_by("-created_at")]


@router.post("/campaigns", response={201: CampaignOut})
@api_requires("surveys.add_campaign")
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Status:
    """A draft campaign on the current version of a survey."""
    created = campaigns.campaign_create(values=payload.dict(), by=caller(request))
    return Status(201, _campaign(_find_campaign(created.code)))


@router.get("/campaigns/{code}", response=CampaignOut)
@api_requires("surveys.view_campaign")
def campaign(request: HttpRequest, code: str) -> dict:
    return _campaign(_find_campaign(code))


@router.post("/campaigns/{code}/draw", response=DrawOut)
@api_requires("surveys.change_campaign")
def campaign_draw(request: HttpRequest, code: str) -> dict:
    """Draw (or redraw before sending) the stratified sample from the campaign's seed."""
    result = campaigns.campaign_draw_sample(campaign=_find_campaign(code))
    return {**result.__dict__, "notes": list(result.notes)}


@router.post("/campaigns/{code}/send", response=CountOut)
@api_requires("surveys.change_campaign")
def campaign_send(request: HttpRequest, code: str) -> dict:
    return {"count": campaigns.campaign_send(campaign=_find_campaign(code))}


@router.post("/campaigns/{code}/remind", response=CountOut)
@api_requires("surveys.change_campaign")
def campaign_remind(request: HttpRequest, code: str) -> dict:
    return {"count": campaigns.campaign_remind(campaign=_find_campaign(code))}


@router.post("/campaigns/{code}/release-reserve", response=CountOut)
@api_requires("surveys.change_campaign")
def campaign_release_reserve(request: HttpRequest, code: str) -> dict:
    return {"count": campaigns.campaign_release_reserve(campaign=_find_campaign(code))}


@router.get("/campaigns/{code}/strata", response=StrataOut)
@api_requires("surveys.view_campaign")
def campaign_strata(request: HttpRequest, code: str) -> dict:
    """Strata with population, sample, response rate, and the chi-square check."""
    found = _find_campaign(code)
    rates = campaign_stratum_rates(found)
    check = campaign_representativeness(found, rates=rates)
    return {
        "strata": [{**r.__dict__, "rate": r.rate.value if r.rate else None} for r in rates],
        "representativeness": {
            "statistic": check.statistic,
            "p_value": check.p_value,
            "dof": check.dof,
            "responders": check.responders,
            "representative": check.representative,
            "expected_small": check.expected_small,
            "cells": [c.__dict__ for c in check.cells],
        },
    }


# --------------------------------------------------------------------------- responses


def _response(r: Response) -> dict:
    return {
        "id": r.pk,
        "survey": r.survey_version.survey.code,
        "survey_version": r.survey_version.number,
        "campaign": r.campaign.code if r.campaign else None,
        "invitation_id": r.invitation_id,
        "stratum_key": r.stratum_key,
        "weight": r.weight,
        "tier_code": r.tier_code,
        "region": r.region,
        "segment": r.segment,
        "queue_code": r.queue_code,
        "channel": r.channel,
        "complaint_id": r.complaint_id,
        "interaction_id": r.interaction_id,
        "submitted_at": r.submitted_at,
        "answers": [
            {
                "question": a.question.code,
                "part": a.part,
                "value": a.value,
                "text": a.text,
                "choices": a.choices,
            }
            for a in r.answers.all()
        ],
    }


@router.get("/responses", response=list[ResponseOut])
@paginate
@api_requires("surveys.view_results")
def responses(request: HttpRequest, filters: Query[ResponseFilterIn]) -> QuerySet:
    """Responses, newest first, with their answers (one per question part)."""
    return _ShapedQuerySet(
        response_list(
            survey_code=filters.survey, campaign_code=filters.campaign, channel=filters.channel
        )
    )


class _ShapedQuerySet:
    """Wraps a queryset so ninja's paginator can count and slice it, shaping each page."""

    def __init__(self, rows: QuerySet) -> None:
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        page = self.rows[index]
        return [_response(r) for r in page] if isinstance(index, slice) else _response(page)


@router.post("/responses", response={201: ResponseOut})
@api_requires("surveys.enter_answers")
def response_create(request: HttpRequest, payload: ResponseIn) -> Status:
    """Answers keyed in by an agent for an invitation of the outbound call list.

    Only call-list invitations can be answered here (404 for any other: those sent by SMS,
    e-mail or link are answered by the customer alone). 409 when the invitation was already
    answered, 410 when it expired, 422 with a message per question when answers fail their
    checks.
    """
    invitation = get_object_or_404(
        call_list_invitations().select_related("survey_version__survey"),
        pk=payload.invitation_id,
    )
    try:
        created = services.response_submit(
            invitation=invitation,
            answers=payload.answers,
            channel=ResponseChannel.CALL,
            entered_by=caller(request),
        )
    except services.AnswersInvalid:
        raise
    except DomainError as error:
        if error.code == "already_answered":
            raise HttpError(409, error.message) from None
        if error.code == "expired":
            raise HttpError(410, error.message) from None
        raise
    found = response_list().get(pk=created.pk)
    return Status(201, _response(found))


# --------------------------------------------------------------------------- waves


def _wave_trend(campaign: Campaign) -> dict:
    from yuqi.surveys import waves

    result = waves.series_trend(campaign)
    root = result.waves[0].campaign
    return {
        "first_wave": root.code,
        "recurrence": root.recurrence,
        "next_wave_at": root.next_wave_at,
        "waves": [
            {
                "code": w.campaign.code,
                "wave": w.campaign.wave,
                "label": w.label,
                "state": w.campaign.state,
                "responses": w.responses,
                "frame_changed": w.frame_changed,
            }
            for w in result.waves
        ],
        "note": result.trend.note,
        "frame_changes": list(result.trend.frame_changes),
        "metrics": [
            {
                "metric": m.key,
                "points": [
                    {
                        "wave": p.label,
                        "n": p.n,
                        "value": p.value,
                        "ci_low": p.low,
                        "ci_high": p.high,
                    }
                    for p in m.points
                ],
                "steps": [
                    {
                        "before": s.before,
                        "after": s.after,
                        "difference": s.difference,
                        "ci_low": s.low,
                        "ci_high": s.high,
                        "p_value": s.p_value,
                        "change": s.change.value,
                        "comparable": s.comparable,
                        "significant": s.significant,
                        "reason": s.reason,
                    }
                    for s in m.steps
                ],
            }
            for m in result.trend.metrics
        ],
        "kano_slides": [
            {
                "feature": k.feature,
                "before": k.before,
                "after": k.after,
                "category_before": k.category_before,
                "category_after": k.category_after,
                "status": k.status.value,
                "flagged": k.flagged,
            }
            for k in result.slides
        ],
    }


@router.get("/campaigns/{code}/waves", response=WaveTrendOut)
@api_requires("surveys.view_results")
def campaign_waves(request: HttpRequest, code: str) -> dict:
    """The campaign's series: its waves, the wave-over-wave trend with 95 % intervals and
    significance flags, and the Kano features that slide towards must-be."""
    return _wave_trend(_find_campaign(code))


@router.post("/campaigns/{code}/recurrence", response=CampaignOut)
@api_requires("surveys.change_campaign")
def campaign_recurrence(request: HttpRequest, code: str, payload: WaveRecurrenceIn) -> dict:
    """Make the campaign recurring (monthly, quarterly) or a one-off again."""
    from yuqi.surveys import waves

    campaign = waves.campaign_set_recurrence(
        campaign=_find_campaign(code), recurrence=payload.recurrence, first_due=payload.first_due
    )
    return _campaign(_find_campaign(campaign.code))


@router.post("/campaigns/{code}/next-wave", response={201: CampaignOut})
@api_requires("surveys.change_campaign")
def campaign_next_wave(request: HttpRequest, code: str) -> Status:
    """Create (and draw) the next wave of the campaign's series now."""
    from yuqi.surveys import waves

    created = waves.wave_create_next(campaign=_find_campaign(code), by=caller(request))
    return Status(201, _campaign(_find_campaign(created.campaign.code)))
