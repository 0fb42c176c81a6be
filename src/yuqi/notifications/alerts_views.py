"""In-app alerts: the bell in the top bar (its count loads by HTMX and refreshes every minute,
so rendering a page costs no query) and the list of what fired for the signed-in user — every
message logged for them (SLA at-risk/breach alerts, promise reminders, rejections…), marked
read when they say so."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yuqi.core.access import signed_in
from yuqi.core.listing import paginate
from yuqi.notifications import selectors, services

PAGE_SIZE = 30
MAX_IDS = 100


@signed_in
def alert_list(request: HttpRequest) -> HttpResponse:
    listing = paginate(request, selectors.alerts_for(request.user.pk), PAGE_SIZE)
    context = {
        "alerts": listing.page.object_list,
        "page": listing.page,
        "query": listing.query,
        "unread": selectors.unread_alert_count(request.user.pk),
    }
    return render(request, "notifications/alerts.html", context)


@signed_in
def alert_bell(request: HttpRequest) -> HttpResponse:
    """The bell's count (HTMX fragment)."""
    count = selectors.unread_alert_count(request.user.pk)
    return render(request, "notifications/partials/bell_count.html", {"unread": count})


@require_POST
@signed_in
def alerts_read(request: HttpRequest) -> HttpResponse:
    """Mark one (``id``) or all of the user's own alerts read; other users' ids change nothing."""
    raw = request.POST.getlist("id")[:MAX_IDS]
    ids = [int(v) for v in raw if v.isdigit() and len(v) < 19]
    services.alerts_mark_read(user_id=request.user.pk, ids=ids if raw else None)
    return redirect("notifications:alerts")
