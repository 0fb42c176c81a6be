"""The supervisor's actions on the ticket page that the API had and the page lacked: approve or
reject compensation awaiting approval (four eyes, :func:`services.complaint_approve_recovery`),
reopen a closed ticket (:func:`services.complaint_reopen`) and edit the ticket's details
(account, demand, category, channel: :func:`services.complaint_update`, as the API's PATCH).
Shown by ``complaints/partials/ticket_supervisor.html`` (one include in the ticket body);
handled through the ticket page's ``ACTIONS`` table like every other action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints import services
from yuqi.complaints.choices import ComplaintState, RecoveryStatus, SourceChannel
from yuqi.complaints.models import Complaint, ComplaintCategory, RecoveryAction
from yuqi.core.api_types import LONG_TEXT, NOTE_TEXT
from yuqi.core.errors import DomainError
from yuqi.core.form_html import ARGUMENTS_ONLY, DeferredForm, choices_key
from yuqi.domain.complaint_workflow import allowed_targets

APPROVE = "complaints.approve_compensation"
WORK = "complaints.change_complaint"
REASON_MAX = 500


class RecoveryDecisionForm(forms.Form):
    recovery = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        choices=(("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject")))
    )
    note = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=REASON_MAX)


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    target = forms.ChoiceField(label=gettext_lazy("Reopen into"))
    reason = forms.CharField(label=gettext_lazy("Why is it reopened?"), max_length=REASON_MAX)

    def __init__(self, *args: Any, state: str = ComplaintState.CLOSED, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ComplaintState.choices)
        self.fields["target"].choices = [
            (t, labels[t])
            for t in allowed_targets(state)
            if t in (ComplaintState.INVESTIGATING, ComplaintState.RECOVERY)
        ]

    draw_key = ARGUMENTS_ONLY  # its choices come from its state argument (DeferredForm)


class DetailsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Source channel"), choices=SourceChannel.choices)
    account = forms.CharField(
        label=gettext_lazy("The customer's account"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    demand = forms.CharField(
        label=gettext_lazy("Demand (诉求)"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from yuqi.complaints.forms import category_choices

        self.fields["category"].choices = [("", "—"), *category_choices()]

    @classmethod
    def draw_key(cls) -> tuple:
        """What the drawing reads beyond the class and its arguments (``DeferredForm``)."""
        from yuqi.complaints.forms import category_choices

        return choices_key(category_choices())


def supervisor_context(request: HttpRequest, ticket: Complaint, recovery: list[Any]) -> dict:
    """What the partial needs: pending compensation (for approvers) and the reopen form."""
    user = request.user
    may_approve = user.has_perm(APPROVE)
    pending = [a for a in recovery if a.status == RecoveryStatus.PENDING]
    closed = ticket.state == ComplaintState.CLOSED
    return {
        "may_approve": may_approve,
        "pending_recovery": pending if may_approve else [],
        # built only when their drawing is not kept (yuqi.core.form_html)
        "reopen_form": DeferredForm(
            ReopenForm, initial={"version": ticket.version}, state=ticket.state
        )
        if closed and user.has_perm(WORK)
        else None,
        "details_form": DeferredForm(
            DetailsForm,
            initial={
                "version": ticket.version,
                "category": ticket.category.code if ticket.category else "",
                "channel": ticket.channel,
                "account": ticket.account,
                "demand": ticket.demand,
            },
        )
        if not closed and user.has_perm(WORK)
        else None,
    }


def _valid(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise DomainError(
            "; ".join(
                f"{form.fields[name].label or name}: {' '.join(errs)}"
                if name in form.fields
                else " ".join(errs)
                for name, errs in form.errors.items()
            )
        )
    return form.cleaned_data


def do_recovery_decision(request: HttpRequest, ticket: Complaint) -> str:
    """Approve or reject one pending recovery action; the right is checked before the form."""
    if not request.user.has_perm(APPROVE):
        raise PermissionDenied
    data = _valid(RecoveryDecisionForm(request.POST))
    approve = data["decision"] == "approve"
    if not approve and not data["note"].strip():
        raise DomainError(_("Give a reason for the rejection."), field="note")
    action = get_object_or_404(RecoveryAction, pk=data["recovery"], complaint=ticket)
    services.complaint_approve_recovery(
        action=action, by=request.user, approve=approve, note=data["note"]
    )
    return _("Compensation approved.") if approve else _("Compensation rejected.")


def do_reopen(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(ReopenForm(request.POST, state=ticket.state))
    services.complaint_reopen(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        reason=data["reason"],
        target=data["target"],
    )
    return _("Reopened.")


def do_details(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(DetailsForm(request.POST))
    category = (
        ComplaintCategory.objects.filter(code=data["category"]).first()
        if data["category"]
        else None
    )
    services.complaint_update(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        changes={
            "account": data["account"],
            "demand": data["demand"],
            "category": category,
            "channel": data["channel"],
        },
    )
    return _("Details saved.")
