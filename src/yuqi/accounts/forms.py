from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.accounts.models import User


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    user = forms.ModelChoiceField(
        label=_("Acts as user"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
