"""The public survey page ``/s/<token>/``: no login, Chinese by default (``?lang=en``).

The page never shows personal data beyond a greeting by family name. Question texts are
rendered through Django's autoescaping only, so HTML in a question shows as text.
Statuses: unknown or tampered link 404, expired 410, already answered 409.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from yuqi.core.access import public
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.surveys import services
from yuqi.surveys.choices import ResponseChannel
from yuqi.surveys.models import Invitation
from yuqi.surveys.presenters import question_fields
from yuqi.surveys.selectors import invitation_by_token, version_questions
from yuqi.surveys.services import AnswersInvalid
from yuqi.surveys.validation import answers_from_form

LANGUAGES = ("zh-hans", "en")
STATUS = {"invalid": 404, "expired": 410, "already_answered": 409}


def _language(request: HttpRequest) -> str:
    wanted = request.POST.get("lang") or request.GET.get("lang") or "zh-hans"
    return wanted if wanted in LANGUAGES else "zh-hans"


def _problem(request: HttpRequest, token: str, problem: str, lang: str) -> HttpResponse:
    context = {"problem": problem, "lang": lang, "token": token if problem != "invalid" else ""}
    return render(request, "surveys/public/problem.html", context, status=STATUS[problem])


def _state(invitation: Invitation | None) -> str:
    if invitation is None:
        return "invalid"
    if invitation.answered_at is not None:
        return "already_answered"
    if invitation.expires_at <= now():
        return "expired"
    return "open"


@public
@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        invitation = invitation_by_token(token)
        state = _state(invitation)
        if state != "open":
            return _problem(request, token, state, lang)
        questions = version_questions(invitation.survey_version)
        answers, errors = {}, {}
        if request.method == "POST":
            answers = answers_from_form(questions, request.POST)
            try:
                services.response_submit(
                    invitation=invitation,
                    answers=answers,
                    channel=ResponseChannel.WEB,
                    language=lang,
                )
            except AnswersInvalid as error:
                errors = error.errors
            except DomainError as error:
                return _problem(request, token, error.code, lang)
            else:
                return redirect(f"{reverse('survey_public:thanks', args=[token])}?lang={lang}")
        else:
            services.invitation_mark_opened(invitation=invitation)
        context = {
            "survey": invitation.survey_version.survey,
            "greeting_name": invitation.greeting_name,
            "fields": question_fields(questions, answers, errors),
            "errors": errors,
            "lang": lang,
            "token": token,
            "preview": False,
        }
        return render(request, "surveys/public/answer.html", context, status=422 if errors else 200)


@public
@never_cache
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        invitation = invitation_by_token(token)
        state = _state(invitation)
        if state == "open":
            return redirect(f"{reverse('survey_public:answer', args=[token])}?lang={lang}")
        if state != "already_answered":
            return _problem(request, token, state, lang)
        return render(request, "surveys/public/thanks.html", {"lang": lang, "token": token})


@public
@never_cache
def survey_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """ "Do not survey me again": asked on a page, done by a POST (any known link works)."""
    lang = _language(request)
    with translation.override(lang):
        invitation = invitation_by_token(token)
        if invitation is None:
            return _problem(request, token, "invalid", lang)
        done = False
        if request.method == "POST":
            services.survey_opt_out(customer_id=invitation.customer_id, reason="survey link")
            done = True
        context = {"lang": lang, "token": token, "done": done}
        return render(request, "surveys/public/opt_out.html", context)
