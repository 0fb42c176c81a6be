from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PeriodForm(forms.Form):
    """``?period_from=YYYY-MM&period_to=YYYY-MM`` (whole months)."""

    period_from = forms.CharField(label=_("From month"), required=False)
    period_to = forms.CharField(label=_("To month"), required=False)

    @staticmethod
    def _month(text: str) -> date | None:
        try:
            year, month = (int(part) for part in text.split("-")[:2])
            return date(year, month, 1)
        except ValueError:
            return None

    def clean(self):
        data = super().clean()
        start = self._month(data.get("period_from") or "")
        end = self._month(data.get("period_to") or "")
        if data.get("period_from") and start is None:
            self.add_error("period_from", _("Give a month such as 2026-05."))
        if data.get("period_to") and end is None:
            self.add_error("period_to", _("Give a month such as 2026-05."))
        if end is not None:  # the last day of that month
            end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if start and end and end < start:
            self.add_error("period_to", _("The end is before the start."))
        data["start"], data["end"] = start, end
        return data


class PeerImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("peers", _("Peer indicators")), ("offerings", _("Offerings (ours and peers')"))],
    )
    file = forms.FileField(label=_("CSV or Excel file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
