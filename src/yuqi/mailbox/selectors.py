"""Reads of the e-mail intake for its page."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from yuqi.mailbox.models import InboundAttachment, InboundMail, MailboxRun


def recent_runs(limit: int = 20) -> list[MailboxRun]:
    return list(MailboxRun.objects.order_by("-started_at", "-id")[:limit])


def mail_rows(*, outcome: str = "") -> QuerySet[InboundMail]:
    rows = InboundMail.objects.order_by("-received_at", "-id").prefetch_related(
        Prefetch("attachments", queryset=InboundAttachment.objects.order_by("id"))
    )
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.annotate(n_attachments=Count("attachments"))
