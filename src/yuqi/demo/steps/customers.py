"""Demo step: the centre's customers, written in bulk.

Writes ``customers.Customer`` rows directly with ``yuqi.core.bulk.insert_created`` (what
``bulk_create`` writes, without its per-value SQL compilation): ``customers.services`` has
``customer_create`` (one validated row at a time, far too slow for tens of thousands of
customers) and no bulk service; the seeds are generated valid, so nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from yuqi.core.bulk import insert_created
from yuqi.customers.models import Customer, Tier

BATCH = 5000


def load_demo_customers(seeds: Iterable[Any]) -> int:
    tiers = dict(Tier.objects.values_list("code", "id"))
    batch: list[Customer] = []
    count = 0
    for seed in seeds:
        batch.append(
            Customer(
                external_id=seed.external_id,
                name=seed.name,
                phone=seed.phone,
                phone_tail=seed.phone[-4:],
                email=seed.email or "",
                id_number=seed.id_number,
                region=seed.region,
                tier_id=tiers.get(seed.tier),
                monthly_value=seed.monthly_value,
                joined_on=seed.joined_on,
                status=seed.status,
            )
        )
        if len(batch) >= BATCH:
            insert_created(batch)
            count += len(batch)
            batch = []
    insert_created(batch)
    return count + len(batch)
