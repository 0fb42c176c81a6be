"""Pages for the privacy officer (manager role): requests with due dates, identity check,
export, correction, erasure with confirmation, the consent ledger and the record of
processing activities. Thin: forms → services."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.clock import now
from yuqi.core.downloads import table_response
from yuqi.core.errors import DomainError
from yuqi.privacy import selectors, services
from yuqi.privacy.facade import personal_data_sources
from yuqi.privacy.forms import (
    ConsentForm,
    CorrectionForm,
    ErasureForm,
    IdentityForm,
    RefuseForm,
    RequestForm,
)
from yuqi.privacy.models import PrivacyRequest, Purpose, RequestKind, RequestStatus

app_name = "privacy"

VIEW = "privacy.view_privacyrequest"
HANDLE = "privacy.change_privacyrequest"
ERASE = "privacy.erase_personal_data"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(ref: str) -> str:
    return "privacy-" + (re.sub(r"[^A-Za-z0-9_-]", "_", ref)[:64] or "customer")


@requires(VIEW)
def request_list(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("privacy.add_privacyrequest"):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                created = services.privacy_request_create(
                    customer_ref=form.cleaned_data["customer"],
                    kind=form.cleaned_data["kind"],
                    channel=form.cleaned_data["channel"],
                    details=form.cleaned_data["details"],
                    by=request.user,
                )
            except DomainError as exc:
                form.add_error("customer", exc.message)
            else:
                messages.success(request, _("Request %(n)s logged.") % {"n": created.number})
                return redirect("privacy:request", pk=created.pk)
    today = timezone.localdate(now())
    return render(
        request,
        "privacy/requests.html",
        {
            "form": form,
            "open": selectors.open_requests(),
            "recent": selectors.recent_requests(),
            "today": today,
            "overdue": selectors.overdue_count(today),
        },
    )


@requires(VIEW)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PrivacyRequest, pk=pk)
    labels = {source.name: str(source.label) for source in personal_data_sources()}
    return render(
        request,
        "privacy/request.html",
        {
            "item": item,
            "today": timezone.localdate(now()),
            "identity_form": IdentityForm(),
            "correction_form": CorrectionForm(),
            "erasure_form": ErasureForm(),
            "refuse_form": RefuseForm(),
            "open": item.status in (RequestStatus.RECEIVED, RequestStatus.VERIFIED),
            "is_deletion": item.kind == RequestKind.DELETION,
            "is_correction": item.kind == RequestKind.CORRECTION,
            "erasure": selectors.erasure_of(item.customer_id),
            "changed_rows": [
                (labels.get(name, name), rows)
                for name, rows in (item.outcome.get("erased_rows") or {}).items()
            ],
        },
    )


def _back(request: HttpRequest, item: PrivacyRequest, error: DomainError | None) -> HttpResponse:
    if error is not None:
        messages.error(request, error.message)
    return redirect("privacy:request", pk=item.pk)


@require_POST
@requires(HANDLE)
def request_verify(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PrivacyRequest, pk=pk)
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return _back(request, item, DomainError(_("Choose how the identity was checked.")))
    try:
        services.privacy_request_verify(
            request=item,
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as exc:
        return _back(request, item, exc)
    messages.success(request, _("Identity check recorded."))
    return _back(request, item, None)


@require_POST
@requires(HANDLE, "customers.view_personal_data")
def request_export(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PrivacyRequest, pk=pk)
    try:
        bundle = services.privacy_export(request=item, by=request.user)
    except DomainError as exc:
        return _back(request, item, exc)
    name = _filename(bundle.customer_ref)
    if request.POST.get("format") == "xlsx":
        response = HttpResponse(bundle.xlsx_bytes(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(bundle.json_bytes, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires(HANDLE, "customers.change_customer")
def request_correct(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PrivacyRequest, pk=pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _back(request, item, DomainError(_("Check the corrected values.")))
    changes = {k: v for k, v in form.cleaned_data.items() if v}
    try:
        changed = services.privacy_correct(request=item, changes=changes, by=request.user)
    except DomainError as exc:
        return _back(request, item, exc)
    messages.success(
        request, _("Corrected: %(fields)s.") % {"fields": ", ".join(changed) or _("nothing")}
    )
    return _back(request, item, None)


@require_POST
@requires(HANDLE, ERASE)
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PrivacyRequest, pk=pk)
    form = ErasureForm(request.POST)
    if not form.is_valid() or form.cleaned_data["confirm"].strip() != item.customer_ref:
        return _back(
            request, item, DomainError(_("Give a reason and type the customer id to confirm."))
        )
    try:
        outcome = services.privacy_erase(
            request=item, reason=form.cleaned_data["reason"], by=request.user
        )
    except DomainError as exc:
        return _back(request, item, exc)
    messages.success(
        request,
        _("Customer %(ref)s erased: %(rows)d records changed.")
        % {"ref": item.customer_ref, "rows": sum(outcome.rows.values())},
    )
    for note in outcome.notes:
        messages.warning(request, note)
    return _back(request, item, None)


@require_POST
@requires(HANDLE)
def request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PrivacyRequest, pk=pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _back(request, item, DomainError(_("Give the reason for refusing.")))
    try:
        services.privacy_request_refuse(
            request=item, reason=form.cleaned_data["reason"], by=request.user
        )
    except DomainError as exc:
        return _back(request, item, exc)
    return _back(request, item, None)


@requires("privacy.view_consententry")
def consent(request: HttpRequest) -> HttpResponse:
    ref = (request.GET.get("customer") or request.POST.get("customer") or "").strip()[:64]
    form = ConsentForm(request.POST or None, initial={"customer": ref})
    if request.method == "POST":
        if not request.user.has_perm("privacy.add_consententry"):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.consent_record(
                    customer_ref=form.cleaned_data["customer"],
                    purpose=form.cleaned_data["purpose"],
                    given=form.cleaned_data["given"],
                    source=form.cleaned_data["source"],
                    by=request.user,
                )
            except DomainError as exc:
                form.add_error("customer", exc.message)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect(f"{request.path}?customer={form.cleaned_data['customer']}")
    states, history, found = {}, [], None
    if ref:
        found = services.customer_identity_or_none(ref)
        if found is not None:
            labels = dict(Purpose.choices)
            states = {
                str(labels.get(purpose, purpose)): given
                for purpose, given in selectors.consent_states(found).items()
            }
            history = list(selectors.consent_history(found)[:100])
    return render(
        request,
        "privacy/consent.html",
        {"form": form, "ref": ref, "found": found, "states": states, "history": history},
    )


@requires(VIEW)
def activities(request: HttpRequest) -> HttpResponse:
    lines = services.processing_activities()
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return table_response(
            "processing-activities",
            [_("Data"), _("Purpose"), _("Categories"), _("Retention")],
            [(a.label, a.purpose, a.categories, a.retention) for a in lines],
            fmt=fmt,
        )
    return render(request, "privacy/activities.html", {"lines": lines})


urlpatterns = [
    path("", request_list, name="requests"),
    path("<int:pk>/", request_detail, name="request"),
    path("<int:pk>/identity/", request_verify, name="verify"),
    path("<int:pk>/export/", request_export, name="export"),
    path("<int:pk>/correct/", request_correct, name="correct"),
    path("<int:pk>/erase/", request_erase, name="erase"),
    path("<int:pk>/refuse/", request_refuse, name="refuse"),
    path("consent/", consent, name="consent"),
    path("activities/", activities, name="activities"),
]
