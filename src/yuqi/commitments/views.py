"""Pages of the promise ledger: the list with its tabs, one promise with its ledger and
actions (HTMX), and the form that records a promise with the guard's live preview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.commitments import links, policies, ports, presenters, selectors, services
from yuqi.commitments.choices import (
    LIVE_STATUSES,
    TOLD_STATES,
    ApprovalState,
    CommitmentStatus,
)
from yuqi.commitments.forms import (
    TABS,
    ApproveForm,
    CommitmentFilterForm,
    CommitmentForm,
    FulfilForm,
    ReasonForm,
    RenegotiateForm,
)
from yuqi.commitments.models import Commitment
from yuqi.core import clock
from yuqi.core.access import requires
from yuqi.core.errors import DomainError
from yuqi.core.listing import paginate

VIEW = "commitments.view_commitment"
ADD = "commitments.add_commitment"
CHANGE = "commitments.change_commitment"
APPROVE = "commitments.approve_commitment"
PAGE_SIZE = 50
BROKEN_WINDOW_DAYS = 30
BRAND = "#0b6e4f"


# ---------------------------------------------------------------------- list
def _tab_rows(tab: str, rows: QuerySet[Commitment], at: Any) -> QuerySet[Commitment]:
    if tab == "due_today":
        start, end = selectors.today_bounds(at)
        return rows.filter(status__in=LIVE_STATUSES, due_at__gte=start, due_at__lt=end)
    if tab == "overdue":
        live_late = Q(status__in=LIVE_STATUSES, due_at__lt=at)
        return rows.filter(live_late | Q(status=CommitmentStatus.BROKEN))
    if tab == "approval":
        return rows.filter(approval_state=ApprovalState.PENDING, status__in=LIVE_STATUSES)
    if tab == "broken":
        since = at - timedelta(days=BROKEN_WINDOW_DAYS)
        return rows.filter(broken_at__isnull=False, due_at__gte=since)
    return rows


def broken_chart(agents: list[selectors.AgentBroken]) -> dict[str, Any]:
    """A horizontal bar per promiser: promises that broke in the window."""
    names = [a.agent for a in reversed(agents)]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 120, "right": 24, "top": 16, "bottom": 24},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": names},
        "series": [
            {
                "name": _("Broken"),
                "type": "bar",
                "data": [a.broken for a in reversed(agents)],
                "itemStyle": {"color": CommitmentStatus.BROKEN.colour.fill},
            }
        ],
    }


@requires(VIEW)
def commitment_index(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "due_today")
    tab = tab if tab in dict(TABS) else "due_today"
    form = CommitmentFilterForm(request.GET or None)
    at = clock.now()
    rows = _tab_rows(tab, selectors.commitment_list(form.to_filter(request.user)), at)
    listing = paginate(request, rows, PAGE_SIZE)
    context: dict[str, Any] = {
        "tab": tab,
        "tabs": TABS,
        "form": form,
        "page": listing.page,
        "query": listing.query,
        "now": at,
        "can_approve": request.user.has_perm(APPROVE),
    }
    if tab == "broken":
        agents = selectors.broken_by_agent(at - timedelta(days=BROKEN_WINDOW_DAYS))
        context |= {"agents": agents, "chart": broken_chart(agents), "window": BROKEN_WINDOW_DAYS}
    template = "commitments/partials/results.html" if request.htmx else "commitments/list.html"
    return render(request, template, context)


# -------------------------------------------------------------------- detail
def _detail_context(request: HttpRequest, commitment: Commitment, **forms: Any) -> dict:
    complaint = links.complaint_refs([commitment.complaint_id]).get(commitment.complaint_id)
    user = request.user
    is_live = commitment.is_live
    pending = commitment.approval_state == ApprovalState.PENDING and is_live
    # Kept or changed only once approved (or never flagged): services refuse it otherwise.
    change = policies.can_change(user, commitment.promised_by_id)
    settled = change and commitment.approval_state in TOLD_STATES
    return {
        "c": commitment,
        "flags": presenters.flag_messages(commitment.flags),
        "ledger": [
            {"event": e, "summary": presenters.event_summary(e.kind, e.parameters)}
            for e in selectors.ledger(commitment.pk)
        ],
        "complaint": complaint,
        "can_fulfil": settled and (is_live or commitment.status == CommitmentStatus.BROKEN),
        "can_renegotiate": settled and is_live,
        "can_cancel": change and is_live,
        "can_approve": pending and policies.can_approve(user, commitment.promised_by_id),
        "pending": pending,
        "fulfil_form": forms.get("fulfil_form") or FulfilForm(),
        "renegotiate_form": forms.get("renegotiate_form") or RenegotiateForm(),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reject_form": forms.get("reject_form") or ReasonForm(prefix="reject"),
        "cancel_form": forms.get("cancel_form") or ReasonForm(prefix="cancel"),
        "error": forms.get("error"),
    }


def _commitment(pk: int) -> Commitment:
    rows = Commitment.objects.select_related(
        "customer", "customer__tier", "promised_by", "approved_by"
    )
    return get_object_or_404(rows, pk=pk)


@requires(VIEW)
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment(pk)
    return render(request, "commitments/detail.html", _detail_context(request, commitment))


def _respond(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    """After an action: the refreshed body for HTMX, else back to the page (PRG)."""
    if request.htmx:
        context = _detail_context(request, _commitment(pk), **forms)
        return render(request, "commitments/partials/detail_body.html", context)
    if forms.get("error"):
        messages.error(request, forms["error"])
    return redirect("commitments:detail", pk=pk)


def _act(request: HttpRequest, pk: int, form: Any, form_key: str, action: Any) -> HttpResponse:
    if not form.is_valid():
        return _respond(request, pk, **{form_key: form, "error": _("Check the fields.")})
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        return _respond(request, pk, **{form_key: form, "error": exc.message})
    return _respond(request, pk)


def _changeable(request: HttpRequest, pk: int) -> Commitment:
    commitment = _commitment(pk)
    if not policies.can_change(request.user, commitment.promised_by_id):
        raise PermissionDenied  # a colleague's promise: not theirs to change
    return commitment


@require_POST
@requires(VIEW, CHANGE)
def commitment_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    _changeable(request, pk)
    return _act(
        request,
        pk,
        FulfilForm(request.POST),
        "fulfil_form",
        lambda d: services.commitment_fulfil(
            commitment_id=pk,
            by_id=request.user.pk,
            evidence=d["evidence"],
            evidence_file=d["evidence_file"],
        ),
    )


@require_POST
@requires(VIEW, CHANGE)
def commitment_renegotiate(request: HttpRequest, pk: int) -> HttpResponse:
    _changeable(request, pk)
    return _act(
        request,
        pk,
        RenegotiateForm(request.POST),
        "renegotiate_form",
        lambda d: services.commitment_renegotiate(
            commitment_id=pk, by_id=request.user.pk, due_at=d["due_at"], reason=d["reason"]
        ),
    )


@require_POST
@requires(VIEW, CHANGE)
def commitment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _changeable(request, pk)
    return _act(
        request,
        pk,
        ReasonForm(request.POST, prefix="cancel"),
        "cancel_form",
        lambda d: services.commitment_cancel(
            commitment_id=pk, by_id=request.user.pk, reason=d["reason"]
        ),
    )


@require_POST
@requires(VIEW, APPROVE)
def commitment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ApproveForm(request.POST),
        "approve_form",
        lambda d: services.commitment_approve(
            commitment_id=pk, by_id=request.user.pk, note=d["note"]
        ),
    )


@require_POST
@requires(VIEW, APPROVE)
def commitment_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReasonForm(request.POST, prefix="reject"),
        "reject_form",
        lambda d: services.commitment_reject(
            commitment_id=pk, by_id=request.user.pk, reason=d["reason"]
        ),
    )


# ----------------------------------------------------------------------- new
def _customer_for(external_id: str, complaint: str = "") -> Any:
    """The customer named in the link, or else the customer of the ticket it names (a link
    from a complaint page may carry only ``complaint``); 404 when neither is known."""
    customer_id = ports.customer_id_for(external_id) if external_id else None
    if customer_id is None and complaint.isascii() and complaint.isdigit() and len(complaint) < 19:
        ticket = links.complaint_refs([int(complaint)]).get(int(complaint))
        customer_id = ticket.customer_id if ticket else None
    ref = ports.customer_ref(customer_id) if customer_id else None
    if ref is None:
        raise Http404
    return ref


def _preview(form: CommitmentForm, customer: Any, user: Any) -> dict[str, Any]:
    """The guard's answer for the form as typed so far (nothing is saved)."""
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or form.data.get("kind") or form["kind"].value() or ""
    if not kind:
        return {}
    try:
        check = services.commitment_check(
            customer_id=customer.id,
            kind=kind,
            promised_by_id=user.pk,
            promised_at=clock.now(),
            due_at=data.get("due_at"),
            amount=data.get("amount"),
            perk=data.get("perk") or "",
        )
    except DomainError as exc:
        return {"error": exc.message}
    return {
        "check": check,
        "flags": presenters.flag_messages(check.flags),
        "suggested": check.result.suggested_due,
        "achievable": check.result.achievable_due,
        "due": check.due,
    }


@requires(VIEW, ADD)
def commitment_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    customer = _customer_for(source.get("customer", ""), source.get("complaint", ""))
    initial = {
        "customer": customer.external_id,
        "complaint": request.GET.get("complaint"),
        "interaction": request.GET.get("interaction"),
        "kind": request.GET.get("kind") or "callback",
    }
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_record(
                customer_id=customer.id,
                kind=data["kind"],
                text=data["text"],
                promised_by_id=request.user.pk,
                due_at=data["due_at"],
                complaint_id=data["complaint"],
                interaction_id=data["interaction"],
                department=data["department"],
                amount=data["amount"],
                perk=data["perk"] or "",
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if commitment.approval_state == ApprovalState.PENDING:
                messages.warning(request, _("Promise recorded; it awaits a supervisor's approval."))
            else:
                messages.success(request, _("Promise recorded; the customer is told."))
            return redirect("commitments:detail", pk=commitment.pk)
    context = {
        "form": form,
        "customer": customer,
        "preview": _preview(form, customer, request.user),
    }
    return render(request, "commitments/new.html", context)


@require_POST
@requires(VIEW, ADD)
def commitment_preview(request: HttpRequest) -> HttpResponse:
    customer = _customer_for(request.POST.get("customer", ""))
    form = CommitmentForm(request.POST)
    context = {"preview": _preview(form, customer, request.user)}
    return render(request, "commitments/partials/preview.html", context)
