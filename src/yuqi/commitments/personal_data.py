"""Promises in personal-information requests: exported with their events; erased by removing
the person from the promise text, the evidence and the events (status, due and kept-on-time
stay, so the kept-rate is unchanged)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.commitments.models import Commitment, CommitmentEvent
from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    Holding,
    erase_holdings,
    export_holdings,
    register_personal_data_source,
)

HOLDINGS = (
    Holding(
        Commitment,
        "customer_id",
        ("text", "evidence", "evidence_file", "flags"),
        export_fields=("kind", "amount", "due_at", "status", "created_at"),
    ),
    Holding(CommitmentEvent, "commitment__customer_id", ("parameters",), ("kind", "at")),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, HOLDINGS)


def erase(subject: DataSubject) -> Erased:
    return Erased(erase_holdings(subject.customer_id, subject.identifiers, HOLDINGS))


def register() -> None:
    register_personal_data_source(
        "commitments",
        export,
        erase,
        label=_("Promises"),
        purpose=_("Keep the promises made to the customer"),
        categories=_("promise text, amounts, due dates, evidence"),
        order=300,
    )
