"""What other contexts may know of customers: ids and small summaries, never the model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from yuqi.customers.models import Customer


@dataclass(frozen=True)
class CustomerRef:
    id: int
    external_id: str
    name: str
    tier_code: str | None
    tier_is_vip: bool


def customer_ids_by_external_id(external_ids: Iterable[str]) -> dict[str, int]:
    wanted = {value for value in external_ids if value}
    if not wanted:
        return {}
    return dict(Customer.objects.filter(external_id__in=wanted).values_list("external_id", "id"))


def customer_id_map() -> dict[str, int]:
    """Every customer id → primary key (for bulk loads that touch most customers)."""
    return dict(Customer.objects.values_list("external_id", "id"))


def customer_refs(ids: Iterable[int]) -> dict[int, CustomerRef]:
    rows = Customer.objects.filter(pk__in=set(ids)).select_related("tier")
    return {
        row.pk: CustomerRef(
            row.pk,
            row.external_id,
            row.name,
            row.tier.code if row.tier else None,
            bool(row.tier and row.tier.is_vip),
        )
        for row in rows
    }
