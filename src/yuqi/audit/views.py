from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.audit.forms import AuditFilterForm
from yuqi.audit.presenters import field_changes
from yuqi.audit.selectors import ACTION_NAMES, audit_entries, entries_per_day
from yuqi.core.access import requires
from yuqi.core.listing import paginate

PAGE_SIZE = 50


@requires("auditlog.view_logentry")
def audit_list(request: HttpRequest) -> HttpResponse:
    """Read-only audit log with filters; HTMX requests get only the results fragment."""
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filter()
    listing = paginate(request, audit_entries(filters), PAGE_SIZE)
    per_day = entries_per_day(filters)
    chart = {
        "days": [day.isoformat() for day, _n in per_day],
        "counts": [n for _day, n in per_day],
    }
    context = {
        "form": form,
        "page": listing.page,
        "entries": [(entry, field_changes(entry)) for entry in listing.page.object_list],
        "action_names": ACTION_NAMES,
        "chart": chart,
        "query": listing.query,
    }
    template = "audit/partials/results.html" if request.htmx else "audit/list.html"
    return render(request, template, context)
