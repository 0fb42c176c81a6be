from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from yuqi.commitments.choices import CommitmentKind, CommitmentStatus
from yuqi.commitments.models import Commitment, Perk
from yuqi.commitments.selectors import CommitmentFilter
from yuqi.core.api_types import NOTE_TEXT

TABS = (
    ("due_today", _("Due today")),
    ("overdue", _("Overdue")),
    ("approval", _("Awaiting approval")),
    ("broken", _("Broken by agent")),
    ("all", _("All")),
)


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CommitmentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *CommitmentKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CommitmentStatus.choices]
    )
    agent = forms.TypedChoiceField(label=_("Promised by"), required=False, coerce=int)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        promisers = Commitment.objects.values("promised_by").distinct()
        users = get_user_model().objects.filter(pk__in=promisers).order_by("username")
        self.fields["agent"].choices = [("", _("All"))] + [(u.pk, str(u)) for u in users]

    def to_filter(self, user: Any) -> CommitmentFilter:
        if not self.is_valid():
            return CommitmentFilter()
        data = self.cleaned_data
        agent_id = user.pk if data.get("mine") else data.get("agent") or None
        return CommitmentFilter(
            kind=data.get("kind") or "", status=data.get("status") or "", agent_id=agent_id
        )


class CommitmentForm(forms.Form):
    """Record a promise; ``due_at`` blank takes the guard's suggested due (standard + buffer)."""

    customer = forms.CharField(widget=forms.HiddenInput)
    complaint = forms.IntegerField(widget=forms.HiddenInput, required=False)
    interaction = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentKind.choices)
    text = forms.CharField(
        label=_("What was promised"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("Leave blank to take the suggested due time (standard plus margin)."),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    department = forms.CharField(label=_("Department"), required=False, max_length=80)
    perk = forms.ChoiceField(label=_("Perk"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        perks = Perk.objects.select_related("min_tier").order_by("min_tier__rank", "code")
        self.fields["perk"].choices = [("", _("None"))] + [
            (p.code, f"{p} ({p.min_tier}+)") for p in perks
        ]


class FulfilForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What shows the promise was kept: a work order, a refund number, a call."),
    )
    evidence_file = forms.CharField(label=_("Attachment name"), required=False, max_length=255)


class RenegotiateForm(forms.Form):
    due_at = forms.DateTimeField(label=_("New due"), widget=_datetime_widget())
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
