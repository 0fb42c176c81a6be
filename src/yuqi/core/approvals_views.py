"""The approvals inbox page (``/approvals/``): what awaits the user's decision from every
context registered in :mod:`yuqi.core.approvals`, approved or rejected on the page.

The page answers HTMX posts with the inbox body (``core/partials/approvals.html``) and plain
posts with a redirect (success) or the page with the refusal (status 400/403/409)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.approvals import approval_source, inbox_for
from yuqi.core.errors import DomainError

#: The inbox is for approvers: the roles that hold this permission hold every source's
#: permission too (``accounts.roles`` ``_APPROVE``); each source still checks its own.
INBOX = "commitments.approve_commitment"
REASON_MAX = 500


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=(("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=REASON_MAX, strip=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Give a reason for the rejection."))
        return data


def _context(request: HttpRequest, notice: dict[str, str] | None = None) -> dict[str, Any]:
    sections = inbox_for(request.user)
    return {
        "sections": sections,
        "total": sum(len(s.items) for s in sections),
        "notice": notice,
        "reason_max": REASON_MAX,
    }


def _render(request: HttpRequest, notice: dict[str, str] | None, status: int) -> HttpResponse:
    template = "core/partials/approvals.html" if request.htmx else "core/approvals.html"
    return render(
        request, template, _context(request, notice), status=200 if request.htmx else status
    )


@requires(INBOX)
def approvals_inbox(request: HttpRequest) -> HttpResponse:
    """Everything awaiting the user's decision, grouped by source, oldest first."""
    return _render(request, None, 200)


@require_POST
@requires(INBOX)
def approval_decide(request: HttpRequest, source: str, item_id: int) -> HttpResponse:
    """Approve or reject one item; the source's permission is checked before the form is read,
    the context's service keeps the four-eyes rule and answers with a refusal otherwise."""
    found = approval_source(source)
    if found is None:
        raise Http404
    if not request.user.has_perm(found.permission):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        text = "; ".join(" ".join(errors) for errors in form.errors.values())
        return _render(request, {"level": "error", "text": text}, 400)
    data = form.cleaned_data
    try:
        text = found.decide(request.user, item_id, data["decision"] == "approve", data["reason"])
    except DomainError as exc:
        status = 403 if exc.code == "forbidden" else 409 if exc.code == "conflict" else 400
        return _render(request, {"level": "error", "text": exc.message}, status)
    if request.htmx:
        return _render(request, {"level": "success", "text": text}, 200)
    messages.success(request, text)
    return redirect("core:approvals")
