"""Forms of the public pages and the notices page (shape and size only; rules in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.channels.choices import IntakeKind, NoticeKind
from yuqi.channels.services import MAX_NAME, MAX_TEXT
from yuqi.domain.pii import MOBILE_NUMBER, national_phone


def clean_mobile(value: str) -> str:
    digits = national_phone(value or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not MOBILE_NUMBER.fullmatch(digits):
        raise forms.ValidationError(_("Enter a mainland mobile number, 11 digits."))
    return digits


class StartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"),
        choices=IntakeKind.choices,
        widget=forms.RadioSelect,
        initial=IntakeKind.COMPLAINT,
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "138 0000 0000"}
        ),
    )

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,.pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DetailsForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    name = forms.CharField(
        label=_("How should we address you? (optional)"), max_length=MAX_NAME, required=False
    )
    text = forms.CharField(
        label=_("Your words"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
    )
    attachments = MultipleFileField(
        label=_("Photos or PDF (optional, up to 3 files of 5 MB)"), required=False
    )


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("Ticket number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": "TS-20261204-0013", "autocapitalize": "characters"}
        ),
    )
    tail = forms.CharField(
        label=_("Last 4 digits of your mobile number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_tail(self) -> str:
        tail = self.cleaned_data["tail"]
        if not (tail.isascii() and tail.isdigit()):
            raise forms.ValidationError(_("Enter 4 digits."))
        return tail


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=80)
    body = forms.CharField(
        label=_("Text"), max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
    tiers = forms.MultipleChoiceField(
        label=_("Tiers (none: all)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.CharField(
        label=_("Regions, comma-separated (empty: all)"), max_length=400, required=False
    )
    segments = forms.MultipleChoiceField(
        label=_("Pyramid segments (none: all)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    queue = forms.ChoiceField(label=_("Customers who called this queue (90 days)"), required=False)
    product = forms.ChoiceField(
        label=_("Customers with a ticket about this product or service (365 days)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        tiers: dict[str, str],
        segments: list[tuple[str, str]],
        queues: dict[str, str],
        products: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("Any")), *(products or {}).items()]  # type: ignore[attr-defined]
        self.fields["tiers"].choices = list(tiers.items())  # type: ignore[attr-defined]
        self.fields["segments"].choices = segments  # type: ignore[attr-defined]
        self.fields["queue"].choices = [("", _("Any")), *sorted(queues.items())]  # type: ignore[attr-defined]

    def clean_regions(self) -> list[str]:
        text = self.cleaned_data["regions"].replace("，", ",")
        return [part.strip() for part in text.split(",") if part.strip()][:40]


class SendForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason to send despite the tier guard"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
