"""Complaint pages: the work queue, the ticket page with its HTMX actions, the new-complaint
form and the service measures. Views parse the request and call selectors and services.

Every action on the ticket page is a form posted to the ticket's own address with ``action``
and the ``version`` the handler saw; the service refuses a stale version, and the page then
says that someone else changed the ticket instead of saving (optimistic locking). An HTMX post
gets the ticket body back (``partials/ticket.html``); a plain post is redirected to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints import (
    book_views,
    config_kept,
    facade,
    outbound,
    queue_views,
    services,
    ticket_reads,
    ticket_supervisor,
)
from yuqi.complaints import forms as f
from yuqi.complaints.choices import (
    ChecklistItem,
    ComplainerType,
    ComplaintState,
)
from yuqi.complaints.measures import (
    complaint_measures,
    escalation_levels,
    open_overdue_now,
    promise_measures,
)
from yuqi.complaints.measures_table import chart_option, measures_table, promise_table
from yuqi.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintLevel,
    RootCause,
)
from yuqi.complaints.presenters import timeline_lines
from yuqi.complaints.queries import (
    QUEUE_ROW_VALUES,
    clock_view_of,
    queue_count,
    queue_first_rows,
    queue_rows,
    ticket_url,
)
from yuqi.complaints.selectors import (
    QueueFilter,
    complaint_levels,
    complaint_queue,
    sorted_queue,
)
from yuqi.core import clock
from yuqi.core.access import requires
from yuqi.core.downloads import table_response
from yuqi.core.errors import DomainError
from yuqi.core.form_html import DeferredForm, form_as_div
from yuqi.core.join_order import written_join_order
from yuqi.core.listing import paginate
from yuqi.core.panels import panels_for
from yuqi.domain.complaint_workflow import allowed_targets, transition
from yuqi.domain.pii import mask_phone

SEE = "complaints.view_complaint"
LOG = "complaints.add_complaint"
WORK = "complaints.change_complaint"
MEASURES = "complaints.view_complaint_measures"
PAGE_SIZE = 50
CONFLICT = "conflict"


# ------------------------------------------------------------------ work queue
def _queue_filter(form: f.QueueFilterForm, user: Any) -> QueueFilter:
    """The page lists open tickets only (its state choices are the open states)."""
    if not form.is_valid():
        return QueueFilter(state="open")
    data = form.cleaned_data
    return QueueFilter(
        level=data.get("level") or "",
        state=data.get("state") or "open",
        owner_id=user.pk if data.get("owner") == "mine" else None,
        unassigned=data.get("owner") == "none",
        team_id=int(data["team"]) if data.get("team") else None,
        category=data.get("category") or "",
        sla=data.get("sla") or "",
        q=data.get("q") or "",
        risk_min=data.get("risk_min"),
        complainer_type=data.get("complainer_type") or "",
    )


@requires(SEE)
def complaint_queue_page(request: HttpRequest) -> HttpResponse:
    """Open tickets, most urgent first (or sorted by a column), with live SLA clocks
    (refreshed by HTMX every 60 s); search, filters, bulk assignment and saved views. A fixed
    number of queries whatever the number of rows: calendars are read once per request."""
    moment = clock.now()
    form = f.QueueFilterForm(request.GET or None)
    filters = _queue_filter(form, request.user)
    sort = queue_views.valid_sort(form.cleaned_data.get("sort", "")) if form.is_valid() else ""

    def tickets() -> Any:  # made only when the kept reads do not answer (another page, sort)
        queue = complaint_queue(filters=filters, now=moment)
        return sorted_queue(queue, sort).values(*QUEUE_ROW_VALUES)

    with outbound.cached_calendars():
        with written_join_order():  # six one-row joins per ticket (yuqi.core.join_order)
            listing = paginate(
                request,
                tickets,
                PAGE_SIZE,
                first_page=lambda: queue_first_rows(filters, sort, now=moment, rows=PAGE_SIZE),
                count=lambda: queue_count(filters, sort, now=moment),
            )
        top = max((level.rank for level in complaint_levels()), default=None)  # the form's read
        rows = queue_rows(listing.page.object_list, now=moment, url=ticket_url(), top_rank=top)
    may_work = request.user.has_perm(WORK)
    context = {
        "form": form,
        "form_html": form_as_div(form),
        "page": listing.page,
        "rows": rows,
        "query": listing.query,
        "as_of": moment,
        "may_log": request.user.has_perm(LOG),
        "may_measure": request.user.has_perm(MEASURES),
        "may_work": may_work,
        "headers": queue_views.sort_headers(form),
        "clean_query": queue_views.clean_query(form),
        "saved_views": queue_views.saved_views_for(request.user),
        "bulk_form": f.BulkAssignForm() if may_work else None,
    }
    template = "complaints/partials/queue_results.html" if request.htmx else "complaints/queue.html"
    return render(request, template, context)


# ------------------------------------------------------------------ ticket page
def _ticket(number: str) -> Complaint:
    """The ticket with its joined rows, for an action (its level, category and root cause
    as model instances, and its creator)."""
    return get_object_or_404(
        Complaint.objects.select_related(
            "level", "category", "root_cause", "created_by", *ticket_reads.JOINED
        ),
        number=number,
    )


def _ticket_shown(number: str) -> Complaint:
    """The ticket for showing only: its level, category and root cause from the kept
    configuration (``config_kept.with_kept_rows``) instead of three more joins; its creator,
    whom the page does not show, not joined."""
    ticket = ticket_reads.shown_ticket(number)
    if ticket is None:
        raise Http404
    return config_kept.with_kept_rows(ticket)


def _clocks(ticket: Complaint, moment: Any) -> list[Any]:
    rows = ticket_reads.clocks_of(ticket)
    with outbound.cached_calendars():
        return [clock_view_of(c, team_id=ticket.team_id, now=moment) for c in rows]


#: Button text per workflow action (the action names come from the transition table).
ACTION_LABELS = {
    "acknowledge": gettext_lazy("Acknowledge"),
    "investigate": gettext_lazy("Start investigating"),
    "wait_for_customer": gettext_lazy("Wait for the customer"),
    "wait_for_department": gettext_lazy("Wait for another department"),
    "customer_replied": gettext_lazy("Customer replied"),
    "department_replied": gettext_lazy("Department replied"),
    "propose_solution": gettext_lazy("Propose a solution"),
    "agree": gettext_lazy("Solution agreed"),
    "shelve_and_forward": gettext_lazy("Shelve and forward"),
    "solution_rejected": gettext_lazy("Solution rejected"),
    "start_recovery": gettext_lazy("Start service recovery"),
    "resolve": gettext_lazy("Resolve"),
    "callback_done": gettext_lazy("Callback done"),
    "reopen": gettext_lazy("Reopen"),
}


def _buttons(ticket: Complaint) -> list[dict[str, str]]:
    labels = dict(ComplaintState.choices)
    buttons = []
    for target in allowed_targets(ticket.state):
        if target == ComplaintState.CLOSED:
            continue  # closing has its own form (root cause)
        entry = transition(ticket.state, target)
        buttons.append(
            {
                "target": target,
                "action": entry.action if entry else "",
                "label": str(ACTION_LABELS.get(entry.action if entry else "", labels[target])),
            }
        )
    return buttons


def _promises(ticket: Complaint) -> list[Any]:
    from yuqi.commitments.facade import commitments_for_complaint

    return commitments_for_complaint(ticket.pk)


def _messages_sent(ticket: Complaint) -> list[Any]:
    from yuqi.notifications.facade import messages_about

    return messages_about(f"complaint:{ticket.pk}")


def _post_url(ticket: Complaint) -> str:
    """The ticket's address, which its forms post to and its clocks refresh from: reversed
    once per page, not once per form in the templates."""
    return reverse("complaints:detail", args=[ticket.number])


def ticket_context(request: HttpRequest, ticket: Complaint) -> dict[str, Any]:
    """Everything the ticket page shows, clocks computed now."""
    moment = clock.now()
    may_work = request.user.has_perm(WORK)
    events = ticket_reads.events_of(ticket)
    level = ticket.level
    context: dict[str, Any] = {
        "ticket": ticket,
        "ticket_post_url": _post_url(ticket),
        "phone": mask_phone(ticket.customer.phone) if ticket.customer.phone else "",
        "clocks": _clocks(ticket, moment),
        "as_of": moment,
        "checklist": [
            {"code": code, "label": label, "done": getattr(ticket, f"chk_{code}")}
            for code, label in ChecklistItem.choices
        ],
        "recovery": ticket_reads.recovery_of(ticket),
        "promises": _promises(ticket),
        "sent": _messages_sent(ticket),
        "timeline": timeline_lines(events),
        "may_work": may_work,
        "is_open": ticket.is_open,
        "type_suggested": ComplainerType(ticket.complainer_type_suggested).label
        if ticket.complainer_type_suggested
        else "",
        "type_confirmed": ComplainerType(ticket.complainer_type).label
        if ticket.complainer_type
        else "",
        "panels": panels_for("complaint", ticket.pk, request.user),
        "book": book_views.book_context(request, ticket, moment),
    }
    context.update(ticket_supervisor.supervisor_context(request, ticket, context["recovery"]))
    if may_work:
        # each form built only when its drawing is not kept (yuqi.core.form_html), and only
        # for the sections the template shows this ticket
        version = {"version": ticket.version}
        context["buttons"] = _buttons(ticket)
        if ticket.is_open:
            context.update(
                escalate_form=DeferredForm(
                    f.EscalateForm, initial=version, current_rank=level.rank
                ),
                assign_form=DeferredForm(
                    f.AssignForm, initial={**version, "owner": ticket.owner_id or ""}
                ),
                type_form=DeferredForm(
                    f.ConfirmTypeForm,
                    initial={
                        **version,
                        "complainer_type": ticket.complainer_type
                        or ticket.complainer_type_suggested,
                    },
                ),
                agreement_form=DeferredForm(
                    f.AgreementForm,
                    initial={
                        **version,
                        "solution": ticket.agreement_solution,
                        "accepted": ticket.agreement_accepted,
                    },
                ),
                recovery_form=DeferredForm(f.RecoveryForm, initial=version),
            )
        if ticket.state == ComplaintState.RESOLVED:
            context["callback_form"] = DeferredForm(f.CallbackForm, initial=version)
        if ticket.state == ComplaintState.CALLBACK_DONE:
            context["close_form"] = DeferredForm(
                f.CloseForm,
                initial={
                    **version,
                    "root_cause": ticket.root_cause.code if ticket.root_cause else "",
                },
            )
    return context


def _run_action(request: HttpRequest, ticket: Complaint) -> str:
    """Carry out the posted action; returns a message for the user. Raises DomainError."""
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        raise DomainError(_("Unknown action."), field="action")
    return handler(request, ticket)


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label or name}: {' '.join(errs)}"
            if name in form.fields
            else " ".join(errs)
            for name, errs in form.errors.items()
        )
        raise DomainError(problems or _("Please correct the form."))
    return form.cleaned_data


def _do_transition(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.TransitionForm(request.POST))
    services.complaint_move(
        complaint=ticket,
        target=data["target"],
        by=request.user,
        expected_version=data["version"],
        note=data["note"],
    )
    return _("State changed.")


def _do_escalate(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.EscalateForm(request.POST, current_rank=ticket.level.rank))
    level = ComplaintLevel.objects.get(code=data["level"])
    services.complaint_escalate(
        complaint=ticket,
        level=level,
        by=request.user,
        expected_version=data["version"],
        reason=data["reason"],
    )
    return _("Level raised; the clocks restarted under the new level's policy.")


def _do_assign(request: HttpRequest, ticket: Complaint) -> str:
    from django.contrib.auth import get_user_model

    data = _valid(f.AssignForm(request.POST))
    owner = get_user_model().objects.filter(pk=data["owner"]).first() if data["owner"] else None
    services.complaint_assign(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        owner=owner,
        team_id=ticket.team_id,
    )
    return _("Assigned.")


def _do_checklist(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.ChecklistForm(request.POST))
    services.complaint_update_checklist(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        items={code: bool(data.get(code)) for code in ChecklistItem.values},
    )
    return _("Checklist saved.")


def _do_type(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.ConfirmTypeForm(request.POST))
    services.complaint_confirm_type(
        complaint=ticket,
        complainer_type=data["complainer_type"],
        by=request.user,
        expected_version=data["version"],
    )
    return _("Complainer type confirmed.")


def _do_agreement(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.AgreementForm(request.POST))
    services.complaint_record_agreement(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        solution=data["solution"],
        accepted=data["accepted"],
        shelved_need=data["shelved_need"],
        forwarded_department=data["department"],
        promised_answer_at=data["promised_answer_at"],
        above_standard=data["above_standard"],
    )
    return _("Agreement recorded.")


def _do_recovery(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.RecoveryForm(request.POST))
    action = services.complaint_add_recovery(
        complaint=ticket,
        kind=data["kind"],
        by=request.user,
        expected_version=data["version"],
        amount=data["amount"],
        cost=data["cost"],
        note=data["note"],
    )
    if action.status == "pending":
        return _("Recovery action added; it awaits approval.")
    return _("Recovery action added.")


def _do_callback(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.CallbackForm(request.POST))
    updated = services.complaint_record_callback(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        solved=data["solved"],
        expectation_met=data["expectation_met"],
        attitude_ok=data["attitude_ok"],
        note=data["note"],
    )
    if updated.state == ComplaintState.RECOVERY:
        return _("The customer is not satisfied: the ticket went back into service recovery.")
    return _("Callback recorded.")


def _do_close(request: HttpRequest, ticket: Complaint) -> str:
    data = _valid(f.CloseForm(request.POST))
    cause = RootCause.objects.filter(code=data["root_cause"]).first()
    services.complaint_close(
        complaint=ticket,
        by=request.user,
        expected_version=data["version"],
        root_cause=cause,
        root_cause_note=data["note"],
    )
    return _("Closed.")


ACTIONS: dict[str, Callable[[HttpRequest, Complaint], str]] = {
    "transition": _do_transition,
    "escalate": _do_escalate,
    "assign": _do_assign,
    "checklist": _do_checklist,
    "type": _do_type,
    "agreement": _do_agreement,
    "recovery": _do_recovery,
    "callback": _do_callback,
    "close": _do_close,
    "recovery_decision": ticket_supervisor.do_recovery_decision,
    "reopen": ticket_supervisor.do_reopen,
    "details": ticket_supervisor.do_details,
}
ACTIONS.update(book_views.BOOK_ACTIONS)  # the book: notes, contact, playbook, appeal


@requires(SEE)
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The ticket page; ``?part=clocks`` returns the clocks alone (HTMX refresh every 60 s);
    a POST carries out one action (needs the right to work complaints)."""
    notice: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        ticket = _ticket(number)
        if not request.user.has_perm(WORK):
            raise PermissionDenied
        try:
            notice = {"level": "success", "text": _run_action(request, ticket)}
        except services.ConflictError:
            notice = {
                "level": CONFLICT,
                "text": _("Someone else changed this ticket — reload it to see their change."),
            }
            status = 409 if not request.htmx else 200
        except DomainError as exc:
            notice = {"level": "error", "text": exc.message}
            status = 400 if not request.htmx else 200
        if not request.htmx and notice["level"] == "success":
            messages.success(request, notice["text"])
            return redirect("complaints:detail", number=ticket.number)
        ticket = _ticket_shown(number)
    elif request.method != "GET":
        raise Http404
    else:
        ticket = _ticket_shown(number)
        from yuqi.customers.facade import remember_customer

        facade.remember_ticket(ticket)  # the panels' reads of this ticket, answered
        remember_customer(ticket.customer)  # and of its customer
    if request.htmx and request.GET.get("part") == "clocks":
        moment = clock.now()
        return render(
            request,
            "complaints/partials/clocks.html",
            {
                "clocks": _clocks(ticket, moment),
                "ticket": ticket,
                "ticket_post_url": _post_url(ticket),
                "as_of": moment,
            },
        )
    context = {**ticket_context(request, ticket), "notice": notice}
    template = (
        "complaints/partials/ticket.html"
        if request.htmx and request.method == "POST"
        else "complaints/detail.html"
    )
    return render(request, template, context, status=status)


# ------------------------------------------------------------------ new complaint
@requires(LOG)
def complaint_new(request: HttpRequest) -> HttpResponse:
    """Log a complaint for a customer (``?customer=<external id>`` fills the customer in;
    ``?contact=<id>`` fills in customer, channel, category and account from a logged contact
    and links the contact to the new ticket)."""
    from yuqi.complaints.services import intake
    from yuqi.customers.facade import customer_ids_by_external_id, customer_refs

    if request.method == "POST":
        form = f.NewComplaintForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ids = customer_ids_by_external_id([data["customer"]])
            if not ids:
                form.add_error("customer", _("No customer with this id."))
            else:
                arguments = {
                    "customer_id": ids[data["customer"]],
                    "account": data["account"],
                    "demand": data["demand"],
                    "by": request.user,
                    "level": ComplaintLevel.objects.get(code=data["level"]),
                    "category": ComplaintCategory.objects.filter(code=data["category"]).first()
                    if data["category"]
                    else None,
                    "channel": data["channel"],
                    "owner": request.user,
                }
                try:
                    if data["contact"]:
                        ticket = intake.complaint_open_from_contact(
                            contact_id=data["contact"], **arguments
                        )
                    else:
                        ticket = services.complaint_open(**arguments)
                except DomainError as exc:
                    shown = exc.field in form.fields and exc.field != "contact"
                    form.add_error(exc.field if shown else None, exc.message)
                else:
                    messages.success(
                        request, _("Complaint %(number)s logged.") % {"number": ticket.number}
                    )
                    return redirect("complaints:detail", number=ticket.number)
    else:
        form = f.NewComplaintForm(initial=_new_complaint_initial(request, intake))
    customer = None
    external_id = form["customer"].value()
    if external_id:
        found = customer_ids_by_external_id([external_id])
        if found:
            customer = customer_refs(found.values()).get(found[external_id])
    context = {"form": form, "customer": customer, "from_contact": form["contact"].value()}
    return render(request, "complaints/new.html", context)


def _new_complaint_initial(request: HttpRequest, intake: Any) -> dict[str, Any]:
    """The new-complaint form's first values: the customer named in the link, or everything
    the contact named in the link says (when it is a known contact of a known customer)."""
    from yuqi.customers.facade import customer_refs

    initial: dict[str, Any] = {"customer": request.GET.get("customer", "")[:64]}
    contact = request.GET.get("contact", "")
    if not (contact.isascii() and contact.isdigit() and len(contact) <= 18):
        return initial
    prefill = intake.contact_prefill(int(contact))
    if prefill is None:
        return initial
    ref = customer_refs([prefill.customer_id]).get(prefill.customer_id)
    if ref is None:
        return initial
    return {
        "customer": ref.external_id,
        "channel": prefill.channel,
        "category": prefill.category_code,
        "account": prefill.account,
        "contact": prefill.contact_id,
    }


# ------------------------------------------------------------------ measures
def _default_measure_filters() -> dict[str, Any]:
    today = timezone.localdate(clock.now())
    return {"date_from": today - timedelta(days=89), "date_to": today, "period": "month", "by": ""}


@requires(MEASURES)
def complaint_measures_page(request: HttpRequest) -> HttpResponse:
    """Service measures by period, level, team, agent and tier; ``?format=csv|xlsx`` downloads
    the complaint table, ``?format=csv&table=promises`` the promise table."""
    form = f.MeasuresFilterForm(
        request.GET if "date_from" in request.GET else _default_measure_filters()
    )
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        by = form.grouping()
        rows = complaint_measures(date_from=data["date_from"], date_to=data["date_to"], by=by)
        levels = escalation_levels()
        table = measures_table(rows, by, levels)
        promises = promise_measures(date_from=data["date_from"], date_to=data["date_to"])
        ptable = promise_table(promises)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            chosen = ptable if request.GET.get("table") == "promises" else table
            stem = "promises" if chosen is ptable else "complaint-measures"
            name = f"{stem}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
            return table_response(name, chosen.headers, chosen.rows, fmt=fmt)
        query = request.GET.copy()
        query.pop("format", None)
        query.pop("table", None)
        context.update(
            table=table,
            promises=ptable,
            chart=chart_option(table, by),
            query=query.urlencode(),
            by=by,
            overdue_now=open_overdue_now(),
        )
    template = (
        "complaints/partials/measures_results.html" if request.htmx else "complaints/measures.html"
    )
    return render(request, template, context)
