from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from tests.support.clock import FrozenClock
from yuqi.core import schedule
from yuqi.core.models import PeriodicJobState, WorkerHeartbeat

HEARTBEAT = schedule.PeriodicJob(
    "worker-heartbeat", "yuqi.core.tasks.record_heartbeat", timedelta(minutes=1)
)


@pytest.fixture
def clock(monkeypatch):
    """A frozen, movable ``now()`` for the scheduler."""
    from django.utils import timezone

    frozen = FrozenClock(timezone.now())
    monkeypatch.setattr(schedule, "now", frozen)
    return frozen


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_until_its_interval_passes(clock):
    assert schedule.enqueue_due_jobs((HEARTBEAT,)) == ["worker-heartbeat"]
    assert schedule.enqueue_due_jobs((HEARTBEAT,)) == []
    clock.advance(timedelta(seconds=59))
    assert schedule.enqueue_due_jobs((HEARTBEAT,)) == []
    clock.advance(timedelta(seconds=1))
    assert schedule.enqueue_due_jobs((HEARTBEAT,)) == ["worker-heartbeat"]
    state = PeriodicJobState.objects.get(name="worker-heartbeat")
    assert state.next_run_at == clock.at + timedelta(minutes=1)
    assert state.last_task_id


@pytest.mark.django_db
def test_a_second_worker_cannot_claim_the_same_run(clock):
    schedule.enqueue_due_jobs((HEARTBEAT,))
    PeriodicJobState.objects.update(next_run_at=clock.at)
    claimed = PeriodicJobState.objects.filter(next_run_at__lte=clock.at).update(
        next_run_at=clock.at + timedelta(minutes=1)
    )
    assert claimed == 1
    assert schedule.enqueue_due_jobs((HEARTBEAT,)) == []


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_enqueued_periodic_jobs():
    enqueued = schedule.enqueue_due_jobs()
    assert set(enqueued) == {job.name for job in schedule.PERIODIC_JOBS}
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert WorkerHeartbeat.objects.count() == 1
    from django_tasks_db.models import DBTaskResult

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_periodic_jobs_point_at_real_tasks():
    from django.tasks import Task
    from django.utils.module_loading import import_string

    names = [job.name for job in schedule.PERIODIC_JOBS]
    assert len(names) == len(set(names))
    for job in schedule.PERIODIC_JOBS:
        assert isinstance(import_string(job.task), Task)
