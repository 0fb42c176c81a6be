"""Complaints in personal-information requests.

Export: every ticket of the customer with its events, recovery actions, contact attempts,
regulator appeals, retention callback, and their suggestions and praise.

Erasure keeps each ticket (the record a regulator may ask for, and every measure counts it)
with its level, category, state, clocks and times, and erases the person from its text. A
ticket still open is anonymised and stays open for its handler, and the erasure says so; it is
not closed behind the handler's back (closing needs the 对事/对人 callback, which can no longer
be made).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints.choices import ComplaintState
from yuqi.complaints.models import Complaint, ComplaintEvent, RecoveryAction
from yuqi.complaints.models_book import ContactAttempt, Feedback, RegulatorAppeal, RetentionCallback
from yuqi.privacy.facade import (
    ERASED,
    DataSubject,
    Erased,
    Holding,
    erase_holdings,
    export_holdings,
    register_personal_data_source,
    register_retention_purger,
)

TEXT = (
    "account",
    "demand",
    "root_cause_note",
    "agreement_solution",
    "shelved_need",
    "callback_note",
    "complainer_reasons",
    "risk_reasons",
)
HOLDINGS = (
    Holding(
        Complaint,
        "customer_id",
        TEXT,
        export_fields=(
            "number",
            "channel",
            "level__code",
            "category__code",
            "state",
            "opened_at",
            "resolved_at",
            "closed_at",
        ),
    ),
    Holding(ComplaintEvent, "complaint__customer_id", ("parameters",), ("complaint__number", "at")),
    Holding(RecoveryAction, "complaint__customer_id", ("note",), ("complaint__number", "kind")),
    Holding(ContactAttempt, "complaint__customer_id", ("note",), ("complaint__number", "at")),
    Holding(RegulatorAppeal, "complaint__customer_id", (), ("complaint__number", "number")),
    Holding(RetentionCallback, "complaint__customer_id", ("note",), ("complaint__number",)),
    Holding(Feedback, "customer_id", ("text",), ("kind", "created_at")),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, HOLDINGS)


def erase(subject: DataSubject) -> Erased:
    still_open = list(
        Complaint.objects.filter(customer_id=subject.customer_id)
        .exclude(state=ComplaintState.CLOSED)
        .order_by("number")
        .values_list("number", flat=True)
    )
    rows = erase_holdings(subject.customer_id, subject.identifiers, HOLDINGS)
    notes = tuple(
        _("Complaint %(number)s is still open: anonymised and kept open for its handler.")
        % {"number": number}
        for number in still_open
    )
    return Erased(rows, notes)


def purge_text(cutoff: datetime) -> int:
    """Closed tickets closed before ``cutoff``: the customer's words and the notes go, the
    ticket, its codes, times and measures stay."""
    rows = Complaint.objects.filter(state=ComplaintState.CLOSED, closed_at__lt=cutoff).exclude(
        account=ERASED
    )
    return rows.update(
        account=ERASED,
        demand="",
        root_cause_note="",
        agreement_solution="",
        shelved_need="",
        callback_note="",
    )


def register() -> None:
    register_personal_data_source(
        "complaints",
        export,
        erase,
        label=gettext_lazy("Complaints, suggestions and praise"),
        purpose=gettext_lazy("Handle complaints and keep the record regulators may ask for"),
        categories=gettext_lazy("what the customer said, demands, notes, callbacks, appeals"),
        order=200,
    )
    register_retention_purger(
        "complaint_text",
        purge_text,
        label=gettext_lazy("Complaint text of closed tickets"),
        default_days=3 * 365,
    )
