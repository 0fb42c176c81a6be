from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.knowledge.choices import ArticleKind, Audience
from yuqi.knowledge.models import BODY_MAX, TITLE_MAX, Category


def _codes(value: str) -> list[str]:
    return [v for v in value.replace("，", ",").replace(",", " ").split() if v]


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    title = forms.CharField(label=_("Title (Chinese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX, required=False)
    body = forms.CharField(
        label=_("Body (Chinese, Markdown)"), max_length=BODY_MAX, widget=forms.Textarea
    )
    body_en = forms.CharField(
        label=_("Body (English, Markdown)"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea,
    )
    tags = forms.CharField(label=_("Tags"), max_length=400, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    tiers = forms.CharField(
        label=_("Only for tiers (codes, blank: every customer)"), max_length=200, required=False
    )
    topics = forms.CharField(
        label=_("Complaint categories (taxonomy codes)"), max_length=400, required=False
    )
    outcomes = forms.CharField(label=_("Wanted outcomes"), max_length=200, required=False)
    review_by = forms.DateField(label=_("Review by"), required=False)
    effective_from = forms.DateField(label=_("In force from (policy wording)"), required=False)
    note = forms.CharField(label=_("Change note"), max_length=200, required=False)

    def lists(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            name: _codes(data.get(name) or "") for name in ("tags", "tiers", "topics", "outcomes")
        }
