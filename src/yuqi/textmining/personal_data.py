"""What the text pipeline derived from the customer's complaints: exported with the tickets;
erased from the masked text and the extracted phrases (category, confidence and signals'
counts stay, so the themes and evidence counts are unchanged)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    Holding,
    erase_holdings,
    export_holdings,
    register_personal_data_source,
)
from yuqi.textmining.models import ComplaintAnalysis, ComplaintLabel

HOLDINGS = (
    Holding(
        ComplaintAnalysis,
        "complaint__customer_id",
        ("masked_text", "wanted_by_span", "quoted_promise", "signals", "reasonable"),
        export_fields=("complaint__number", "category", "confidence", "wanted_outcomes"),
    ),
    Holding(ComplaintLabel, "complaint__customer_id", (), export_fields=("complaint__number",)),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, HOLDINGS)


def erase(subject: DataSubject) -> Erased:
    return Erased(erase_holdings(subject.customer_id, subject.identifiers, HOLDINGS))


def register() -> None:
    register_personal_data_source(
        "textmining",
        export,
        erase,
        label=_("Text analysis of complaints"),
        purpose=_("Find what customers expect"),
        categories=_("masked complaint text, extracted wishes"),
        order=250,
    )
