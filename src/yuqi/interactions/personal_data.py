"""Contacts in personal-information requests: exported with their timing; erased by clearing
the notes' personal data and the masked caller number. Timing, queue, agent and outcome stay,
so every KPI is unchanged."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from yuqi.interactions.models import Interaction
from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    Holding,
    erase_holdings,
    export_holdings,
    register_personal_data_source,
    register_retention_purger,
)

HOLDING = Holding(
    Interaction,
    "customer_id",
    ("notes",),
    export_fields=(
        "source",
        "external_id",
        "channel",
        "direction",
        "arrived_at",
        "answered_at",
        "ended_at",
        "abandoned",
        "wait_seconds",
        "talk_seconds",
        "category",
        "outcome",
        "complaint_number",
    ),
    clear=("caller_masked",),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, [HOLDING])


def erase(subject: DataSubject) -> Erased:
    return Erased(erase_holdings(subject.customer_id, subject.identifiers, [HOLDING]))


def purge_notes(cutoff: datetime) -> int:
    return Interaction.objects.filter(arrived_at__lt=cutoff).exclude(notes="").update(notes="")


def register() -> None:
    register_personal_data_source(
        "interactions",
        export,
        erase,
        label=_("Contacts"),
        purpose=_("Serve the customer and measure the centre (queue timing)"),
        categories=_("contact times, channel, notes, caller number (masked)"),
        order=100,
    )
    register_retention_purger("notes", purge_notes, label=_("Contact notes"), default_days=2 * 365)
