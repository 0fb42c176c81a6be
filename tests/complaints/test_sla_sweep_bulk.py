"""The set-based SLA sweep end to end: messages logged and delivered, timeline events and
audit rows written, each alert once even with two workers sweeping at the same instant.

Tickets opened Mon 2026-03-02 09:00 at the local level: first response due 14:30 (see
``test_sla_alerts``), so at 15:00 every one of them is breached, inside working hours.
"""

from __future__ import annotations

import threading
import time

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection, connections

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint, sh
from yuqi.complaints import alerts, outbound
from yuqi.complaints.alerts import sla_alerts_sweep
from yuqi.complaints.models import ComplaintEvent
from yuqi.interactions.models import Agent, Team
from yuqi.notifications.models import OutboundMessage

BREACHED_AT = sh(2026, 3, 2, 15, 0)


def _tickets(frozen, agent, count: int) -> list:
    team = Team.objects.create(code="complaints-1", name="投诉一组")
    supervisor = UserFactory(roles=["supervisor"], email="wangqiang@example.cn")
    Agent.objects.create(code="S01", name="王强", team=team, user=supervisor)
    frozen.set(sh(2026, 3, 2, 9, 0))
    return [open_complaint(by=agent, owner=agent, team_id=team.pk) for _ in range(count)]


def test_messages_events_and_audit_rows_are_written_in_bulk_and_delivered(
    frozen, agent, django_capture_on_commit_callbacks
):
    tickets = _tickets(frozen, agent, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = sla_alerts_sweep(at=BREACHED_AT)
    assert (result.sent, result.deferred) == (3, 0)
    messages = OutboundMessage.objects.filter(template="sla_alert")
    assert messages.count() == 6  # owner and team supervisor per ticket
    assert set(messages.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 6
    first = messages.filter(subject_ref=f"complaint:{tickets[0].pk}").first()
    assert tickets[0].number in first.subject
    assert "/complaints/" in first.body
    events = ComplaintEvent.objects.filter(kind="sla_alert")
    assert events.count() == 3
    assert all(len(e.parameters["recipients"]) == 2 for e in events)
    audited = LogEntry.objects.filter(
        content_type__model="outboundmessage", object_pk__in=[str(m.pk) for m in messages]
    )
    assert audited.count() == 6
    assert LogEntry.objects.filter(content_type__model="complaintevent").count() >= 3
    entry = audited.first()
    assert entry.changes["address"][1] != entry.changes["recipient"][1]  # masked, not plain
    assert entry.changes["address"][1].startswith("*****")  # masked as auditlog masks
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.sla_state == "breached"
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL table setting")
def test_the_claim_changes_no_indexed_column_of_a_clock(frozen, agent):
    """The clocks' table keeps room on its pages (``fillfactor`` 80, migration
    ``complaints.0008``) and the sweep's claim sets no indexed column, so every claimed clock
    is updated in place (HOT), its 8 index entries untouched. Fails if an index is added on
    a column the claim sets (``state``, ``alerted_*_at``, ``computed_at``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'complaints_slaclock'")
        assert "fillfactor=80" in (cursor.fetchone()[0] or [])
    _tickets(frozen, agent, 3)

    def updates() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                " WHERE relname = 'complaints_slaclock'"
            )
            return cursor.fetchone()

    upd, hot = updates()
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 3
    upd_after, hot_after = updates()
    assert upd_after - upd == hot_after - hot >= 3


def test_the_limit_caps_the_clocks_of_one_run(frozen, agent):
    _tickets(frozen, agent, 3)
    assert sla_alerts_sweep(at=BREACHED_AT, limit=2).sent == 2
    assert sla_alerts_sweep(at=BREACHED_AT, limit=2).sent == 1
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_workers_sweeping_at_once_send_each_alert_exactly_once(frozen, agent, monkeypatch):
    tickets = _tickets(frozen, agent, 30)
    real = outbound.notify_users_many

    def slow(notices):  # hold the claim's row locks while the other worker runs
        time.sleep(0.3)
        return real(notices)

    monkeypatch.setattr(outbound, "notify_users_many", slow)
    start = threading.Barrier(2)
    results: list = []
    errors: list = []

    def worker() -> None:
        try:
            start.wait()
            results.append(sla_alerts_sweep(at=BREACHED_AT))
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in results) == len(tickets)
    events = ComplaintEvent.objects.filter(kind="sla_alert")
    assert events.count() == len(tickets)
    assert sorted(events.values_list("complaint_id", flat=True)) == sorted(t.pk for t in tickets)
    assert OutboundMessage.objects.filter(template="sla_alert").count() == 2 * len(tickets)
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 0


# The sweep in parts (``alerts._sweep_parallel``): on PostgreSQL outside a transaction, a
# sweep of at least ``PARALLEL_FROM`` due clocks runs in parts on connections of their own.

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the sweep runs in parts on PostgreSQL only"
)


def _alerted(tickets) -> set[int]:
    return set(
        ComplaintEvent.objects.filter(
            kind="sla_alert", complaint_id__in=[t.pk for t in tickets]
        ).values_list("complaint_id", flat=True)
    )


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_large_sweep_runs_in_parts_each_alert_once_and_delivered(frozen, agent, monkeypatch):
    tickets = _tickets(frozen, agent, 12)
    monkeypatch.setattr(alerts, "PARALLEL_FROM", 10)
    parts: list = []
    real = alerts._sweep

    def spy(moment, *, limit, shard):
        parts.append((shard, threading.current_thread().name))
        return real(moment, limit=limit, shard=shard)

    monkeypatch.setattr(alerts, "_sweep", spy)
    mail.outbox.clear()
    result = sla_alerts_sweep(at=BREACHED_AT)
    assert sorted(shard for shard, _ in parts) == [(0, 2), (1, 2)]
    assert len({name for _, name in parts}) == 2  # two threads, so two connections
    assert (result.examined, result.sent, result.deferred) == (12, 12, 0)
    events = ComplaintEvent.objects.filter(kind="sla_alert")
    assert sorted(events.values_list("complaint_id", flat=True)) == sorted(t.pk for t in tickets)
    messages = OutboundMessage.objects.filter(template="sla_alert")
    assert messages.count() == 24
    assert set(messages.values_list("status", flat=True)) == {"sent"}  # after each commit
    assert len(mail.outbox) == 24
    assert LogEntry.objects.filter(content_type__model="complaintevent").count() >= 12
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.sla_state == "breached"
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 0


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_failed_part_rolls_back_alone_and_the_next_sweep_sends_its_alerts(
    frozen, agent, monkeypatch
):
    tickets = _tickets(frozen, agent, 10)
    monkeypatch.setattr(alerts, "PARALLEL_FROM", 2)
    real = alerts._sweep

    def second_part_fails(moment, *, limit, shard):
        result = real(moment, limit=limit, shard=shard)
        if shard == (1, 2):  # after its rows were written: they must roll back
            raise RuntimeError("the database went away")
        return result

    monkeypatch.setattr(alerts, "_sweep", second_part_fails)
    with pytest.raises(RuntimeError, match="went away"):
        sla_alerts_sweep(at=BREACHED_AT)
    even = {t.pk for t in tickets if t.pk % 2 == 0}
    assert _alerted(tickets) == even  # the other part's work is kept
    assert OutboundMessage.objects.filter(template="sla_alert").count() == 2 * len(even)
    monkeypatch.setattr(alerts, "_sweep", real)
    assert sla_alerts_sweep(at=BREACHED_AT).sent == len(tickets) - len(even)
    assert sorted(
        ComplaintEvent.objects.filter(kind="sla_alert").values_list("complaint_id", flat=True)
    ) == sorted(t.pk for t in tickets)


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_workers_sweeping_in_parts_at_once_send_each_alert_exactly_once(
    frozen, agent, monkeypatch
):
    tickets = _tickets(frozen, agent, 30)
    monkeypatch.setattr(alerts, "PARALLEL_FROM", 10)
    real = outbound.notify_users_many

    def slow(notices):  # hold the claim's row locks while the other worker runs
        time.sleep(0.3)
        return real(notices)

    monkeypatch.setattr(outbound, "notify_users_many", slow)
    start = threading.Barrier(2)
    results: list = []
    errors: list = []

    def worker() -> None:
        try:
            start.wait()
            results.append(sla_alerts_sweep(at=BREACHED_AT))
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in results) == len(tickets)
    events = ComplaintEvent.objects.filter(kind="sla_alert")
    assert sorted(events.values_list("complaint_id", flat=True)) == sorted(t.pk for t in tickets)
    assert OutboundMessage.objects.filter(template="sla_alert").count() == 2 * len(tickets)
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 0


def test_inside_a_transaction_or_on_sqlite_the_sweep_runs_whole(frozen, agent, monkeypatch):
    # the test's own transaction (and SQLite, one writer at a time): parts on other
    # connections would not see its rows
    _tickets(frozen, agent, 3)
    monkeypatch.setattr(alerts, "PARALLEL_FROM", 1)
    parts: list = []
    real = alerts._sweep

    def spy(moment, *, limit, shard):
        parts.append(shard)
        return real(moment, limit=limit, shard=shard)

    monkeypatch.setattr(alerts, "_sweep", spy)
    assert sla_alerts_sweep(at=BREACHED_AT).sent == 3
    assert parts == [None]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_in_parts_an_evening_alert_still_waits_for_the_working_morning(frozen, agent, monkeypatch):
    tickets = _tickets(frozen, agent, 6)
    monkeypatch.setattr(alerts, "PARALLEL_FROM", 2)
    evening = sh(2026, 3, 2, 20, 0)  # breached since 14:30, but it is evening now
    result = sla_alerts_sweep(at=evening)
    assert (result.sent, result.deferred) == (0, 6)
    assert OutboundMessage.objects.filter(template="sla_alert").count() == 0
    deferred = ComplaintEvent.objects.filter(kind="sla_alert_deferred")
    assert sorted(deferred.values_list("complaint_id", flat=True)) == sorted(t.pk for t in tickets)
    assert sla_alerts_sweep(at=sh(2026, 3, 2, 23, 0)).examined == 0  # held until its slot
    assert sla_alerts_sweep(at=sh(2026, 3, 3, 8, 30)).sent == 6
    assert _alerted(tickets) == {t.pk for t in tickets}
