"""Forms of the designer and campaign pages: they only parse input into service arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.surveys.choices import (
    AllocationMethod,
    InvitationChannel,
    QuestionType,
    SampleSizeMode,
    ServqualDimension,
    StrataField,
    SurveyKind,
)
from yuqi.surveys.models import Question, Survey
from yuqi.surveys.validation import options_text, parse_options


class SurveyForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    title = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)
    intro = forms.CharField(
        label=_("Introduction (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    intro_en = forms.CharField(
        label=_("Introduction (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SCALE_CHOICES = [("1-5", "1–5"), ("1-7", "1–7"), ("0-10", "0–10")]


class QuestionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    text = forms.CharField(label=_("Text (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("Text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help = forms.CharField(label=_("Help (Chinese)"), required=False)
    help_en = forms.CharField(label=_("Help (English)"), required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    scale = forms.ChoiceField(label=_("Rating scale"), choices=SCALE_CHOICES, required=False)
    label_low = forms.CharField(label=_("Low end label (Chinese)"), required=False)
    label_low_en = forms.CharField(label=_("Low end label (English)"), required=False)
    label_high = forms.CharField(label=_("High end label (Chinese)"), required=False)
    label_high_en = forms.CharField(label=_("High end label (English)"), required=False)
    dimension = forms.ChoiceField(
        label=_("SERVQUAL dimension"),
        choices=[("", "—"), *ServqualDimension.choices],
        required=False,
    )
    feature = forms.SlugField(label=_("Kano feature code"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code | 中文 | English | value (optional)"),
    )

    @classmethod
    def for_question(cls, question: Question, **kwargs: Any) -> QuestionForm:
        scale = f"{question.scale_min}-{question.scale_max}" if question.scale_max else "1-5"
        initial = {
            name: getattr(question, name)
            for name in (
                "code", "type", "text", "text_en", "help", "help_en", "required", "label_low",
                "label_low_en", "label_high", "label_high_en", "dimension", "feature",
            )
        }  # fmt: skip
        initial.update(scale=scale, options=options_text(question.options))
        return cls(initial=initial, **kwargs)

    def spec(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        low, high = (int(x) for x in (data.pop("scale") or "1-5").split("-"))
        data["scale_min"], data["scale_max"] = low, high
        data["options"] = parse_options(data.get("options") or "")
        return data


class CampaignForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    survey = forms.ChoiceField(label=_("Survey"))
    tiers = forms.CharField(label=_("Tiers (codes, comma-separated)"), required=False)
    regions = forms.CharField(label=_("Regions (comma-separated)"), required=False)
    segments = forms.CharField(label=_("Segments (codes, comma-separated)"), required=False)
    contacted_within_days = forms.IntegerField(
        label=_("Contacted in the last N days"), required=False, min_value=1
    )
    complaints = forms.ChoiceField(
        label=_("Complaint history"),
        required=False,
        choices=[
            ("", _("Any customer")),
            ("any", _("Has complained")),
            ("none", _("Never complained")),
        ],
    )
    strata_fields = forms.MultipleChoiceField(
        label=_("Strata"),
        required=False,
        choices=StrataField.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sample_size_mode = forms.ChoiceField(label=_("Sample size"), choices=SampleSizeMode.choices)
    fixed_size = forms.IntegerField(
        label=_("Fixed number of invitations"), required=False, min_value=1
    )
    margin = forms.FloatField(label=_("Margin of error"), initial=0.05)
    confidence = forms.FloatField(label=_("Confidence"), initial=0.95)
    expected_response_rate = forms.FloatField(label=_("Expected response rate"), initial=0.3)
    allocation = forms.ChoiceField(label=_("Allocation"), choices=AllocationMethod.choices)
    min_per_stratum = forms.IntegerField(label=_("Minimum per stratum"), initial=0, min_value=0)
    prior_sds = forms.CharField(
        label=_("Prior standard deviations (Neyman)"),
        required=False,
        help_text=_("One per line: stratum = value, e.g. <code>tier=gold = 1.2</code>"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seed = forms.IntegerField(label=_("Random seed"), initial=20261129, min_value=0)
    exclude_opted_out = forms.BooleanField(
        label=_("Exclude opted-out customers"), required=False, initial=True
    )
    exclude_surveyed_days = forms.IntegerField(
        label=_("Exclude customers surveyed in the last N days"), initial=90, min_value=0
    )
    reserve_share = forms.FloatField(
        label=_("Reserve share"), initial=0.2, min_value=0, max_value=1
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=InvitationChannel.choices)
    expires_days = forms.IntegerField(label=_("Link valid (days)"), initial=14, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].choices = [
            (s.code, str(s)) for s in Survey.objects.filter(archived=False).order_by("code")
        ]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["population_filter"] = {
            key: data.pop(key)
            for key in ("tiers", "regions", "segments", "contacted_within_days", "complaints")
            if data.get(key) not in (None, "")
        }
        for key in ("tiers", "regions", "segments", "contacted_within_days", "complaints"):
            data.pop(key, None)
        sds = {}
        for line in (data.pop("prior_sds") or "").splitlines():
            key, sep, value = line.rpartition("=")
            if sep and key.strip():
                try:
                    sds[key.strip()] = float(value)
                except ValueError:
                    continue
        data["prior_sds"] = sds
        return data


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
