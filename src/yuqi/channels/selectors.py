"""Reads for the staff pages of the customer channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from yuqi.channels.choices import IntakeKind
from yuqi.channels.models import Attachment, IntakeSubmission, Notice
from yuqi.channels.services import Audience


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    created_at: datetime
    kind: str
    kind_label: str
    number: str
    customer_id: int
    text: str
    attachments: list[Attachment]


def submissions(*, limit: int = 200) -> list[SubmissionRow]:
    """The latest submissions with what the customer wrote (from complaints) and their files."""
    from yuqi.complaints.facade import complaint_texts, feedback_texts

    rows = list(IntakeSubmission.objects.prefetch_related("attachments")[:limit])
    complaint_words = complaint_texts(r.complaint_id for r in rows if r.complaint_id)
    feedback_words = feedback_texts(r.feedback_id for r in rows if r.feedback_id)
    out = []
    for row in rows:
        if row.complaint_id:
            found = complaint_words.get(row.complaint_id)
            text = found.text if found else ""
        else:
            text = feedback_words.get(row.feedback_id or 0, "")
        out.append(
            SubmissionRow(
                id=row.pk,
                created_at=row.created_at,
                kind=row.kind,
                kind_label=str(IntakeKind(row.kind).label),
                number=row.complaint_number,
                customer_id=row.customer_id,
                text=text,
                attachments=list(row.attachments.all()),
            )
        )
    return out


def tier_breakdown(audience: Audience) -> list[tuple[str, int]]:
    """(tier label, recipients), highest tier first; customers without a tier last."""
    from django.utils.translation import gettext as _

    from yuqi.customers.facade import tier_labels

    labels = tier_labels()
    rows = [(label, audience.by_tier.get(code, 0)) for code, label in labels.items()]
    rows = [row for row in rows if row[1]]
    if audience.by_tier.get(""):
        rows.append((_("No tier"), audience.by_tier[""]))
    return rows


def notice_filters(notice: Notice) -> list[tuple[str, str]]:
    """The notice's audience filters as (what, labels) in the active language: tier, segment,
    queue and product names rather than their codes; "all" for an empty filter."""
    from django.utils.translation import gettext as _

    from yuqi.channels.services import PRODUCT_DAYS, QUEUE_DAYS, product_labels
    from yuqi.customers.facade import segment_labels, tier_labels
    from yuqi.interactions.facade import queue_names

    def named(codes: list[str], labels: dict[str, str]) -> str:
        return "、".join(labels.get(code, code) for code in codes) or _("all")

    rows = [
        (_("Tiers"), named(notice.tiers, tier_labels())),
        (_("Regions"), named(notice.regions, {})),
        (_("Pyramid segments"), named(notice.segments, dict(segment_labels()))),
    ]
    if notice.queue:
        queue = queue_names().get(notice.queue, notice.queue)
        rows.append(
            (_("Queue"), _("%(queue)s (callers in %(n)s days)") % {"queue": queue, "n": QUEUE_DAYS})
        )
    if notice.product:
        product = product_labels().get(notice.product, notice.product)
        rows.append(
            (
                _("Product"),
                _("%(product)s (tickets in %(n)s days)") % {"product": product, "n": PRODUCT_DAYS},
            )
        )
    return rows


def notice_message_counts(notice: Notice) -> dict[str, int]:
    """Messages logged for the notice, by status (sent, failed, skipped, queued)."""
    from yuqi.notifications.facade import messages_about

    counts: dict[str, int] = {}
    if notice.state == "draft":
        return counts
    for message in messages_about(f"notice:{notice.pk}"):
        counts[message.status_label] = counts.get(message.status_label, 0) + 1
    return counts


def kind_counts() -> dict[str, int]:
    return dict(IntakeSubmission.objects.order_by().values_list("kind").annotate(n=Count("id")))
