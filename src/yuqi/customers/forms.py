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
