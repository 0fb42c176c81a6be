"""Forms of the complaint pages: they parse input; the rules live in the services.

Every action form carries the ticket's ``version`` as the handler saw it: the service refuses
the change when someone else saved the ticket in between (optimistic locking).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from yuqi.complaints import config_kept
from yuqi.complaints.choices import (
    OPEN_STATES,
    ChecklistItem,
    ComplainerType,
    ComplaintState,
    RecoveryKind,
    SourceChannel,
)
from yuqi.complaints.measures import DIMENSIONS
from yuqi.complaints.models import Complaint
from yuqi.complaints.selectors import complaint_levels, root_causes
from yuqi.core.api_types import LONG_TEXT, NOTE_TEXT
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.form_html import ARGUMENTS_ONLY, choices_key
from yuqi.core.request_memo import memoised

SLA_FILTERS = (
    ("", _("All")),
    ("breached", _("Breached")),
    ("at_risk", _("At risk")),
    ("on_track", _("On track")),
    ("paused", _("Paused")),
)
SEARCH_MAX = 64
OWNER_FILTERS = (("", _("Anyone")), ("mine", _("Mine")), ("none", _("Unassigned")))


def _levels() -> list[tuple[str, str]]:
    """The active levels by rank, from the page's one read of every level (the work queue
    also takes the top rank from it)."""
    return [(lv.code, lv.label) for lv in complaint_levels() if lv.active]


def _categories() -> list[tuple[str, str]]:
    """The active categories in their order, a child as "parent › child" (each label as
    ``_Bilingual.label``), as kept under the configuration's version."""
    return list(config_kept.category_choices())


def category_choices() -> list[tuple[str, str]]:
    """The ticket page's details form's categories: ``_categories``."""
    return _categories()


def _teams_with_tickets() -> Any:
    teams = Complaint._meta.get_field("team").related_model._default_manager
    return (
        teams.filter(Exists(Complaint.objects.filter(team_id=OuterRef("pk"))))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


#: Read on every work-queue page (the filter form): compiled once.
_TEAMS_READ = CompiledRead(_teams_with_tickets, model=Complaint)


def _teams() -> list[tuple[int, str]]:
    """The teams some ticket belongs to, by name: one look-up in the tickets' team index per
    team (``EXISTS``), not a pass over every ticket (``DISTINCT``), which grew with the tickets.
    The team table is the interactions context's, reached through the foreign key."""
    return _TEAMS_READ.rows()


class QueueFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False, choices=OWNER_FILTERS)
    team = forms.ChoiceField(label=_("Team"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    sla = forms.ChoiceField(label=_("SLA"), required=False, choices=SLA_FILTERS)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Ticket, customer or phone's last 4")}
        ),
    )
    risk_min = forms.IntegerField(
        label=_("Escalation risk at least"), required=False, min_value=0, max_value=100
    )
    complainer_type = forms.ChoiceField(
        label=_("Complainer type"),
        required=False,
        choices=(("", _("All")), *ComplainerType.choices),
    )
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["level"].choices = everything + _levels()
        self.fields["state"].choices = everything + [
            (value, label) for value, label in ComplaintState.choices if value in OPEN_STATES
        ]
        self.fields["category"].choices = everything + _categories()
        self.fields["team"].choices = everything + [(str(pk), name) for pk, name in _teams()]


class NewComplaintForm(forms.Form):
    customer = forms.CharField(label=_("Customer id"), max_length=64)
    channel = forms.ChoiceField(
        label=_("Source channel"), choices=SourceChannel.choices, initial="phone"
    )
    level = forms.ChoiceField(label=_("Level"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    account = forms.CharField(
        label=_("The customer's account"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    demand = forms.CharField(
        label=_("Demand (诉求)"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The contact the complaint is opened from (the customer 360's contact timeline).
    contact = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _levels()
        self.fields["category"].choices = [("", "—"), *_categories()]


def _staff() -> Any:
    from django.contrib.auth.models import Group

    from yuqi.complaints.book import SENIOR_ROLES

    senior = Group.user_set.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=SENIOR_ROLES
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("username")
        .values_list("pk", "display_name", "first_name", "last_name", "username")
        .annotate(senior=Exists(senior))
    )


#: The staff choices' read, compiled once per process (its parameters never change: active
#: users, the senior roles' names): 1.0 → 0.3 ms of CPU a ticket page.
_STAFF_READ = CompiledRead(_staff, model=settings.AUTH_USER_MODEL)


@memoised
def staff_choices() -> list[tuple[str, str, bool]]:
    """Every active user by username as ``(pk, name as str(user) gives it, is senior)``: one
    read of plain columns answers both the ticket page's owner choices (everyone) and its
    senior-owner choices (the senior roles), instead of two reads of whole user rows."""
    return [
        (str(pk), display or f"{first} {last}".strip() or username, is_senior)
        for pk, display, first, last, username, is_senior in _STAFF_READ.rows()
    ]


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransitionForm(_Versioned):
    target = forms.ChoiceField(choices=ComplaintState.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class EscalateForm(_Versioned):
    level = forms.ChoiceField(label=_("Raise to"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, current_rank: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = self.level_choices(current_rank)

    @staticmethod
    def level_choices(current_rank: int) -> list[tuple[str, str]]:
        return [
            (lv.code, lv.label) for lv in complaint_levels() if lv.active and lv.rank > current_rank
        ]

    @classmethod
    def draw_key(cls, *, current_rank: int = 0) -> tuple:
        """What the drawing reads beyond the class and its arguments (``DeferredForm``)."""
        return choices_key(cls.level_choices(current_rank))


class AssignForm(_Versioned):
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = self.owner_choices()

    @staticmethod
    def owner_choices() -> list[tuple[str, str]]:
        return [("", "—")] + [(pk, name) for pk, name, _s in staff_choices()]

    @classmethod
    def draw_key(cls) -> tuple:
        """What the drawing reads beyond the class and its arguments (``DeferredForm``)."""
        return choices_key(cls.owner_choices())


class ChecklistForm(_Versioned):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ChecklistItem.choices:
            self.fields[value] = forms.BooleanField(label=label, required=False)


class ConfirmTypeForm(_Versioned):
    complainer_type = forms.ChoiceField(label=_("Complainer type"), choices=ComplainerType.choices)

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class AgreementForm(_Versioned):
    solution = forms.CharField(
        label=_("Solution"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accepted = forms.NullBooleanField(label=_("Accepted by the customer"), required=False)
    shelved_need = forms.CharField(label=_("Shelved need"), required=False, max_length=500)
    department = forms.CharField(label=_("Forwarded to department"), required=False, max_length=100)
    promised_answer_at = forms.DateTimeField(
        label=_("Promised answer by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    above_standard = forms.BooleanField(
        label=_("Goes beyond the service standard (needs approval on over-level tickets)"),
        required=False,
    )

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class RecoveryForm(_Versioned):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecoveryKind.choices)
    amount = forms.DecimalField(
        label=_("Amount to the customer"), required=False, min_value=0, decimal_places=2
    )
    cost = forms.DecimalField(label=_("Cost to us"), required=False, min_value=0, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class CallbackForm(_Versioned):
    solved = forms.BooleanField(label=_("Solved? (对事)"), required=False)
    expectation_met = forms.BooleanField(label=_("Expectation met?"), required=False)
    attitude_ok = forms.BooleanField(label=_("Attitude felt good? (对人)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class CloseForm(_Versioned):
    root_cause = forms.ChoiceField(label=_("Root cause"))
    note = forms.CharField(label=_("Root cause note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].choices = self.cause_choices()

    @staticmethod
    def cause_choices() -> list[tuple[str, str]]:
        return [("", "—")] + [(c.code, c.label) for c in root_causes() if c.active]

    @classmethod
    def draw_key(cls) -> tuple:
        """What the drawing reads beyond the class and its arguments (``DeferredForm``)."""
        return choices_key(cls.cause_choices())


class MeasuresFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=(("", _("Whole range")), ("week", _("Week")), ("month", _("Month"))),
    )
    by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=(
            ("", _("Nothing")),
            *[
                (key, label)
                for key, label in (
                    ("level", _("Level")),
                    ("team", _("Team")),
                    ("agent", _("Agent")),
                    ("tier", _("Tier")),
                )
                if key in DIMENSIONS
            ],
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (end - start).days > 366:
                self.add_error("date_to", _("Choose at most a year."))
        return data

    def grouping(self) -> list[str]:
        data = self.cleaned_data
        return [key for key in (data.get("period"), data.get("by")) if key]


def _active_users() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("username")
        .values_list("pk", "display_name", "first_name", "last_name", "username")
    )


#: The bulk form's owners, on every work-queue page of those who work complaints.
_ACTIVE_USERS_READ = CompiledRead(_active_users, model=settings.AUTH_USER_MODEL)


class BulkAssignForm(forms.Form):
    """Assign several tickets of the queue at once (numbers as shown on the page)."""

    MAX_TICKETS = 100

    tickets = forms.MultipleChoiceField(label=_("Tickets"))
    owner = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = _ACTIVE_USERS_READ.rows()
        # each user's name as ``User.__str__`` gives it (display name, full name, username)
        self.fields["owner"].choices = [("", "—")] + [
            (str(pk), shown or f"{first} {last}".strip() or username)
            for pk, shown, first, last, username in users
        ]
        # the numbers are checked against the open tickets by the service (all or nothing);
        # Django caps the number of posted fields (DATA_UPLOAD_MAX_NUMBER_FIELDS)
        sent = self.data.getlist("tickets") if hasattr(self.data, "getlist") else []
        self.fields["tickets"].choices = [(n, n) for n in dict.fromkeys(sent) if len(n) <= 20]

    def clean_tickets(self) -> list[str]:
        numbers = self.cleaned_data["tickets"]
        if len(numbers) > self.MAX_TICKETS:
            raise forms.ValidationError(
                _("Assign at most %(n)d tickets at once.") % {"n": self.MAX_TICKETS}
            )
        return numbers


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=60)
    query = forms.CharField(required=False, max_length=600, widget=forms.HiddenInput)
