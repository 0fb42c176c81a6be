from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.interactions.choices import Channel
from yuqi.interactions.selectors import InteractionFilter, agent_list, queue_list


class InteractionFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    queue = forms.ChoiceField(label=_("Queue"), required=False)
    agent = forms.ChoiceField(label=_("Agent"), required=False)
    abandoned = forms.ChoiceField(
        label=_("Abandoned"),
        required=False,
        choices=[("", _("All")), ("yes", _("Abandoned")), ("no", _("Not abandoned"))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [("", _("All"))] + [(q.code, str(q)) for q in queue_list()]
        self.fields["agent"].choices = [("", _("All"))] + [(a.code, str(a)) for a in agent_list()]

    def to_filter(self) -> InteractionFilter:
        if not self.is_valid():
            return InteractionFilter()
        data = {k: v for k, v in self.cleaned_data.items() if v and k != "abandoned"}
        abandoned = {"yes": True, "no": False}.get(self.cleaned_data.get("abandoned") or "")
        return InteractionFilter(**data, abandoned=abandoned)
