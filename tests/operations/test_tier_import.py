"""A customer import that moves customers between tiers moves their contacts' figures too:
the contacts' stored tier (and the threshold that follows it) and the KPI rollups agree with
the customers' tiers as the pyramid reads them live. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F, Q

from tests.imports.files import write_csv
from tests.insights.test_importing import run_import
from tests.operations.test_kpi_rollups import assert_paths_agree
from tests.operations.test_kpi_sql import DAY1, DAYS, build_world
from yuqi.customers.facade import customer_counts_by_tier
from yuqi.customers.models import Customer, Tier
from yuqi.interactions.models import Interaction
from yuqi.interactions.rollups import rollups_refresh
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.operations.pyramid.selectors import service_by_tier

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": DAY1 - timedelta(days=1), "date_to": DAY1 + timedelta(days=DAYS)}


def offered_by_tier(source: str) -> dict[str | None, int]:
    rows = kpi_table(source=source, by=["tier"], **PERIOD)
    return {row.keys["tier"]: row.counts.offered for row in rows if row.counts.offered}


def offered_by_tier_live() -> dict[str | None, int]:
    """The pyramid page's table: by each contact's customer's tier, read now."""
    return {row.key or None: row.offered for row in service_by_tier(**PERIOD) if row.offered}


def test_a_customer_import_moving_tiers_moves_the_contacts_and_the_rollups(tmp_path):
    build_world(5)
    rollups_refresh()  # contacts derived and rollups built with the tiers before the import
    before = offered_by_tier("rollups")
    tiers = list(Tier.objects.order_by("rank"))
    customers = list(Customer.objects.order_by("external_id"))
    moves = {}
    for i, customer in enumerate(customers):
        current = tiers.index(customer.tier) if customer.tier else len(tiers)
        moved = (current + 1 + i % 2) % (len(tiers) + 1)  # to another tier, or to none
        moves[customer.external_id] = tiers[moved] if moved < len(tiers) else None
    assert None in moves.values()
    assert any(c.tier is None for c in customers)  # and some move from none to a tier
    path = write_csv(
        tmp_path / "客户等级调整.csv",
        [
            ["客户编号", "姓名", "客户等级"],
            *[
                [c.external_id, c.name, moves[c.external_id].code if moves[c.external_id] else ""]
                for c in customers
            ],
        ],
    )
    run = run_import("customers", path)
    assert run.rows_updated == len(customers)
    assert {c.external_id: c.tier for c in Customer.objects.all()} == moves

    live = offered_by_tier_live()
    assert live != before  # the move changed what each tier was offered
    assert offered_by_tier("contacts") == live
    rollups_refresh()
    assert offered_by_tier("rollups") == live
    assert not Interaction.objects.filter(customer__isnull=False).exclude(
        Q(tier_id=F("customer__tier_id")) | Q(tier__isnull=True, customer__tier__isnull=True)
    )
    counted = customer_counts_by_tier()
    for tier in tiers:
        assert counted.get(tier.pk, 0) == sum(t == tier for t in moves.values())
    assert assert_paths_agree(groupings=(["tier"], ["day", "queue", "channel", "tier"])) > 0
