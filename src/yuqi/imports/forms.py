from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.imports.importers import IMPORTERS, StrOrPromise


def _kinds() -> list[tuple[str, StrOrPromise]]:
    """The registered importers (evaluated per form, after every app's ``ready()``)."""
    return [(entry.kind, entry.label) for entry in IMPORTERS.values()]


MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=_kinds,
    )
    file = forms.FileField(label=_("CSV or Excel file"))
    source = forms.CharField(
        label=_("Source system (optional)"),
        required=False,
        max_length=40,
        help_text=_("e.g. the ACD's name; interactions are unique per source and id"),
    )
    sheet = forms.CharField(label=_("Sheet (optional)"), required=False, max_length=100)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 500 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
