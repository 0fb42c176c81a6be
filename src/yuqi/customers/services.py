"""Every write to customers goes through here (single records; bulk loads: ``importing``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from auditlog.signals import accessed
from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.customers.choices import Segment
from yuqi.customers.models import Customer
from yuqi.customers.selectors import tier_lookup
from yuqi.customers.validation import clean_customer


def _raise_invalid(errors: list[tuple[str, str]]) -> None:
    if errors:
        summary = "; ".join(f"{field}: {reason}" for field, reason in errors)
        raise DomainError(summary, field=errors[0][0], fields=errors)


@transaction.atomic
def customer_create(*, values: dict[str, Any]) -> Customer:
    cleaned = clean_customer(values, tiers=tier_lookup())
    _raise_invalid(cleaned.errors)
    if Customer.objects.filter(external_id=cleaned.values["external_id"]).exists():
        raise DomainError(
            _("A customer with id %(id)s already exists.") % {"id": cleaned.values["external_id"]},
            field="external_id",
            code="conflict",
        )
    customer = Customer(**cleaned.values)
    customer.save()
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, changes: dict[str, Any]) -> Customer:
    if "external_id" in changes and changes["external_id"] != customer.external_id:
        raise DomainError(_("The customer id cannot be changed."), field="external_id")
    cleaned = clean_customer(changes, tiers=tier_lookup(), partial=True)
    _raise_invalid(cleaned.errors)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = [name for name, value in cleaned.values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, cleaned.values[name])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


def customer_personal_data_revealed(*, customer: Customer) -> None:
    """Record that someone saw this customer's personal data unmasked (an audit ACCESS entry)."""
    accessed.send(sender=Customer, instance=customer)


SEGMENT_BATCH = 900  # ids per UPDATE (well under SQLite's bound-parameter limit)


@transaction.atomic
def customer_segments_set(*, segments: Mapping[int, str]) -> int:
    """Set many customers' pyramid segment (computed by ``operations``); return rows changed.

    One ``UPDATE`` per segment and batch of ids, touching only rows whose segment differs
    (their ``updated_at`` moves); no per-row saves or audit entries, so 50,000 customers take
    a few dozen statements. Unknown segment codes are refused before anything is written.
    """
    allowed = set(Segment.values) | {""}
    by_segment: dict[str, list[int]] = defaultdict(list)
    for customer_id, segment in segments.items():
        if segment not in allowed:
            raise DomainError(
                _("Unknown pyramid segment %(segment)s.") % {"segment": segment}, field="segment"
            )
        by_segment[segment].append(customer_id)
    moment = now()
    changed = 0
    for segment, ids in by_segment.items():
        ids.sort()
        for start in range(0, len(ids), SEGMENT_BATCH):
            changed += (
                Customer.objects.filter(pk__in=ids[start : start + SEGMENT_BATCH])
                .exclude(segment=segment)
                .update(segment=segment, updated_at=moment)
            )
    return changed


def customer_create_from_call(
    *, name: str, phone: str, region: str = "", tier: str = ""
) -> Customer:
    """A caller the screen pop did not find, recorded by the agent: a new customer with a
    generated id (``N`` + date + 6 hex digits) that a later CRM import can replace."""
    import secrets

    from yuqi.core.clock import now

    external_id = f"N{now():%Y%m%d}{secrets.token_hex(3).upper()}"
    values = {"external_id": external_id, "name": name, "phone": phone, "region": region}
    if tier:
        values["tier"] = tier
    return customer_create(values=values)
