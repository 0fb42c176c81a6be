from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.audit.selectors import AuditFilter, audited_models


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    model = forms.ChoiceField(label=_("Record type"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[
            ("", _("All")),
            ("create", _("Created")),
            ("update", _("Changed")),
            ("delete", _("Deleted")),
            ("access", _("Viewed")),
        ],
    )
    object_id = forms.CharField(label=_("Record id"), required=False)
    request_id = forms.CharField(label=_("Request id"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + [
            (f"{ct.app_label}.{ct.model}", str(ct.model_class()._meta.verbose_name))
            if ct.model_class()
            else (f"{ct.app_label}.{ct.model}", f"{ct.app_label}.{ct.model}")
            for ct in audited_models()
        ]

    def to_filter(self) -> AuditFilter:
        if not self.is_valid():
            return AuditFilter()
        return AuditFilter(**{k: v for k, v in self.cleaned_data.items() if v})
