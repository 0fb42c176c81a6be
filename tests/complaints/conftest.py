"""Fixtures for complaint tests: a frozen clock and a recorder of outgoing messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.complaints.factories import sh
from tests.support.clock import freeze_now
from yuqi.complaints import outbound

#: The real call into the commitments facade, for the tests that exercise it end to end.
REAL_BROKEN_COMMITMENT_COUNT = outbound.broken_commitment_count


@pytest.fixture
def frozen(monkeypatch):
    """``frozen.set(sh(2026, 2, 13, 10))`` moves "now"; starts at Mon 2026-03-02 09:00."""
    return freeze_now(monkeypatch, sh(2026, 3, 2, 9))


@dataclass
class Outbox:
    customer: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def outbox(monkeypatch):
    """Record what the complaints context asks notifications to send (instead of sending)."""
    box = Outbox()

    def customer(**kwargs: Any) -> list:
        box.customer.append(kwargs)
        return []

    def users(**kwargs: Any) -> list:
        box.users.append({**kwargs, "user_ids": list(kwargs["user_ids"])})
        return []

    monkeypatch.setattr("yuqi.complaints.outbound.notify_customer", customer)

    def users_many(notices: list) -> list:
        for notice in notices:
            users(**notice)
        return []

    monkeypatch.setattr("yuqi.complaints.outbound.notify_users", users)
    monkeypatch.setattr("yuqi.complaints.outbound.notify_users_many", users_many)
    return box


@pytest.fixture(autouse=True)
def broken_promises(monkeypatch):
    """Broken-promise counts come from the commitments context; tests set them here
    (``broken_promises[customer_id] = 2``) instead of building a promise ledger."""
    counts: dict[int, int] = {}
    monkeypatch.setattr(
        "yuqi.complaints.outbound.broken_commitment_count",
        lambda *, customer_id, since=None: counts.get(customer_id, 0),
    )
    return counts
