from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yuqi.customers.models import Customer, Tier


@dataclass(frozen=True)
class CustomerFilter:
    q: str = ""  # name, external id, or the last digits of the phone
    tier: str = ""  # tier code
    segment: str = ""
    region: str = ""
    status: str = ""


def customer_list(filters: CustomerFilter = CustomerFilter()) -> QuerySet[Customer]:
    customers = Customer.objects.select_related("tier").order_by("external_id")
    q = filters.q.strip()
    if q:
        match = Q(name__icontains=q) | Q(external_id__iexact=q)
        if q.isdigit() and len(q) <= 4:
            match |= Q(phone_tail__endswith=q)
        elif q.isdigit():
            match |= Q(phone__endswith=q)
        customers = customers.filter(match)
    if filters.tier:
        customers = customers.filter(tier__code=filters.tier)
    if filters.segment:
        customers = customers.filter(segment=filters.segment)
    if filters.region:
        customers = customers.filter(region__icontains=filters.region)
    if filters.status:
        customers = customers.filter(status=filters.status)
    return customers


def tier_list() -> QuerySet[Tier]:
    return Tier.objects.order_by("rank")


def tier_lookup() -> dict[str, int]:
    """Every word that names a tier (code, Chinese and English names, rank), lower-cased."""
    lookup: dict[str, int] = {}
    for tier in Tier.objects.all():
        for word in (tier.code, tier.name, tier.name_en, str(tier.rank)):
            lookup[word.strip().lower()] = tier.pk
    return lookup


def region_list() -> list[str]:
    return list(
        Customer.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
