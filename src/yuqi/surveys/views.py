"""Pages of the surveys context: designer, campaigns, agents' call list, follow-ups.

Views parse and call services/selectors; HTMX requests get the partial they replace.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.errors import DomainError
from yuqi.core.listing import paginate
from yuqi.surveys import campaigns, services, wave_views
from yuqi.surveys.choices import CampaignState, FollowUpStatus, ResponseChannel
from yuqi.surveys.forms import CampaignForm, FollowUpDoneForm, QuestionForm, SurveyForm
from yuqi.surveys.models import Campaign, FollowUp, Survey
from yuqi.surveys.presenters import question_fields
from yuqi.surveys.selectors import (
    call_list,
    campaign_list,
    campaign_representativeness,
    campaign_stratum_rates,
    follow_up_list,
    survey_list,
    survey_versions,
    version_questions,
)
from yuqi.surveys.services import AnswersInvalid
from yuqi.surveys.validation import answers_from_form


def _form_errors(form, error: DomainError) -> None:
    for field, message in error.fields or [(None, error.message)]:
        form.add_error(field if field in form.fields else None, message)


# --------------------------------------------------------------------------- designer


@requires("surveys.view_survey")
def survey_index(request: HttpRequest) -> HttpResponse:
    form = SurveyForm()
    context = {
        "surveys": survey_list(),
        "form": form,
        "can_design": request.user.has_perm("surveys.add_survey"),
    }
    return render(request, "surveys/list.html", context)


@require_POST
@requires("surveys.add_survey")
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            survey = services.survey_create(**form.cleaned_data, by=request.user)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("surveys:detail", code=survey.code)
    context = {"surveys": survey_list(), "form": form, "can_design": True}
    return render(request, "surveys/list.html", context, status=422)


@require_POST
@requires("surveys.add_survey")
def survey_templates_install(request: HttpRequest) -> HttpResponse:
    created = services.survey_install_templates(by=request.user)
    messages.success(request, _("%(n)s built-in survey(s) installed.") % {"n": len(created)})
    return redirect("surveys:list")


def _detail_context(request: HttpRequest, survey: Survey, **extra) -> dict:
    survey.refresh_from_db()
    version = survey.current_version
    return {
        "survey": survey,
        "version": version,
        "versions": survey_versions(survey),
        "questions": version_questions(version) if version else [],
        "can_edit": request.user.has_perm("surveys.change_survey"),
        "add_form": extra.pop("add_form", None) or QuestionForm(initial={"required": True}),
        **extra,
    }


@requires("surveys.view_survey")
def survey_detail(request: HttpRequest, code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    return render(request, "surveys/detail.html", _detail_context(request, survey))


def _questions_response(request: HttpRequest, survey: Survey, status: int = 200, **extra):
    context = _detail_context(request, survey, **extra)
    template = "surveys/partials/questions.html" if request.htmx else "surveys/detail.html"
    return render(request, template, context, status=status)


@require_POST
@requires("surveys.change_survey")
def question_add(request: HttpRequest, code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.survey_add_question(survey=survey, spec=form.spec(), by=request.user)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return _questions_response(request, survey)
    return _questions_response(request, survey, status=422, add_form=form)


@requires("surveys.change_survey")
def question_edit(request: HttpRequest, code: str, question_code: str) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("current_version"), code=code)
    question = get_object_or_404(survey.current_version.questions, code=question_code)
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            changes = form.spec()
            changes.pop("code", None)
            try:
                services.survey_edit_question(
                    survey=survey, code=question_code, changes=changes, by=request.user
                )
            except DomainError as error:
                _form_errors(form, error)
            else:
                return _questions_response(request, survey)
    else:
        form = QuestionForm.for_question(question)
    context = {"survey": survey, "question": question, "form": form}
    template = (
        "surveys/partials/question_form.html" if request.htmx else "surveys/question_edit.html"
    )
    return render(request, template, context, status=422 if form.errors else 200)


@require_POST
@requires("surveys.change_survey")
def question_delete(request: HttpRequest, code: str, question_code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    try:
        services.survey_remove_question(survey=survey, code=question_code, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return _questions_response(request, survey)


@require_POST
@requires("surveys.change_survey")
def question_move(request: HttpRequest, code: str, question_code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.survey_move_question(
            survey=survey, code=question_code, offset=offset, by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _questions_response(request, survey)


@requires("surveys.view_survey")
def survey_preview(request: HttpRequest, code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    version = survey.current_version
    number = request.GET.get("version", "")
    if number.isdigit():
        version = get_object_or_404(survey.versions, number=int(number))
    lang = "en" if (get_language() or "").startswith("en") else "zh-hans"
    context = {
        "survey": survey,
        "version": version,
        "fields": question_fields(version_questions(version)) if version else [],
        "preview": True,
        "lang": lang,
        "greeting_name": "",
    }
    return render(request, "surveys/preview.html", context)


# --------------------------------------------------------------------------- campaigns


@requires("surveys.view_campaign")
def campaign_index(request: HttpRequest) -> HttpResponse:
    listing = paginate(request, campaign_list().order_by("-created_at"), 50)
    context = {
        "page": listing.page,
        "query": listing.query,
        "can_run": request.user.has_perm("surveys.add_campaign"),
    }
    return render(request, "surveys/campaigns.html", context)


@requires("surveys.add_campaign")
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_create(values=form.values(), by=request.user)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("surveys:campaign", code=campaign.code)
    status = 422 if form.errors else 200
    return render(request, "surveys/campaign_new.html", {"form": form}, status=status)


@requires("surveys.view_campaign")
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("survey_version__survey"), code=code
    )
    rates = campaign_stratum_rates(campaign)
    context = {
        "campaign": campaign,
        "rates": rates,
        "check": campaign_representativeness(campaign, rates=rates),
        "totals": {
            "sent": sum(r.sent for r in rates),
            "responded": sum(r.responded for r in rates),
        },
        "can_run": request.user.has_perm("surveys.change_campaign"),
        "states": CampaignState,
    }
    context.update(wave_views.wave_context(campaign, request.user))
    return render(request, "surveys/campaign_detail.html", context)


ACTIONS = {
    "draw": campaigns.campaign_draw_sample,
    "send": campaigns.campaign_send,
    "remind": campaigns.campaign_remind,
    "release": campaigns.campaign_release_reserve,
    "close": campaigns.campaign_close,
}


def _action_message(action: str, result: object) -> str:
    if action == "draw":
        return _("Sample drawn: %(n)s invitations and %(r)s in reserve.") % {
            "n": result.invitations,
            "r": result.reserve,
        }
    if action == "close":
        return _("Campaign closed.")
    texts = {
        "send": _("%(n)s invitation(s) sent."),
        "remind": _("%(n)s reminder(s) sent."),
        "release": _("%(n)s reserve invitation(s) sent."),
    }
    return texts[action] % {"n": result}


@require_POST
@requires("surveys.change_campaign")
def campaign_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, code=code)
    if action not in ACTIONS:
        raise PermissionDenied
    try:
        result = ACTIONS[action](campaign=campaign)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _action_message(action, result))
        for note in getattr(result, "notes", ()):
            messages.warning(request, note)
    return redirect("surveys:campaign", code=campaign.code)


# --------------------------------------------------------------------------- call list


@requires("surveys.enter_answers")
def call_index(request: HttpRequest) -> HttpResponse:
    listing = paginate(request, call_list(), 50)
    return render(request, "surveys/calls.html", {"page": listing.page, "query": listing.query})


@requires("surveys.enter_answers")
def call_entry(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(call_list().select_related("customer__tier"), pk=invitation_id)
    questions = version_questions(invitation.survey_version)
    answers, errors = {}, {}
    if request.method == "POST":
        answers = answers_from_form(questions, request.POST)
        try:
            services.response_submit(
                invitation=invitation,
                answers=answers,
                channel=ResponseChannel.CALL,
                entered_by=request.user,
                language=get_language() or "",
            )
        except AnswersInvalid as error:
            errors = error.errors
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("surveys:calls")
        else:
            messages.success(request, _("Answers saved. Thank you."))
            return redirect("surveys:calls")
    lang = "en" if (get_language() or "").startswith("en") else "zh-hans"
    context = {
        "invitation": invitation,
        "survey": invitation.survey_version.survey,
        "fields": question_fields(questions, answers, errors),
        "errors": errors,
        "preview": False,
        "lang": lang,
    }
    return render(request, "surveys/call_entry.html", context, status=422 if errors else 200)


# --------------------------------------------------------------------------- follow-ups


@requires("surveys.change_followup")
def follow_up_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", FollowUpStatus.OPEN)
    if status not in FollowUpStatus.values and status != "all":
        status = FollowUpStatus.OPEN
    mine = request.GET.get("mine") == "1"
    rows = follow_up_list(
        status="" if status == "all" else status, owner_id=request.user.pk if mine else None
    )
    listing = paginate(request, rows, 50)
    context = {
        "page": listing.page,
        "query": listing.query,
        "status": status,
        "mine": mine,
        "statuses": FollowUpStatus.choices,
        "done_form": FollowUpDoneForm(),
    }
    return render(request, "surveys/follow_ups.html", context)


@require_POST
@requires("surveys.change_followup")
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp, pk=pk)
    form = FollowUpDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.followup_complete(follow_up=follow_up, by=request.user, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Follow-up marked done."))
    return redirect("surveys:follow_ups")
