"""The customer's own pages under ``/c/``: no login, Chinese by default (``?lang=en``), built
for a phone's screen and WeChat's browser, and fully usable without JavaScript.

* ``/c/`` → ``/c/new`` → ``/c/done``: choose complaint, suggestion or praise and give a mobile
  number; a one-time code goes to it; with the code, the words and optional photos or PDFs the
  customer files it and gets the ticket number and when to expect a first reply.
* ``/c/status`` → ``/c/status/verify`` → ``/c/status/view``: a ticket number and the last 4
  digits of the number on file send a code to that number; with it the customer sees the
  state, the next step and its expected time, and the promises made — nothing else.

What is in progress lives in the (anonymous) session: the number being verified, the ticket
being looked up. The answer to a wrong ticket number or tail is the same as to a right one, so
the page tells nobody which tickets exist.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from yuqi.channels import codes, services
from yuqi.channels.attachments import MAX_FILES, attachments_check, max_bytes
from yuqi.channels.choices import CodePurpose, IntakeKind
from yuqi.channels.forms import CodeForm, DetailsForm, PhoneForm, StartForm, StatusForm
from yuqi.channels.throttle import allow, client_address
from yuqi.core.access import public
from yuqi.core.clock import now
from yuqi.core.errors import DomainError

LANGUAGES = ("zh-hans", "en")
INTAKE_KEY = "yuqi_intake"
DONE_KEY = "yuqi_intake_done"
STATUS_KEY = "yuqi_status"
SHOWN_KEY = "yuqi_status_ok"
STATUS_MINUTES = 15
#: Posts of the complaint form per client address and 10 minutes.
POSTS_PER_WINDOW = 10
POST_WINDOW = 600


def _language(request: HttpRequest) -> str:
    wanted = request.POST.get("lang") or request.GET.get("lang") or "zh-hans"
    return wanted if wanted in LANGUAGES else "zh-hans"


def _to(name: str, lang: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?lang={lang}")


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"channels/public/{template}", context, status=status)


def _too_many(request: HttpRequest, lang: str, message: str) -> HttpResponse:
    return _page(request, "problem.html", {"lang": lang, "message": message}, status=429)


def _body_too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_FILES * max_bytes() + 256 * 1024


# ----------------------------------------------------------------------------- intake
@public
@never_cache
def intake_start(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        form = StartForm(request.POST or None, initial={"kind": request.GET.get("kind")})
        status = 200
        if request.method == "POST" and form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                codes.code_send(
                    phone=phone,
                    purpose=CodePurpose.INTAKE,
                    client=client_address(request),
                    language=lang,
                )
            except codes.Throttled as exc:
                form.add_error("phone", exc.message)
                status = 429
            else:
                request.session[INTAKE_KEY] = {
                    "phone": phone,
                    "kind": form.cleaned_data["kind"],
                    "at": now().timestamp(),
                }
                return _to("channels_public:intake_details", lang)
        elif request.method == "POST":
            status = 422
        return _page(request, "start.html", {"form": form, "lang": lang}, status)


@public
@never_cache
def intake_details(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        pending = request.session.get(INTAKE_KEY)
        if not pending:
            return _to("channels_public:intake", lang)
        if request.method == "POST":
            if not allow(
                f"intake-post:{client_address(request)}",
                limit=POSTS_PER_WINDOW,
                seconds=POST_WINDOW,
            ):
                return _too_many(
                    request,
                    lang,
                    _("Too many submissions from your network. Please try again later."),
                )
            if _body_too_big(request):
                return _page(
                    request,
                    "problem.html",
                    {
                        "lang": lang,
                        "message": _("The files are too large: at most 3 files of 5 MB."),
                    },
                    status=413,
                )
        form = DetailsForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            status = 422
            if form.is_valid():
                response = _file(request, form, pending, lang)
                if response is not None:
                    return response
        context = {
            "form": form,
            "lang": lang,
            "kind": pending["kind"],
            "kind_label": IntakeKind(pending["kind"]).label,
            "phone_tail": pending["phone"][-4:],
        }
        return _page(request, "details.html", context, status)


def _file(request: HttpRequest, form: DetailsForm, pending: dict, lang: str) -> HttpResponse | None:
    """Check the code, the files, then file it; None (errors on the form) when refused."""
    try:
        files = attachments_check(form.cleaned_data["attachments"])
    except DomainError as exc:
        form.add_error("attachments", exc.message)
        return None
    check = codes.code_check(
        phone=pending["phone"], purpose=CodePurpose.INTAKE, code=form.cleaned_data["code"]
    )
    if not check.ok:
        form.add_error("code", _code_message(check))
        return None
    try:
        result = services.intake_submit(
            phone=pending["phone"],
            kind=pending["kind"],
            text=form.cleaned_data["text"],
            name=form.cleaned_data["name"],
            language=lang,
            files=files,
        )
    except DomainError as exc:
        form.add_error("text" if exc.field == "text" else None, exc.message)
        return None
    request.session.pop(INTAKE_KEY, None)
    request.session[DONE_KEY] = {
        "kind": result.kind,
        "number": result.number,
        "due": result.first_response_due.isoformat() if result.first_response_due else "",
    }
    return _to("channels_public:intake_done", lang)


def _code_step(
    request: HttpRequest,
    *,
    purpose: str,
    phone: Callable[[], str],
    ticket_number: str = "",
) -> tuple[CodeForm, codes.CodeCheck | None]:
    """The code form of a verification step, and for a valid post the check of its code
    against the newest code sent to ``phone()`` (read only then; "" checks as ``missing``);
    None when there is nothing to check (a GET, or a form with errors)."""
    form = CodeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return form, None
    number = phone()
    if not number:
        return form, codes.CodeCheck("missing")
    check = codes.code_check(
        phone=number, purpose=purpose, code=form.cleaned_data["code"], ticket_number=ticket_number
    )
    return form, check


def _code_message(check: codes.CodeCheck) -> str:
    if check.outcome == "wrong":
        return _("The code is not right. %(n)s tries left.") % {"n": check.tries_left}
    if check.outcome == "locked":
        return _("Too many wrong codes: this code no longer works. Please ask for a new one later.")
    if check.outcome == "expired":
        return _("The code has expired. Please ask for a new one.")
    return _("Please ask for a code first.")


@public
@never_cache
def intake_done(request: HttpRequest) -> HttpResponse:
    from django.utils.dateparse import parse_datetime

    lang = _language(request)
    with translation.override(lang):
        done = request.session.get(DONE_KEY)
        if not done:
            return _to("channels_public:intake", lang)
        context = {
            "lang": lang,
            "kind": done["kind"],
            "number": done["number"],
            "due": parse_datetime(done["due"]) if done["due"] else None,
        }
        return _page(request, "done.html", context)


# ----------------------------------------------------------------------------- status
@public
@never_cache
def status_start(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        form = StatusForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            number, tail = form.cleaned_data["number"], form.cleaned_data["tail"]
            client = client_address(request)
            if not (
                allow(f"status-client:{client}", limit=10, seconds=3600)
                and allow(f"status-ticket:{number}", limit=5, seconds=3600)
            ):
                return _too_many(request, lang, _("Too many look-ups. Please try again later."))
            phone = services.ticket_phone(number)
            if phone and phone.endswith(tail):
                # A throttled request is answered as any other: the code sent earlier works.
                with contextlib.suppress(codes.Throttled):
                    codes.code_send(
                        phone=phone,
                        purpose=CodePurpose.STATUS,
                        client=client,
                        language=lang,
                        ticket_number=number,
                    )
            request.session[STATUS_KEY] = {"number": number}
            return _to("channels_public:status_verify", lang)
        if request.method == "POST":
            status = 422
        return _page(request, "status_start.html", {"form": form, "lang": lang}, status)


@public
@never_cache
def status_verify(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        pending = request.session.get(STATUS_KEY)
        if not pending:
            return _to("channels_public:status", lang)
        form, check = _code_step(
            request,
            purpose=CodePurpose.STATUS,
            phone=lambda: services.ticket_phone(pending["number"]),
            ticket_number=pending["number"],
        )
        status = 422 if request.method == "POST" else 200
        if check is not None:
            if check.ok:
                request.session.pop(STATUS_KEY, None)
                request.session[SHOWN_KEY] = {
                    "number": pending["number"],
                    "until": now().timestamp() + STATUS_MINUTES * 60,
                }
                return _to("channels_public:status_view", lang)
            # One answer whatever went wrong, so it never tells whether the ticket
            # number and the digits were right (a code was sent) or not.
            form.add_error("code", _("The code is not right or no longer works."))
        context = {"form": form, "lang": lang, "number": pending["number"]}
        return _page(request, "status_verify.html", context, status)


@public
@never_cache
def status_show(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        shown = request.session.get(SHOWN_KEY)
        if not shown or shown.get("until", 0) < now().timestamp():
            request.session.pop(SHOWN_KEY, None)
            return _to("channels_public:status", lang)
        view = services.status_view(shown["number"])
        if view is None:
            return _to("channels_public:status", lang)
        return _page(request, "status_view.html", {"lang": lang, "view": view})


# ----------------------------------------------------------------------------- opt-out
STOP_KEY = "yuqi_stop"


@public
@never_cache
def stop_start(request: HttpRequest) -> HttpResponse:
    """ "Stop sending me notices": a code to the number proves it is the customer's."""
    lang = _language(request)
    with translation.override(lang):
        form = PhoneForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                codes.code_send(
                    phone=phone,
                    purpose=CodePurpose.OPT_OUT,
                    client=client_address(request),
                    language=lang,
                )
            except codes.Throttled as exc:
                form.add_error("phone", exc.message)
                status = 429
            else:
                request.session[STOP_KEY] = {"phone": phone}
                return _to("channels_public:stop_confirm", lang)
        elif request.method == "POST":
            status = 422
        return _page(request, "stop_start.html", {"form": form, "lang": lang}, status)


@public
@never_cache
def stop_confirm(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        pending = request.session.get(STOP_KEY)
        if not pending:
            return _to("channels_public:stop", lang)
        form, check = _code_step(
            request, purpose=CodePurpose.OPT_OUT, phone=lambda: pending["phone"]
        )
        status, done = (422 if request.method == "POST" else 200), False
        if check is not None:
            if check.ok:
                services.notice_opt_out_by_phone(phone=pending["phone"])
                request.session.pop(STOP_KEY, None)
                status, done = 200, True
            else:
                form.add_error("code", _code_message(check))
        context = {"form": form, "lang": lang, "done": done}
        return _page(request, "stop_confirm.html", context, status)
