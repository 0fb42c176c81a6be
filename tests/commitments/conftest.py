"""Fixtures for promise tests: a frozen clock and a recorder of what other contexts are asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.commitments.factories import TUESDAY_10
from tests.support.clock import freeze_now


@pytest.fixture
def frozen(monkeypatch):
    """Now is Tuesday 2026-03-10 10:00 Shanghai until ``frozen.set(...)``."""
    return freeze_now(monkeypatch, TUESDAY_10)


@dataclass
class Calls:
    customer: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    complaint_events: list[dict[str, Any]] = field(default_factory=list)
    risk_refreshed: list[int] = field(default_factory=list)

    def templates(self, who: str = "customer") -> list[str]:
        return [call["template"] for call in getattr(self, who)]


@pytest.fixture
def calls(monkeypatch):
    """Record, instead of performing, the calls into notifications and what the ledger tells
    complaints (its signals are recorded instead of sent)."""
    from yuqi.commitments import ports, signals

    box = Calls()
    monkeypatch.setattr(ports, "notify_customer", lambda **kw: box.customer.append(kw))
    monkeypatch.setattr(
        ports,
        "notify_users",
        lambda **kw: box.users.append({**kw, "user_ids": set(kw["user_ids"])}),
    )
    monkeypatch.setattr(
        signals.commitment_changed,
        "send",
        lambda sender, **kw: box.complaint_events.append(kw),
    )
    monkeypatch.setattr(
        signals.commitment_broken,
        "send",
        lambda sender, *, commitment_id, customer_id: box.risk_refreshed.append(customer_id),
    )
    return box
