"""Staff pages of the customer channels: proactive notices (compose, preview the audience and
the tier guard, send) and what customers filed on the public form (with their attachments)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuqi.channels import selectors, services
from yuqi.channels.attachments import attachment_path
from yuqi.channels.choices import NoticeState
from yuqi.channels.forms import NoticeForm, SendForm
from yuqi.channels.models import Attachment, Notice
from yuqi.core.access import requires
from yuqi.core.downloads import table_response
from yuqi.core.errors import DomainError

SEND = "channels.send_notice"
VIEW_INTAKE = "channels.view_intakesubmission"


def _notice_form(data: Any = None) -> NoticeForm:
    from yuqi.customers.facade import segment_labels, tier_labels
    from yuqi.interactions.facade import queue_names

    return NoticeForm(
        data,
        tiers=tier_labels(),
        segments=segment_labels(),
        queues=queue_names(),
        products=services.product_labels(),
    )


@requires(SEND)
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    form = _notice_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_create(
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tiers=data["tiers"],
                regions=data["regions"],
                segments=data["segments"],
                queue=data["queue"],
                product=data["product"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("channels:notice", pk=notice.pk)
    rows = Notice.objects.select_related("created_by", "sent_by")[:100]
    status = 422 if request.method == "POST" else 200
    return render(request, "channels/notices.html", {"form": form, "rows": rows}, status=status)


@requires(SEND)
@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk)
    form = SendForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_send(
                notice_id=notice.pk,
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except DomainError as exc:
            form.add_error("override_reason" if exc.code == "tier_guard" else None, exc.message)
            status = 409
        else:
            messages.success(
                request, _("Sending has started in the background; this page follows it.")
            )
            return redirect("channels:notice", pk=notice.pk)
    if request.GET.get("part") == "progress":
        response = render(request, "channels/partials/notice_progress.html", {"notice": notice})
        if notice.state != NoticeState.SENDING:
            response["HX-Refresh"] = "true"  # finished: show the whole page with the counts
        return response
    if notice.state != NoticeState.DRAFT:  # frozen: no audience to resolve again
        context = {
            "notice": notice,
            "filters": selectors.notice_filters(notice),
            "messages_sent": selectors.notice_message_counts(notice),
        }
        return render(request, "channels/notice.html", context, status=status)
    audience = services.notice_audience(notice)
    context = {
        "notice": notice,
        "audience": audience,
        "tiers": selectors.tier_breakdown(audience),
        "filters": selectors.notice_filters(notice),
        "findings": services.notice_findings(notice, audience),
        "form": form,
        "messages_sent": selectors.notice_message_counts(notice),
    }
    return render(request, "channels/notice.html", context, status=status)


@requires(VIEW_INTAKE)
def intake_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.submissions(limit=200)
    if request.GET.get("format") == "csv":
        return table_response(
            "customer-submissions",
            [_("Filed at"), _("Kind"), _("Ticket"), _("Customer"), _("What the customer said")],
            [
                [r.created_at.isoformat(), r.kind_label, r.number, r.customer_id, r.text]
                for r in rows
            ],
        )
    may_open = request.user.has_perm("channels.view_attachment")
    return render(request, "channels/intake.html", {"rows": rows, "may_open": may_open})


@requires("channels.view_attachment")
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Attachment, pk=pk)
    path = attachment_path(row.stored_name)
    if not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=row.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]
