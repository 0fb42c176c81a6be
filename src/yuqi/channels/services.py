"""Writes and reads of the customer channels context: a customer files a complaint, a
suggestion or praise; looks up a ticket; staff send proactive notices under the tier guard.

Other contexts are reached through their facades only: customers (who has this number),
complaints (open a ticket, record feedback, a ticket's public status), commitments (promises
on a ticket, tier perks), textmining (a suggestion's topic), notifications (every message).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.channels.attachments import CheckedFile, attachment_path, attachment_write
from yuqi.channels.choices import IntakeKind, NoticeKind, NoticeState, RecipientOutcome
from yuqi.channels.models import (
    Attachment,
    IntakeSubmission,
    Notice,
    NoticeOptOut,
    NoticeRecipient,
)
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.tier_guard import GuardFinding, PerkTerm, tier_guard

MAX_TEXT = 2000
MAX_NAME = 40


# ------------------------------------------------------------------------------ intake
@dataclass(frozen=True)
class IntakeResult:
    """What the customer is told: the ticket number and the first reply's due time (a
    complaint), or just thanks (a suggestion or praise)."""

    submission_id: int
    kind: str
    number: str
    first_response_due: datetime | None


def _customer_for(phone: str, name: str) -> tuple[int, bool]:
    from yuqi.customers.facade import customer_id_by_phone, customer_register_from_intake

    found = customer_id_by_phone(phone)
    if found is not None:
        return found, False
    shown = name.strip()[:MAX_NAME] or _("Customer %(tail)s") % {"tail": phone[-4:]}
    return customer_register_from_intake(phone=phone, name=shown), True


def intake_submit(
    *,
    phone: str,
    kind: str,
    text: str,
    language: str,
    name: str = "",
    files: list[CheckedFile] | None = None,
) -> IntakeResult:
    """File what a customer wrote (their number already verified by a code).

    The customer is the one with this phone number, or a new customer. A complaint becomes a
    ticket through the complaints service the agents' page uses (numbered, SLA clocks, the
    customer told, analysed by the text pipeline after the commit); a suggestion or praise a
    record in complaints' book, its topic from the text pipeline, the customer thanked.
    Attachments are written privately; if anything fails nothing is kept.
    """
    from yuqi.complaints.facade import complaint_file_by_customer, feedback_submit
    from yuqi.textmining.facade import text_topic

    if kind not in IntakeKind.values:
        raise DomainError(_("Choose complaint, suggestion or praise."), field="kind")
    text = text.strip()
    if not text:
        raise DomainError(_("Please tell us what happened."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("Please keep it under %(n)s characters.") % {"n": MAX_TEXT}, field="text"
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            customer_id, new = _customer_for(phone, name)
            number, due, complaint_id, feedback_id = "", None, None, None
            if kind == IntakeKind.COMPLAINT:
                filed = complaint_file_by_customer(customer_id=customer_id, account=text)
                number, due, complaint_id = filed.number, filed.first_response_due, filed.id
            else:
                feedback_id = feedback_submit(
                    customer_id=customer_id, kind=kind, text=text, topic=text_topic(text)
                )
            at = now()
            row = IntakeSubmission.objects.create(
                kind=kind,
                customer_id=customer_id,
                complaint_id=complaint_id,
                complaint_number=number,
                feedback_id=feedback_id,
                language=language,
                new_customer=new,
                created_at=at,
            )
            for checked in files or []:
                stored = attachment_write(checked)
                written.append(stored)
                Attachment.objects.create(
                    submission=row,
                    stored_name=stored,
                    original_name=checked.name,
                    content_type=checked.content_type,
                    size=len(checked.data),
                    sha256=checked.sha256,
                    created_at=at,
                )
    except BaseException:
        for stored in written:
            with contextlib.suppress(OSError):
                attachment_path(stored).unlink()
        raise
    return IntakeResult(row.pk, kind, number, due)


# ------------------------------------------------------------------------------ status
#: The next step in plain words, per ticket state.
NEXT_STEP = {
    "new": gettext_lazy("We have received your complaint. A handler will contact you."),
    "acknowledged": gettext_lazy("A handler has your complaint and is looking into it."),
    "investigating": gettext_lazy("We are looking into what happened."),
    "waiting_customer": gettext_lazy(
        "We are waiting for information from you. Please answer our call or message."
    ),
    "waiting_department": gettext_lazy(
        "We have asked the department responsible and are waiting for their answer."
    ),
    "solution_proposed": gettext_lazy(
        "We have proposed a solution and are waiting for your reply."
    ),
    "agreed": gettext_lazy("We agreed on a solution and are carrying it out."),
    "shelved_forwarded": gettext_lazy(
        "Your request was passed to the department responsible, which will answer you."
    ),
    "recovery": gettext_lazy("We are putting things right for you."),
    "resolved": gettext_lazy(
        "Your complaint is resolved. We will call you to check that you are satisfied."
    ),
    "callback_done": gettext_lazy("We have called you back; the ticket will be closed soon."),
    "closed": gettext_lazy("Your complaint is closed. Thank you for your patience."),
}
DUE_LABEL = {
    "first_response": gettext_lazy("We will contact you by"),
    "resolution": gettext_lazy("We expect to resolve it by"),
    "callback": gettext_lazy("We will call you back by"),
}


@dataclass(frozen=True)
class PromiseView:
    what: str
    kind: str
    due_at: datetime
    status: str
    kept: bool


@dataclass(frozen=True)
class StatusView:
    """Everything the customer sees of a ticket: no names of staff, no notes."""

    number: str
    state_label: str
    closed: bool
    next_step: str
    due_label: str
    due_at: datetime | None
    opened_at: datetime
    promises: list[PromiseView] = field(default_factory=list)


def ticket_phone(number: str) -> str:
    """The phone number on file for ticket ``number``'s customer ("" if none or unknown)."""
    from yuqi.complaints.facade import complaint_public_status
    from yuqi.customers.facade import customer_contact

    status = complaint_public_status(number)
    if status is None:
        return ""
    try:
        return customer_contact(status.customer_id).phone
    except LookupError:
        return ""


def status_view(number: str) -> StatusView | None:
    """The customer's view of ticket ``number``; None for an unknown number."""
    from yuqi.commitments.facade import commitments_for_complaint
    from yuqi.complaints.facade import complaint_public_status

    status = complaint_public_status(number)
    if status is None:
        return None
    promises = [
        PromiseView(
            what=line.text,
            kind=line.kind_label,
            due_at=line.due_at,
            status=line.status_label,
            kept=line.status == "fulfilled",
        )
        for line in commitments_for_complaint(status.id)
        if line.status != "cancelled" and line.approval_state not in ("pending", "rejected")
    ]
    closed = status.state == "closed"
    return StatusView(
        number=status.number,
        state_label=status.state_label,
        closed=closed,
        next_step=str(NEXT_STEP.get(status.state, "")),
        due_label=str(DUE_LABEL.get(status.next_due_kind, "")) if not closed else "",
        due_at=None if closed else status.next_due_at,
        opened_at=status.opened_at,
        promises=promises,
    )


# ------------------------------------------------------------------------------ notices
QUEUE_DAYS = 90
#: A notice about a product goes to the customers with a ticket about it in this many days.
PRODUCT_DAYS = 365


@dataclass(frozen=True)
class Audience:
    customer_ids: list[int]
    by_rank: dict[int | None, int]
    by_tier: dict[str, int]
    opted_out: int
    no_consent: int = 0  # left out: a care message needs the customer's marketing consent

    @property
    def size(self) -> int:
        return len(self.customer_ids)


class TierGuardRefused(DomainError):
    """The text names a perk part of the audience is not entitled to, and no override."""

    def __init__(self, message: str, findings: list[GuardFinding]) -> None:
        super().__init__(message, field="override_reason", code="tier_guard")
        self.findings = findings


def _clean_list(values: Any, limit: int = 40) -> list[str]:
    items = [str(v).strip()[:60] for v in (values or []) if str(v).strip()]
    return sorted(set(items))[:limit]


def notice_create(
    *,
    kind: str,
    title: str,
    body: str,
    by: Any,
    tiers: Any = (),
    regions: Any = (),
    segments: Any = (),
    queue: str = "",
    product: str = "",
) -> Notice:
    """A draft notice to a segment (empty filters: every active customer). ``product`` is a
    code of the complaint category tree (a product or service line)."""
    if kind not in NoticeKind.values:
        raise DomainError(_("Unknown kind of notice."), field="kind")
    product = str(product or "").strip()[:40]
    if product and product not in product_labels():
        raise DomainError(_("Unknown product."), field="product")
    title, body = title.strip(), body.strip()
    if not title or len(title) > 80:
        raise DomainError(_("Give the notice a title of at most 80 characters."), field="title")
    if not body or len(body) > 500:
        raise DomainError(_("Write the text, at most 500 characters."), field="body")
    return Notice.objects.create(
        kind=kind,
        title=title,
        body=body,
        tiers=_clean_list(tiers),
        regions=_clean_list(regions),
        segments=_clean_list(segments),
        queue=queue.strip()[:40],
        product=product,
        created_by=by,
        created_at=now(),
    )


def notice_purpose(kind: str) -> str:
    """The consent purpose a notice is sent under: outage, maintenance and policy notices are
    service (the customer's own service changes); a care message is marketing, so it goes
    only to customers whose marketing consent is given (PIPL art. 13–14, the consent ledger)."""
    return "marketing" if kind == NoticeKind.CARE else "service"


def notice_audience(notice: Notice) -> Audience:
    """The active customers the notice's filters select, less those who opted out."""
    from yuqi.customers.facade import customer_frame, tier_ranks

    rows = customer_frame(tiers=notice.tiers, regions=notice.regions, segments=notice.segments)
    if notice.queue:
        from yuqi.interactions.facade import customers_contacted_in_queue

        wanted = customers_contacted_in_queue(notice.queue, now() - timedelta(days=QUEUE_DAYS))
        rows = [row for row in rows if row.id in wanted]
    if notice.product:
        from yuqi.complaints.facade import customers_with_complaints_in_category

        wanted = customers_with_complaints_in_category(
            notice.product, now() - timedelta(days=PRODUCT_DAYS)
        )
        rows = [row for row in rows if row.id in wanted]
    opted = set(NoticeOptOut.objects.values_list("customer_id", flat=True))
    kept = [row for row in rows if row.id not in opted]
    not_opted = len(kept)
    purpose = notice_purpose(notice.kind)
    if purpose != "service":
        from yuqi.privacy.facade import customers_consenting

        consenting = customers_consenting([row.id for row in kept], purpose)
        kept = [row for row in kept if row.id in consenting]
    ranks = tier_ranks()
    by_rank = Counter(ranks.get(row.tier_code) for row in kept)
    by_tier = Counter(row.tier_code for row in kept)
    return Audience(
        customer_ids=[row.id for row in kept],
        by_rank=dict(by_rank),
        by_tier=dict(by_tier),
        opted_out=len(rows) - not_opted,
        no_consent=not_opted - len(kept),
    )


def product_labels() -> dict[str, str]:
    """Product code → label in the active language: the complaint category tree (top-level
    lines and their sub-categories), the product notion the tickets already carry."""
    from yuqi.complaints.facade import category_choices

    return {choice.code: choice.label for choice in category_choices()}


def perk_terms() -> list[PerkTerm]:
    from yuqi.commitments.facade import perk_lines

    return [
        PerkTerm(line.code, (line.name, line.name_en), line.min_tier_rank) for line in perk_lines()
    ]


def notice_findings(notice: Notice, audience: Audience | None = None) -> list[GuardFinding]:
    """The tier guard on the notice's title and text for its current audience."""
    audience = audience or notice_audience(notice)
    return tier_guard(f"{notice.title}\n{notice.body}", perk_terms(), audience.by_rank)


def notice_send(*, notice_id: int, by: Any, override_reason: str = "") -> Notice:
    """Ask for a draft notice to be sent by SMS to its audience; the sending itself is a
    background job (:func:`notice_deliver`, run by ``yuqi worker``) and the notice's page
    follows its progress.

    The audience is resolved now (opted-out customers left out) and frozen as one
    :class:`NoticeRecipient` row per customer. The tier guard holds a text naming a perk that
    part of the audience is not entitled to: refused with :class:`TierGuardRefused` unless
    ``override_reason`` says why it must go anyway; the reason and who gave it are kept on the
    notice (and so in the audit log).
    """
    reason = override_reason.strip()[:300]
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.state != NoticeState.DRAFT:
            raise DomainError(_("This notice was already sent."), field="notice", code="conflict")
        audience = notice_audience(notice)
        findings = notice_findings(notice, audience)
        notice.guard_findings = [
            {"perk": f.code, "name": f.name, "min_rank": f.min_rank, "below": f.below}
            for f in findings
        ]
        if findings and not reason:
            raise TierGuardRefused(
                _(
                    "The text mentions a perk that %(n)s of the recipients are not entitled "
                    "to (%(perks)s). Narrow the audience, change the text, or give a reason "
                    "to send it anyway."
                )
                % {
                    "n": sum(f.below for f in findings),
                    "perks": "、".join(f.name for f in findings),
                },
                findings,
            )
        if findings:
            notice.override_reason = reason
            notice.override_by = by
        NoticeRecipient.objects.bulk_create(
            [NoticeRecipient(notice=notice, customer_id=pk) for pk in audience.customer_ids],
            batch_size=SEND_BATCH,
        )
        notice.state = NoticeState.SENDING if audience.size else NoticeState.SENT
        notice.audience_size = audience.size
        notice.sent_count = 0
        notice.done_count = 0
        notice.opted_out_count = audience.opted_out
        notice.sent_by = by
        notice.send_requested_at = now()
        if not audience.size:
            notice.sent_at = notice.send_requested_at
        notice.save()
        if audience.size:
            transaction.on_commit(partial(_enqueue_sending, notice.pk))
    return notice


#: Recipients handled per transaction by the sending job.
SEND_BATCH = 200

_SENDER: list[Any] = []


def register_sender(enqueue: Any) -> None:
    """The job that sends a notice (``tasks.send_notice.enqueue``, set in ``ready()`` so the
    services never import the tasks that call them)."""
    _SENDER[:] = [enqueue]


def _enqueue_sending(notice_id: int) -> None:
    if _SENDER:
        _SENDER[0](notice_id)


def notice_deliver(notice_id: int, *, batch: int = SEND_BATCH) -> Notice:
    """The background job: log and send the notice's SMS to each recipient not yet done.

    Each batch of recipients is taken with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked done
    in the transaction that logs their messages, so a job that is run again (a retry after a
    lost worker) or a second worker never sends to a customer twice; the messages go out
    after the commit (a message logged but not yet sent is sent by the periodic
    ``deliver-queued-messages`` job). A customer who opted out since the send was asked for
    is left out. The notice counts its progress after each batch and is ``sent`` at the end.
    """
    from yuqi.notifications.facade import notify_customer
    from yuqi.privacy.facade import customers_consenting

    notice = Notice.objects.get(pk=notice_id)
    if notice.state != NoticeState.SENDING:
        return notice
    purpose = notice_purpose(notice.kind)
    stop_url = f"{settings.PUBLIC_URL}/c/stop"
    context = {"title": notice.title, "body": notice.body, "stop_url": stop_url}
    while True:
        with transaction.atomic():
            rows = list(
                NoticeRecipient.objects.select_for_update(skip_locked=True)
                .filter(notice_id=notice_id, done_at__isnull=True)
                .order_by("id")[:batch]
            )
            if not rows:
                break
            ids = [row.customer_id for row in rows]
            opted = set(
                NoticeOptOut.objects.filter(customer_id__in=ids).values_list(
                    "customer_id", flat=True
                )
            )
            if purpose != "service":  # consent withdrawn since the send was asked for
                opted |= set(ids) - customers_consenting(ids, purpose)
            at = now()
            for row in rows:
                row.done_at = at
                if row.customer_id in opted:
                    row.outcome = RecipientOutcome.OPTED_OUT
                    continue
                [message] = notify_customer(
                    customer_id=row.customer_id,
                    template="customer_notice",
                    context=context,
                    subject=f"notice:{notice_id}",
                    channels=("sms",),
                    purpose=purpose,
                )
                row.message_id, row.outcome = message.id, RecipientOutcome.SENT
            NoticeRecipient.objects.bulk_update(rows, ["done_at", "outcome", "message_id"])
            _count_progress(notice_id)
    return _finish_if_done(notice_id)


def _count_progress(notice_id: int) -> None:
    done = NoticeRecipient.objects.filter(notice_id=notice_id, done_at__isnull=False)
    Notice.objects.filter(pk=notice_id).update(
        done_count=done.count(),
        sent_count=done.filter(outcome=RecipientOutcome.SENT).count(),
    )


def _finish_if_done(notice_id: int) -> Notice:
    """Mark the notice sent once no recipient is left (late opt-outs added to the count)."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        pending = NoticeRecipient.objects.filter(notice_id=notice_id, done_at__isnull=True)
        if notice.state != NoticeState.SENDING or pending.exists():
            return notice
        late = NoticeRecipient.objects.filter(
            notice_id=notice_id, outcome=RecipientOutcome.OPTED_OUT
        ).count()
        notice.done_count = notice.audience_size
        notice.sent_count = notice.audience_size - late
        notice.opted_out_count += late
        notice.state = NoticeState.SENT
        notice.sent_at = now()
        notice.save()
    return notice


def notice_opt_out(*, customer_id: int, source: str) -> None:
    """The customer gets no more proactive notices (idempotent)."""
    NoticeOptOut.objects.get_or_create(
        customer_id=customer_id, defaults={"source": source[:20], "created_at": now()}
    )


def notice_opt_out_by_phone(*, phone: str) -> bool:
    """The customer with this (verified) number gets no more notices; False when no customer
    has it (nothing is sent to such a number anyway)."""
    from yuqi.customers.facade import customer_id_by_phone

    customer_id = customer_id_by_phone(phone)
    if customer_id is None:
        return False
    notice_opt_out(customer_id=customer_id, source="public page")
    return True
