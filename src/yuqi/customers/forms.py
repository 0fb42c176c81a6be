from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.customers.choices import CustomerStatus, Segment
from yuqi.customers.selectors import CustomerFilter, tier_list


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("name, customer id or phone tail")}),
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    segment = forms.ChoiceField(
        label=_("Segment"), required=False, choices=[("", _("All")), *Segment.choices]
    )
    region = forms.CharField(label=_("Region"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CustomerStatus.choices]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", _("All"))] + [
            (tier.code, str(tier)) for tier in tier_list()
        ]

    def to_filter(self) -> CustomerFilter:
        if not self.is_valid():
            return CustomerFilter()
        return CustomerFilter(**{k: v for k, v in self.cleaned_data.items() if v})


class PhoneLookupForm(forms.Form):
    """The screen pop: a caller's number, typed, pasted or passed by a CTI link."""

    phone = forms.CharField(
        label=_("Caller's phone number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "off",
                "placeholder": _("e.g. 138 1234 5678"),
            }
        ),
    )


class NewCustomerForm(forms.Form):
    """A caller not yet known: the few facts an agent takes on the phone."""

    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    region = forms.CharField(label=_("Region"), max_length=60, required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "—")] + [(t.code, str(t)) for t in tier_list()]
