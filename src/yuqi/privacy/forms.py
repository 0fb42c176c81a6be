from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuqi.privacy.models import ConsentSource, IdentityMethod, Purpose, RequestKind

WEB_METHODS = [c for c in IdentityMethod.choices if c[0] != IdentityMethod.OPERATOR]
WEB_SOURCES = [c for c in ConsentSource.choices if c[0] != ConsentSource.ERASURE]


class RequestForm(forms.Form):
    customer = forms.CharField(label=_("Customer id"), max_length=64)
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    channel = forms.CharField(label=_("Received through"), max_length=40, required=False)
    details = forms.CharField(
        label=_("What is asked"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdentityForm(forms.Form):
    method = forms.ChoiceField(label=_("How the identity was checked"), choices=WEB_METHODS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    id_number = forms.CharField(label=_("ID card number"), max_length=18, required=False)
    region = forms.CharField(label=_("Region"), max_length=60, required=False)


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.CharField(label=_("Type the customer id to confirm"), max_length=64)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ConsentForm(forms.Form):
    customer = forms.CharField(label=_("Customer id"), max_length=64)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    given = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("1", _("Given")), ("0", _("Withdrawn"))],
        coerce=lambda value: value == "1",
    )
    source = forms.ChoiceField(label=_("Source"), choices=WEB_SOURCES)
