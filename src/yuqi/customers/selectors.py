from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yuqi.customers.models import Customer, Tier
from yuqi.ingest.parse import FieldError, normalise_phone

TAIL_DIGITS = 4  # the phone's last digits, shown in every mask and searchable by everyone
# A resident ID number: 15 digits, or 18 of which the last may be X.
ID_NUMBER = re.compile(r"[0-9]{15}|[0-9]{17}[0-9Xx]")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class CustomerFilter:
    q: str = ""  # name, customer id, the phone's last digits, or a whole phone/ID/e-mail
    tier: str = ""  # tier code
    segment: str = ""
    region: str = ""
    status: str = ""


def customer_list(
    filters: CustomerFilter = CustomerFilter(), *, personal_data: bool = False
) -> QuerySet[Customer]:
    """Customers matching the filters, by customer id.

    ``personal_data``: whether the caller may see phone, e-mail and ID numbers unmasked. Without
    it, a search can only confirm a *whole* phone number, ID number or e-mail address (is this
    the caller?) or match the last four digits of the phone, which the mask shows anyway; a
    longer run of digits never matches a part of a number, so search cannot unmask one digit at
    a time (security review F-2).
    """
    customers = Customer.objects.select_related("tier").order_by("external_id")
    q = filters.q.strip()
    if q:
        customers = customers.filter(search_match(q, personal_data=personal_data))
    if filters.tier:
        customers = customers.filter(tier__code=filters.tier)
    if filters.segment:
        customers = customers.filter(segment=filters.segment)
    if filters.region:
        customers = customers.filter(region__icontains=filters.region)
    if filters.status:
        customers = customers.filter(status=filters.status)
    return customers


def search_match(q: str, *, personal_data: bool) -> Q:
    """What a search box entry matches: the name (a part of it), the customer id, and the
    personal fields as far as the caller may learn them (see :func:`customer_list`)."""
    match = Q(name__icontains=q) | Q(external_id__iexact=q)
    if q.isdigit() and len(q) == TAIL_DIGITS:
        return match | Q(phone_tail=q)  # a tail that ends with all four digits is those digits
    if q.isdigit() and len(q) < TAIL_DIGITS:
        return match | Q(phone_tail__endswith=q)
    phone = whole_phone(q)
    if phone:
        match |= Q(phone=phone)
    if personal_data and q.isdigit():
        match |= Q(phone__endswith=q)
    if EMAIL.fullmatch(q):
        match |= Q(email__iexact=q)
    if ID_NUMBER.fullmatch(q):
        match |= Q(id_number__iexact=q)
    return match


def is_personal_search(q: str) -> bool:
    """Whether this entry looks a customer up by a whole phone, ID number or e-mail address:
    the searches that are counted for roles without ``customers.view_personal_data``."""
    q = q.strip()
    return bool(EMAIL.fullmatch(q) or ID_NUMBER.fullmatch(q) or whole_phone(q))


def whole_phone(q: str) -> str:
    """The number as stored, when ``q`` is a whole phone number in any accepted writing."""
    try:
        return normalise_phone(q) or ""
    except FieldError:
        return ""


def tier_list() -> QuerySet[Tier]:
    return Tier.objects.order_by("rank")


def tier_lookup() -> dict[str, int]:
    """Every word that names a tier (code, Chinese and English names, rank), lower-cased."""
    lookup: dict[str, int] = {}
    for tier in Tier.objects.all():
        for word in (tier.code, tier.name, tier.name_en, str(tier.rank)):
            lookup[word.strip().lower()] = tier.pk
    return lookup


LOOKUP_LIMIT = 20
PHONE_INPUT_MAX = 40  # characters of a typed or CTI-passed number; anything longer is refused


def customers_by_phone(phone: str) -> list[Customer]:
    """Customers whose stored phone is ``phone`` (already normalised by :func:`whole_phone`),
    by customer id, at most :data:`LOOKUP_LIMIT` (the screen pop)."""
    if not phone:
        return []
    return list(
        Customer.objects.select_related("tier")
        .filter(phone=phone)
        .order_by("external_id")[:LOOKUP_LIMIT]
    )
