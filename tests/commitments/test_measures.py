"""Promise measures on a hand-computed case.

Promises due Mon 9 – Fri 13 March 2026 (Shanghai), cancelled ones left out:

| # | promiser | kind | tier | due | outcome |
|---|---|---|---|---|---|
| 1 | 李娜 | callback | ordinary | 10th 12:00 | fulfilled 11:00 — on time |
| 2 | 李娜 | callback | ordinary | 11th 12:00 | fulfilled 12:00 — on time (boundary) |
| 3 | 李娜 | repair | ordinary | 11th 17:00 | broken |
| 4 | 李娜 | repair | ordinary | 12th 10:00 | broke, fulfilled 15:00 — late |
| 5 | 王强 | refund | gold | 12th 17:30 | fulfilled — on time |
| 6 | 王强 | refund | gold | 13th 23:59 | open |

Outside: a cancelled promise, one due 8th 23:59 and one due 16th.
李娜 2 on time of 4 settled = 0.5; 王强 1 of 1 = 1.0; all 3 of 5 = 0.6.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.commitments.factories import CommitmentFactory, sh
from tests.customers.factories import CustomerFactory, tier
from yuqi.commitments.facade import broken_commitment_count, commitment_measures

FROM, TO = dt.date(2026, 3, 9), dt.date(2026, 3, 13)


@pytest.fixture
def ledger(agent, supervisor):
    ordinary = CustomerFactory()
    gold = CustomerFactory(tier=tier("gold"))
    row = CommitmentFactory
    row(
        promised_by=agent,
        customer=ordinary,
        due_at=sh(2026, 3, 10, 12),
        status="fulfilled",
        fulfilled_at=sh(2026, 3, 10, 11),
    )
    row(
        promised_by=agent,
        customer=ordinary,
        due_at=sh(2026, 3, 11, 12),
        status="fulfilled",
        fulfilled_at=sh(2026, 3, 11, 12),
    )
    row(
        promised_by=agent,
        customer=ordinary,
        kind="repair",
        due_at=sh(2026, 3, 11, 17),
        status="broken",
        broken_at=sh(2026, 3, 11, 17, 5),
    )
    row(
        promised_by=agent,
        customer=ordinary,
        kind="repair",
        due_at=sh(2026, 3, 12, 10),
        status="fulfilled",
        broken_at=sh(2026, 3, 12, 10, 5),
        fulfilled_at=sh(2026, 3, 12, 15),
    )
    row(
        promised_by=supervisor,
        customer=gold,
        kind="refund",
        due_at=sh(2026, 3, 12, 17, 30),
        status="fulfilled",
        fulfilled_at=sh(2026, 3, 12, 9),
    )
    row(promised_by=supervisor, customer=gold, kind="refund", due_at=sh(2026, 3, 13, 23, 59))
    row(promised_by=agent, customer=ordinary, due_at=sh(2026, 3, 10, 9), status="cancelled")
    row(
        promised_by=agent,
        customer=ordinary,
        due_at=sh(2026, 3, 8, 23, 59),
        status="broken",
        broken_at=sh(2026, 3, 9, 0, 1),
    )
    row(
        promised_by=agent,
        customer=ordinary,
        due_at=sh(2026, 3, 16, 9),
        status="fulfilled",
        fulfilled_at=sh(2026, 3, 16, 8),
    )
    return ordinary, gold


def table(by: str) -> dict[str, tuple]:
    return {
        row.key: (
            row.due,
            row.kept_on_time,
            row.fulfilled_late,
            row.broken,
            row.open,
            row.kept_on_time_rate,
        )
        for row in commitment_measures(date_from=FROM, date_to=TO, by=by)
    }


def test_the_total(ledger):
    assert table("") == {"": (6, 3, 1, 1, 1, pytest.approx(0.6))}


def test_by_agent(ledger, agent, supervisor):
    assert table("agent") == {
        str(agent.pk): (4, 2, 1, 1, 0, 0.5),
        str(supervisor.pk): (2, 1, 0, 0, 1, 1.0),
    }
    labels = {row.label for row in commitment_measures(date_from=FROM, date_to=TO, by="agent")}
    assert labels == {"李娜", "王强"}


def test_by_kind(ledger):
    assert table("kind") == {
        "callback": (2, 2, 0, 0, 0, 1.0),
        "repair": (2, 0, 1, 1, 0, 0.0),
        "refund": (2, 1, 0, 0, 1, 1.0),
    }


def test_by_tier(ledger):
    assert table("tier") == {
        "ordinary": (4, 2, 1, 1, 0, 0.5),
        "gold": (2, 1, 0, 0, 1, 1.0),
    }


def test_by_team(ledger, agent):
    from yuqi.interactions.models import Agent, Team

    team = Team.objects.create(code="A", name="一组")
    Agent.objects.create(code="1001", name="李娜", team=team, user=agent)
    assert table("team") == {"A": (4, 2, 1, 1, 0, 0.5), "": (2, 1, 0, 0, 1, 1.0)}


def test_the_measures_are_one_query(ledger, django_assert_num_queries):
    with django_assert_num_queries(1):
        commitment_measures(date_from=FROM, date_to=TO, by="agent")


def test_an_empty_period_has_no_rows(ledger):
    day = dt.date(2026, 1, 5)
    assert commitment_measures(date_from=day, date_to=day, by="") == []


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="by must be"):
        commitment_measures(date_from=FROM, date_to=TO, by="region")


def test_broken_promises_are_counted_per_customer_even_if_made_good(ledger):
    ordinary, gold = ledger
    assert broken_commitment_count(customer_id=ordinary.pk) == 3
    assert broken_commitment_count(customer_id=ordinary.pk, since=sh(2026, 3, 11)) == 2
    assert broken_commitment_count(customer_id=gold.pk) == 0
