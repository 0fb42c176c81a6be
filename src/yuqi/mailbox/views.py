"""The e-mail intake page: the job's runs and what became of each message (staff only)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from yuqi.core.access import requires
from yuqi.core.listing import paginate
from yuqi.domain.pii import mask_email
from yuqi.mailbox.choices import AttachmentStatus, Outcome
from yuqi.mailbox.models import InboundAttachment
from yuqi.mailbox.selectors import mail_rows, recent_runs
from yuqi.mailbox.storage import stored_path


@requires("mailbox.view_mailboxrun")
def run_list(request: HttpRequest) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    if outcome not in Outcome.values:
        outcome = ""
    listing = paginate(request, mail_rows(outcome=outcome))
    mails = list(listing.page.object_list)
    for mail in mails:
        mail.sender_masked = mask_email(mail.sender) if mail.sender else ""
    context = {
        "configured": bool(settings.IMAP_HOST),
        "folder": settings.IMAP_FOLDER,
        "runs": recent_runs(),
        "mails": mails,
        "page": listing.page,
        "query": listing.query,
        "outcome": outcome,
        "outcomes": Outcome.choices,
    }
    return render(request, "mailbox/runs.html", context)


@requires("mailbox.view_mailboxrun", "customers.view_personal_data")
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A kept attachment as a download, never shown inline: ``application/octet-stream``,
    ``Content-Disposition: attachment``, nosniff. Attachments are the customer's personal
    data: only roles that see personal data unmasked may fetch them."""
    item = get_object_or_404(InboundAttachment, pk=pk, status=AttachmentStatus.STORED)
    try:
        path = stored_path(item.stored_name)
        handle = path.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f"attachment; filename=\"attachment-{item.pk}\"; filename*=UTF-8''{quote(item.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]
