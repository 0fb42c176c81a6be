"""Reading the privacy context's records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet

from yuqi.core.among import rows_among
from yuqi.privacy.models import ConsentEntry, Erasure, PrivacyRequest, RequestStatus
from yuqi.privacy.purposes import PURPOSE_DEFAULTS


def consent_given(customer_id: int, purpose: str) -> bool:
    """The latest ledger entry for (customer, purpose), else the purpose's default; never
    after the customer was erased."""
    if Erasure.objects.filter(customer_id=customer_id).exists():
        return False
    latest = (
        ConsentEntry.objects.filter(customer_id=customer_id, purpose=purpose)
        .order_by("-at", "-id")
        .values_list("given", flat=True)
        .first()
    )
    return PURPOSE_DEFAULTS[purpose] if latest is None else bool(latest)


def consenting(customer_ids: Iterable[int], purpose: str) -> set[int]:
    """Of ``customer_ids``, those whose consent for ``purpose`` is given (the latest ledger
    entry, else the purpose's default; never an erased customer): one pass for a list."""
    wanted = set(customer_ids)
    if not wanted:
        return set()
    erased = set(
        Erasure.objects.filter(customer_id__in=wanted).values_list("customer_id", flat=True)
    )
    latest: dict[int, bool] = {}
    entries = (
        ConsentEntry.objects.filter(customer_id__in=wanted, purpose=purpose)
        .order_by("customer_id", "at", "id")
        .values_list("customer_id", "given")
    )
    for customer_id, given in entries:  # the last entry of each customer wins
        latest[customer_id] = bool(given)
    default = PURPOSE_DEFAULTS[purpose]
    return {c for c in wanted - erased if latest.get(c, default)}


def consent_states(customer_id: int) -> dict[str, bool]:
    return {purpose: consent_given(customer_id, purpose) for purpose in PURPOSE_DEFAULTS}


def consent_history(customer_id: int) -> QuerySet[ConsentEntry]:
    return ConsentEntry.objects.filter(customer_id=customer_id).select_related("by")


def open_requests() -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(
        status__in=[RequestStatus.RECEIVED, RequestStatus.VERIFIED]
    ).order_by("due_on", "pk")


def recent_requests(limit: int = 50) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.exclude(
        status__in=[RequestStatus.RECEIVED, RequestStatus.VERIFIED]
    ).order_by("-completed_at", "-pk")[:limit]


def overdue_count(today: date) -> int:
    return open_requests().filter(due_on__lt=today).count()


def erasure_of(customer_id: int) -> Erasure | None:
    return Erasure.objects.filter(customer_id=customer_id).select_related("request").first()


def refusing(purpose: str, customer_ids: set[int] | None) -> set[int]:
    if purpose not in PURPOSE_DEFAULTS:
        raise ValueError(f"unknown contact purpose {purpose!r}")
    erased = Erasure.objects.all()
    entries = ConsentEntry.objects.filter(purpose=purpose).order_by("customer_id", "at", "id")
    rows: Iterable[tuple[Any, ...]]
    if customer_ids is None:
        rows = entries.values_list("customer_id", "given")
        erased_ids = set(erased.values_list("customer_id", flat=True))
    else:  # a campaign's frame of many customers: see yuqi.core.among
        rows = rows_among(entries, "customer_id", customer_ids, ("customer_id", "given"))
        erased_ids = {
            row[0] for row in rows_among(erased, "customer_id", customer_ids, ("customer_id",))
        }
    latest: dict[int, bool] = {}
    for customer_id, given in rows:
        latest[customer_id] = given
    refused = {cid for cid, given in latest.items() if not given}
    refused |= erased_ids
    if not PURPOSE_DEFAULTS[purpose]:
        if customer_ids is None:
            raise ValueError(f"{purpose!r} needs consent: pass the customers to check")
        refused |= {cid for cid in customer_ids if not latest.get(cid, False)}
    return refused


def record_withdrawal(customer_id: int, purpose: str, source: str) -> None:
    from yuqi.core.clock import now

    if purpose not in PURPOSE_DEFAULTS:
        raise ValueError(f"unknown contact purpose {purpose!r}")
    if (
        consent_given(customer_id, purpose)
        or not ConsentEntry.objects.filter(customer_id=customer_id, purpose=purpose).exists()
    ):
        ConsentEntry.objects.create(
            customer_id=customer_id, purpose=purpose, given=False, source=source, at=now()
        )
