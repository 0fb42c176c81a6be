"""The work queue's supervisor tools: column sorting, bulk assignment and saved views.

Sorting takes a column of :data:`selectors.QUEUE_SORTS` (anything else keeps the urgency
order); bulk assignment is all or nothing over open tickets; a saved view stores the queue's
cleaned filters (never the raw query string) for its user only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuqi.complaints import forms as f
from yuqi.complaints import services
from yuqi.complaints.models import SavedQueueView
from yuqi.complaints.selectors import QUEUE_SORTS
from yuqi.core.access import requires
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.errors import DomainError

SEE = "complaints.view_complaint"
WORK = "complaints.change_complaint"

#: The queue's columns in page order: (sort key or "", heading).
COLUMNS: tuple[tuple[str, object], ...] = (
    ("number", gettext_lazy("Ticket")),
    ("level", gettext_lazy("Level")),
    ("state", gettext_lazy("State")),
    ("sla", gettext_lazy("SLA")),
    ("category", gettext_lazy("Category")),
    ("customer", gettext_lazy("Customer")),
    ("owner", gettext_lazy("Owner")),
    ("risk", gettext_lazy("Risk")),
    ("account", gettext_lazy("Customer's account")),
)
FILTER_KEYS = (
    "level",
    "state",
    "owner",
    "team",
    "category",
    "sla",
    "q",
    "risk_min",
    "complainer_type",
    "sort",
)


def clean_query(form: f.QueueFilterForm) -> str:
    """The valid filters of ``form`` as a query string (only known keys, non-empty values)."""
    if not form.is_valid():
        return ""
    pairs = [(k, form.cleaned_data.get(k)) for k in FILTER_KEYS]
    return urlencode([(k, str(v)) for k, v in pairs if v not in (None, "")])


def sort_headers(form: f.QueueFilterForm) -> list[dict[str, Any]]:
    """Each column's heading with the link that sorts by it (again: the other way)."""
    current = form.cleaned_data.get("sort", "") if form.is_valid() else ""
    base = clean_query(form)
    params = [p for p in base.split("&") if p and not p.startswith("sort=")]
    headers = []
    for key, label in COLUMNS:
        direction = ""
        if current.lstrip("-") == key:
            direction = "desc" if current.startswith("-") else "asc"
        target = f"-{key}" if direction == "asc" else key
        headers.append(
            {
                "key": key,
                "label": label,
                "direction": direction,
                "url": "?" + "&".join([*params, urlencode({"sort": target})]),
            }
        )
    return headers


def valid_sort(value: str) -> str:
    return value if value.lstrip("-") in QUEUE_SORTS else ""


#: The user's saved views, on every work-queue page: compiled once.
_SAVED_VIEWS_READ = CompiledRead(
    lambda *, user_id: (
        SavedQueueView.objects.filter(user_id=user_id)
        .order_by("name", "id")
        .values_list("id", "name", "query")
    ),
    model=SavedQueueView,
    user_id=SavedQueueView._meta.get_field("user"),
)


def saved_views_for(user: Any) -> list[dict[str, Any]]:
    base = reverse("complaints:queue")
    return [
        {"id": pk, "name": name, "url": f"{base}?{query}" if query else base}
        for pk, name, query in _SAVED_VIEWS_READ.rows(user_id=user.pk)
    ]


def _back(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    form = f.QueueFilterForm(_parse(query))
    cleaned = clean_query(form)
    return redirect(reverse("complaints:queue") + (f"?{cleaned}" if cleaned else ""))


def _parse(query: str) -> Any:
    from django.http import QueryDict

    return QueryDict(query[:600]) if query else None


@require_POST
@requires(SEE, WORK)
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked tickets to one owner (permission checked before the form is read)."""
    form = f.BulkAssignForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(" ".join(errs) for errs in form.errors.values())
        messages.error(request, problems)
        return _back(request)
    data = form.cleaned_data
    owner = get_user_model().objects.filter(pk=data["owner"], is_active=True).first()
    try:
        done = services.complaints_bulk_assign(
            numbers=data["tickets"], owner=owner, by=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)d tickets assigned to %(owner)s.") % {"n": len(done), "owner": owner},
        )
    return _back(request)


@require_POST
@requires(SEE)
def saved_view_create(request: HttpRequest) -> HttpResponse:
    form = f.SaveViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(" ".join(e) for e in form.errors.values()))
        return _back(request)
    query = clean_query(f.QueueFilterForm(_parse(form.cleaned_data["query"])))
    try:
        view = services.saved_view_save(
            user=request.user, name=form.cleaned_data["name"], query=query
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(reverse("complaints:queue") + (f"?{query}" if query else ""))


@require_POST
@requires(SEE)
def saved_view_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.saved_view_delete(user=request.user, view_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("View deleted."))
    return redirect("complaints:queue")
