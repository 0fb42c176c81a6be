from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from yuqi.improvement.models import LinkKind, MeasureKind, Outcome

MAX_TEXT = 4000


def _users() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("username")


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    plan = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_users())
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", "—"), ("A", "A"), ("B", "B"), ("C", "C")]
    )
    measure_kind = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", "—"), *MeasureKind.choices]
    )
    measure_ref = forms.CharField(
        label=_("Measure detail"),
        max_length=80,
        required=False,
    )
    baseline_start = forms.DateField(
        label=_("Baseline from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    baseline_end = forms.DateField(
        label=_("Baseline to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line as kind:code, e.g. expectation:fast-refund or root_cause:process"
        ),
    )
    source = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)

    def clean_links(self) -> list[tuple[str, str]]:
        pairs = []
        for line in (self.cleaned_data.get("links") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            kind, sep, ref = line.partition(":")
            if not sep or kind not in LinkKind.values or not ref.strip() or len(ref) > 80:
                raise forms.ValidationError(_("Unknown link: %(line)s") % {"line": line[:100]})
            pairs.append((kind, ref.strip()))
        if len(pairs) > 30:
            raise forms.ValidationError(_("At most 30 links."))
        return pairs


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_users())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckForm(forms.Form):
    after_start = forms.DateField(
        label=_("After from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    after_end = forms.DateField(
        label=_("After to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RangeForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.CharField(label=_("Category"), required=False, max_length=40)
    team = forms.CharField(label=_("Team (queue)"), required=False, max_length=40)

    def range(self, today: date) -> tuple[date, date]:
        from datetime import timedelta

        end = today
        start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        start = (start - timedelta(days=1)).replace(day=1)  # three months
        if self.is_valid():
            start = self.cleaned_data.get("date_from") or start
            end = self.cleaned_data.get("date_to") or end
        if end < start:
            start, end = end, start
        if (end - start).days > 731:
            start = end - timedelta(days=731)
        return start, end
