"""The e-mail intake page: the job's runs and what became of each message (staff only)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.core.access import requires
from yuqi.core.listing import paginate
from yuqi.domain.pii import mask_email
from yuqi.mailbox.choices import Outcome
from yuqi.mailbox.selectors import mail_rows, recent_runs


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
