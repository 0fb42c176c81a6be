from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuqi.core.compiled_reads import CompiledRead
from yuqi.interactions.choices import Channel, ContactOutcome, Direction
from yuqi.interactions.models import Queue
from yuqi.interactions.selectors import InteractionFilter, agent_list, queue_list
from yuqi.interactions.services import NOTES_MAX


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


#: The log form's queues, compiled once per database (building and compiling the read was
#: about a fifth of a millisecond of every 360, which shows the form).
QUEUES_READ = CompiledRead(queue_list, model=Queue)


class ContactLogForm(forms.Form):
    """The customer 360's "log a contact" (``services.contact_log`` checks it again)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="phone")
    direction = forms.ChoiceField(
        label=_("Call direction"), choices=Direction.choices, initial="inbound"
    )
    queue = forms.ChoiceField(label=_("Queue"), required=False)
    category = forms.CharField(
        label=_("Category"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "contact-categories", "autocomplete": "off"}),
    )
    outcome = forms.ChoiceField(label=_("Contact outcome"), choices=ContactOutcome.choices)
    first_contact_resolved = forms.ChoiceField(
        label=_("Resolved on first contact"),
        required=False,
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
    )
    handle_minutes = forms.IntegerField(
        label=_("Handling time (minutes)"), required=False, min_value=0, max_value=600
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        queues = QUEUES_READ.objects()
        self.fields["queue"].choices = [("", "—")] + [(q.code, str(q)) for q in queues]

    def service_arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "direction": data["direction"],
            "queue_code": data["queue"] or "",
            "category": data["category"] or "",
            "outcome": data["outcome"],
            "notes": data["notes"] or "",
            "first_contact_resolved": {"yes": True, "no": False}.get(
                data["first_contact_resolved"] or ""
            ),
            "handle_minutes": data["handle_minutes"],
        }
