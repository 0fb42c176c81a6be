from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.audit.forms import AuditFilterForm
from yuqi.audit.selectors import ACTION_NAMES, audit_entries, entries_per_day
from yuqi.core.access import requires

PAGE_SIZE = 50


@requires("auditlog.view_logentry")
def audit_list(request: HttpRequest) -> HttpResponse:
    """Read-only audit log with filters; HTMX requests get only the results fragment."""
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filter()
    page = Paginator(audit_entries(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    per_day = entries_per_day(filters)
    chart = {
        "days": [day.isoformat() for day, _n in per_day],
        "counts": [n for _day, n in per_day],
    }
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "action_names": ACTION_NAMES,
        "chart": chart,
        "query": query.urlencode(),
    }
    template = "audit/partials/results.html" if request.htmx else "audit/list.html"
    return render(request, template, context)
