"""The complaint book on the ticket page: the level's handling principle, the
playbook checklist, the contact clock, notes and contact attempts, the senior owner, the
regulator appeal panel, the retention callback, and the appeal document pack (PDF).

The page's actions post to the ticket address with ``action=book_*`` (``views.ACTIONS``); the
handlers here parse the form and call :mod:`yuqi.complaints.book`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints import book, outbound, services, ticket_reads
from yuqi.complaints.choices_book import (
    BOOK_EVENT_LABELS,
    AppealBody,
    ContactChannel,
    DisputeKind,
    FeedbackKind,
    RetentionOutcome,
)
from yuqi.complaints.models import Complaint, Feedback, RetentionCallback, TicketBook
from yuqi.complaints.presenters import duration_text
from yuqi.core.access import requires
from yuqi.core.api_types import NOTE_TEXT
from yuqi.core.errors import DomainError
from yuqi.core.form_html import ARGUMENTS_ONLY, DeferredForm, choices_key
from yuqi.domain.regulator import TimeBarStatus

SEE = "complaints.view_complaint"
LOG = "complaints.add_complaint"


# ------------------------------------------------------------------ forms
class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=NOTE_TEXT,
        # the knowledge panel's "insert into note" fills the textarea marked so
        widget=forms.Textarea(attrs={"rows": 2, "data-knowledge-target": ""}),
    )

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=ContactChannel.choices)
    reached = forms.BooleanField(label=gettext_lazy("Reached the customer"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=book.MAX_NOTE)

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class AppealForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Appeal number"), max_length=40)
    body = forms.ChoiceField(label=gettext_lazy("Appeal body"), choices=AppealBody.choices)
    received_on = forms.DateField(
        label=gettext_lazy("Received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    materials_complete_on = forms.DateField(
        label=gettext_lazy("Materials complete"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    event_date = forms.DateField(
        label=gettext_lazy("Event date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    dispute = forms.ChoiceField(label=gettext_lazy("Dispute"), choices=DisputeKind.choices)

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


class RetentionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=RetentionOutcome.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=book.MAX_NOTE)

    draw_key = ARGUMENTS_ONLY  # fixed choices (yuqi.core.form_html.DeferredForm)


def _senior_choices() -> list[tuple[str, str]]:
    """The active users of the senior roles, by username (the page's one read of the users,
    ``forms.staff_choices``)."""
    from yuqi.complaints.forms import staff_choices

    return [("", "—")] + [(pk, name) for pk, name, senior in staff_choices() if senior]


class SeniorForm(forms.Form):
    senior_owner = forms.ChoiceField(label=gettext_lazy("Senior owner"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["senior_owner"].choices = _senior_choices()

    @classmethod
    def draw_key(cls) -> tuple:
        """What the drawing reads beyond the class and its arguments (``DeferredForm``)."""
        return choices_key(_senior_choices())


# ------------------------------------------------------------------ page context
def _contact_clock(row: TicketBook | None, moment: dt.datetime) -> dict[str, Any] | None:
    if row is None or not row.contact_every_hours or row.contact_due_at is None:
        return None
    left = row.contact_due_at - moment
    lapsed = left.total_seconds() <= 0
    warn = not lapsed and row.contact_warn_at is not None and row.contact_warn_at <= moment
    text = (
        _("lapsed %(t)s ago") % {"t": duration_text(left)}
        if lapsed
        else _("%(t)s left") % {"t": duration_text(left)}
    )
    return {
        "every": row.contact_every_hours,
        "due_at": row.contact_due_at,
        "restarted_at": row.contact_restarted_at,
        "state": "breached" if lapsed else ("at_risk" if warn else "on_track"),
        "text": text,
        "assumed_years": row.contact_assumed_years,
    }


def _appeal_view(appeal: Any, today: dt.date) -> dict[str, Any]:
    status = TimeBarStatus(appeal.time_bar_status)
    labels = {
        TimeBarStatus.WITHIN: _("within the time bar"),
        TimeBarStatus.BARRED: _("time-barred"),
        TimeBarStatus.UNKNOWN: _("unknown: no event date"),
    }
    return {
        "row": appeal,
        "time_bar": status.value,
        "time_bar_label": labels[status],
        "acceptance_days": (appeal.acceptance_due - today).days,
        "reply_days": (appeal.reply_due - today).days,
    }


def _joined_or_read(ticket: Complaint, name: str, read: Callable[[], Any]) -> Any:
    """The ticket's row behind the reverse one-to-one ``name`` (or None): taken from the
    ticket when it was read joined with it (the ticket page's read), otherwise read now."""
    if ticket._meta.get_field(name).is_cached(ticket):  # type: ignore[union-attr]
        return getattr(ticket, name, None)  # a missing row is cached as None
    return read()


def book_context(request: HttpRequest, ticket: Complaint, moment: dt.datetime) -> dict[str, Any]:
    """What the book partials show for one ticket."""
    playbooks, ticks = book.playbooks_with_ticks(ticket)  # kept; the ticks read
    row = _joined_or_read(
        ticket,
        "book",
        lambda: TicketBook.objects.filter(complaint=ticket).select_related("senior_owner").first(),
    )
    today = outbound.calendar_for(team_id=ticket.team_id).local(moment).date()
    may_work = request.user.has_perm("complaints.change_complaint")
    retention = _joined_or_read(
        ticket,
        "retention_callback",
        lambda: RetentionCallback.objects.filter(complaint=ticket).first(),
    )
    appeals = ticket_reads.appeals_of(ticket)
    context = {
        "principle": ticket.level.handling,
        "playbooks": [
            {
                "book": p,
                "steps": [{"step": s, "done_at": ticks.get(s.pk)} for s in p.steps],
            }
            for p in playbooks
        ],
        "senior_required": any(p.requires_senior_owner for p in playbooks),
        "senior_owner": row.senior_owner if row else None,
        "contact": _contact_clock(row, moment) if ticket.is_open else None,
        "attempts": ticket_reads.attempts_of(ticket),
        "appeals": [_appeal_view(a, today) for a in appeals],
        "show_appeal": ticket.level.is_regulator or bool(appeals),
        "retention": retention,
        "high_risk": ticket.risk_score >= book.high_risk_threshold(),
        "threshold": book.high_risk_threshold(),
    }
    if may_work:  # built only when their drawing is not kept (yuqi.core.form_html)
        context.update(
            note_form=DeferredForm(NoteForm),
            contact_form=DeferredForm(ContactForm),
            appeal_form=DeferredForm(AppealForm, initial={"received_on": today}),
            senior_form=DeferredForm(SeniorForm),
            retention_form=DeferredForm(RetentionForm),
        )
    return context


# ------------------------------------------------------------------ actions
def _valid(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: {' '.join(errs)}"
            for name, errs in form.errors.items()
        )
        raise DomainError(problems or _("Please correct the form."))
    return form.cleaned_data


def _do_note(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(NoteForm(request.POST))
    services.complaint_add_note(complaint=ticket, by=request.user, text=data["text"])
    return _("Note added.")


def _do_contact(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(ContactForm(request.POST))
    book.complaint_log_contact(
        complaint=ticket,
        channel=data["channel"],
        reached=data["reached"],
        note=data["note"],
        by=request.user,
    )
    return _("Contact attempt logged; the contact clock restarted.")


def _do_tick(request: HttpRequest, ticket: Complaint) -> str:
    try:
        step_id = int(request.POST.get("step", ""))
    except ValueError:
        raise DomainError(_("This step is not in the ticket's playbook."), field="step") from None
    _tick, created = book.complaint_tick_step(complaint=ticket, step_id=step_id, by=request.user)
    return _("Step done.") if created else _("This step was already done.")


def _do_appeal(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(AppealForm(request.POST))
    book.complaint_record_appeal(
        complaint=ticket,
        data=book.AppealInput(
            number=data["number"],
            body=data["body"],
            received_on=data["received_on"],
            dispute=data["dispute"],
            event_date=data["event_date"],
            materials_complete_on=data["materials_complete_on"],
        ),
        by=request.user,
    )
    return _("Regulator appeal recorded.")


def _do_senior(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(SeniorForm(request.POST))
    senior = get_user_model().objects.filter(pk=data["senior_owner"] or 0).first()
    book.complaint_name_senior_owner(complaint=ticket, senior=senior, by=request.user)
    return _("Senior owner named.")


def _do_retention(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(RetentionForm(request.POST))
    callback = RetentionCallback.objects.filter(complaint=ticket).first()
    if callback is None:
        raise DomainError(_("This ticket has no retention callback."), code="not_found")
    book.retention_record(
        callback=callback, outcome=data["outcome"], note=data["note"], by=request.user
    )
    return _("Retention callback recorded.")


BOOK_ACTIONS = {
    "book_note": _do_note,
    "book_contact": _do_contact,
    "book_tick": _do_tick,
    "book_appeal": _do_appeal,
    "book_senior": _do_senior,
    "book_retention": _do_retention,
}


def event_label(kind: str) -> str | None:
    label = BOOK_EVENT_LABELS.get(kind)
    return None if label is None else str(label)


@requires(SEE)
def appeal_pack(request: HttpRequest, number: str, appeal_id: int) -> HttpResponse:
    """The appeal's document pack as PDF (timeline, messages, promises, recovery, callback)."""
    from yuqi.complaints.appeal_pack import appeal_pack_pdf

    ticket = get_object_or_404(Complaint.objects.select_related("level"), number=number)
    appeal = get_object_or_404(ticket.appeals, pk=appeal_id)
    data = appeal_pack_pdf(ticket, appeal)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="appeal-{appeal.pk}.pdf"'
    return response


# ------------------------------------------------------------------ suggestions and praise
class FeedbackForm(forms.Form):
    customer = forms.CharField(label=gettext_lazy("Customer ID"), max_length=64)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FeedbackKind.choices)
    text = forms.CharField(
        label=gettext_lazy("What the customer said"),
        max_length=book.MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topic = forms.CharField(
        label=gettext_lazy("Topic (expectation category)"), required=False, max_length=80
    )
    interaction = forms.IntegerField(
        label=gettext_lazy("Contact number"), required=False, min_value=1, max_value=2**31 - 1
    )


@requires(SEE)
def feedback_page(request: HttpRequest) -> HttpResponse:
    """Suggestions and praise: the latest 100 (mine first for their owner) and, for those who
    log complaints, a form to record one from a contact (the customer is thanked)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect, render

    may_log = request.user.has_perm(LOG)
    form = FeedbackForm(request.POST or None) if may_log else None
    if request.method == "POST":
        if not may_log:
            raise PermissionDenied
        try:
            data = _valid(form)
            from yuqi.customers.facade import customer_ids_by_external_id

            customer_id = customer_ids_by_external_id([data["customer"]]).get(data["customer"])
            book.feedback_record(
                customer_id=customer_id or 0,
                kind=data["kind"],
                text=data["text"],
                topic=data["topic"],
                source="contact",
                interaction_id=data["interaction"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded; the customer was thanked."))
            return redirect("complaints:feedback")
    rows = Feedback.objects.select_related("customer", "owner").order_by("-created_at", "-id")
    mine = request.GET.get("mine") == "1"
    if mine:
        rows = rows.filter(owner=request.user)
    from yuqi.textmining.facade import taxonomy_labels

    labels = taxonomy_labels()
    shown = list(rows[:100])
    for row in shown:  # the topic's label in the active language (its code if unknown)
        row.topic_label = labels.get(row.topic, row.topic)
    return render(
        request,
        "complaints/book/feedback.html",
        {"rows": shown, "form": form, "mine": mine},
        status=400 if request.method == "POST" else 200,
    )
