"""Quality reviews quote contacts: evaluators' comments and notes that name the customer
are erased (scores stay). Reviews are about agents, so nothing here is exported as the
customer's own data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    erase_rows_mentioning,
    register_personal_data_source,
)
from yuqi.quality.models import AutoFlag, CoachingNote, Evaluation

SCANNED = (
    (
        Evaluation,
        ("comment", "item_notes", "evidence", "dispute_reason", "review_comment"),
    ),
    (AutoFlag, ("detail",)),
    (CoachingNote, ("note",)),
)


def export(subject: DataSubject) -> list[dict]:
    return []


def erase(subject: DataSubject) -> Erased:
    rows = sum(
        erase_rows_mentioning(model.objects.all(), subject.identifiers, fields)
        for model, fields in SCANNED
    )
    return Erased(rows)


def register() -> None:
    register_personal_data_source(
        "quality",
        export,
        erase,
        label=_("Quality reviews"),
        purpose=_("Coach agents"),
        categories=_("quotes of contacts in reviewers' notes"),
        order=600,
    )
