"""Two handlers saving the same ticket at the same moment (real threads, PostgreSQL only:
the in-memory SQLite test database is not shared between connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.complaints.factories import open_complaint
from yuqi.complaints import services

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database shared between threads (PostgreSQL)",
)


# Not serialized_rollback: its teardown flush skips post_migrate, which would leave the
# tables without their shipped rows (tiers, levels, playbooks) for the next tests on the
# worker. A plain flush refills them through each context's post_migrate handler.
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_with_one_version_let_exactly_one_win(frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(demand: str) -> None:
        barrier.wait()
        try:
            services.complaint_update(
                complaint=ticket, by=supervisor, expected_version=1, changes={"demand": demand}
            )
            outcomes.append("saved")
        except services.ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(d,)) for d in ("退费 30 元", "赔偿 100 元")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    ticket.refresh_from_db()
    assert ticket.version == 2
