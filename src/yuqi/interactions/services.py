"""Single-interaction writes (bulk loads go through ``importing``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.core.errors import DomainError
from yuqi.interactions.importing import InteractionImporter
from yuqi.interactions.models import Interaction

EDITABLE_AFTER_THE_FACT = ("category", "notes", "first_contact_resolved", "transferred")


@transaction.atomic
def interaction_create(*, values: dict[str, Any], source: str = "") -> Interaction:
    importer = InteractionImporter()
    checked = importer.check(values, source=source)
    if checked.record is None:
        summary = "; ".join(f"{field}: {reason}" for field, reason in checked.errors)
        raise DomainError(summary, field=checked.errors[0][0], fields=checked.errors)
    record = checked.record
    if Interaction.objects.filter(
        source=record["source"], external_id=record["external_id"]
    ).exists():
        raise DomainError(
            _("Interaction %(id)s from %(source)s already exists.")
            % {"id": record["external_id"], "source": record["source"]},
            field="external_id",
            code="conflict",
        )
    rows, _kept, rejected = importer.prepare([record])
    if rejected:
        _index, field, reason = rejected[0]
        raise DomainError(f"{field}: {reason}", field=field)
    created = Interaction(**rows[0])
    created.save()
    return created


@transaction.atomic
def interaction_update(*, interaction: Interaction, changes: dict[str, Any]) -> Interaction:
    unknown = set(changes) - set(EDITABLE_AFTER_THE_FACT)
    if unknown:
        raise DomainError(
            _("Only %(fields)s can be changed after the fact.")
            % {"fields": ", ".join(EDITABLE_AFTER_THE_FACT)},
            field=sorted(unknown)[0],
        )
    for name, value in changes.items():
        nullable = name in ("category", "notes") or Interaction._meta.get_field(name).null
        if value is None and not nullable:
            raise DomainError(_("This field cannot be empty (null)."), field=name)
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    for name, value in changes.items():
        setattr(locked, name, "" if value is None and name in ("category", "notes") else value)
    locked.save(update_fields=[*changes, "updated_at"])
    return locked


# --------------------------------------------------------------- contacts logged by an agent
WEB_SOURCE = "web"
NOTES_MAX = 2000
HANDLE_MINUTES_MAX = 600


def _agent_code(user: Any) -> str:
    from yuqi.interactions.models import Agent

    if user is None or not getattr(user, "pk", None):
        return ""
    return Agent.objects.filter(user_id=user.pk).values_list("code", flat=True).first() or ""


@transaction.atomic
def contact_log(
    *,
    customer_id: int,
    by: Any,
    channel: str,
    direction: str = "inbound",
    queue_code: str = "",
    category: str = "",
    outcome: str = "",
    notes: str = "",
    first_contact_resolved: bool | None = None,
    handle_minutes: int | None = None,
) -> Interaction:
    """Record a contact the agent ``by`` just handled for a customer (the customer 360's
    "log a contact"): it ended now and began ``handle_minutes`` ago, answered at once; the
    agent is ``by``'s agent profile when there is one. Goes through the same checks as an
    imported contact (:func:`interaction_create`), source ``web``."""
    from uuid import uuid4

    from yuqi.customers.facade import customer_refs
    from yuqi.interactions.choices import Channel, ContactOutcome, Direction
    from yuqi.interactions.models import Queue

    customer = customer_refs([customer_id]).get(customer_id)
    if customer is None:
        raise DomainError(_("No such customer."), field="customer")
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if direction not in Direction.values:
        raise DomainError(_("Unknown direction."), field="direction")
    if outcome and outcome not in ContactOutcome.values:
        raise DomainError(_("Unknown outcome."), field="outcome")
    category, notes = (category or "").strip(), (notes or "").strip()
    if len(category) > 60:
        raise DomainError(_("The category is longer than 60 characters."), field="category")
    if len(notes) > NOTES_MAX:
        raise DomainError(
            _("The notes are longer than %(n)d characters.") % {"n": NOTES_MAX}, field="notes"
        )
    if queue_code and not Queue.objects.filter(code=queue_code).exists():
        raise DomainError(_("Unknown queue."), field="queue")
    minutes = handle_minutes or 0
    if not 0 <= minutes <= HANDLE_MINUTES_MAX:
        raise DomainError(
            _("The handling time must be between 0 and %(n)d minutes.") % {"n": HANDLE_MINUTES_MAX},
            field="handle_minutes",
        )
    from datetime import timedelta

    from yuqi.core.clock import now

    ended = now()
    arrived = ended - timedelta(minutes=minutes)
    values: dict[str, Any] = {
        "source": WEB_SOURCE,
        "external_id": f"web-{uuid4().hex[:20]}",
        "channel": channel,
        "direction": direction,
        "queue": queue_code or None,
        "agent": _agent_code(by) or None,
        "customer_external_id": customer.external_id,
        "arrived_at": arrived,
        "answered_at": arrived,
        "ended_at": ended,
        "abandoned": "no",
        "wait_seconds": "0",
        "talk_seconds": str(minutes * 60),
        "category": category or None,
        "notes": notes or None,
        "first_contact_resolved": None
        if first_contact_resolved is None
        else ("yes" if first_contact_resolved else "no"),
    }
    created = interaction_create(values=values, source=WEB_SOURCE)
    if outcome:
        created.outcome = outcome
        created.save(update_fields=["outcome"])
    return created


@transaction.atomic
def contact_link_complaint(
    *, interaction_id: int, customer_id: int, complaint_id: int, complaint_number: str
) -> None:
    """Mark the contact as the one ``complaint_number`` was opened from. Refused when the
    contact is another customer's or already has a complaint (one complaint per contact)."""
    from yuqi.core.clock import now

    linked = Interaction.objects.filter(
        pk=interaction_id, customer_id=customer_id, complaint_id__isnull=True
    ).update(complaint_id=complaint_id, complaint_number=complaint_number, updated_at=now())
    if linked != 1:
        raise DomainError(
            _("This contact cannot be linked: it is another customer's or has a complaint."),
            field="contact",
        )
