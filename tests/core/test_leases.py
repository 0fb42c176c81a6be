"""A job whose worker died is queued again after the lease, a bounded number of times, on the
database queue and on Redis; a live worker's job is left alone."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.core.test_redis_queue import require_redis, tasks_on_redis
from yuqi.core import leases
from yuqi.core.models import WorkerHeartbeat
from yuqi.core.tasks import record_heartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def running_task(*workers: str, started_ago: timedelta) -> DBTaskResult:
    """A task that ``workers`` claimed in turn, the last one ``started_ago``."""
    result = record_heartbeat.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=list(workers), started_at=timezone.now() - started_ago
    )
    return DBTaskResult.objects.get(pk=result.id)


def seen(worker: str, ago: timedelta) -> None:
    WorkerHeartbeat.objects.create(worker=worker, seen_at=timezone.now() - ago)


def test_a_running_task_whose_worker_stopped_beating_is_queued_again(settings):
    settings.TASK_LEASE_SECONDS = 60
    seen("dead", ago=timedelta(seconds=61))
    task = running_task("dead", started_ago=timedelta(minutes=5))
    assert leases.recover_lost_tasks().requeued == (str(task.pk),)
    task.refresh_from_db()
    assert task.status == "READY"


def test_a_task_of_a_worker_that_never_beat_is_queued_again_after_a_lease(settings):
    """Jobs started before workers beat (or by a bare db_worker) are not stuck for ever."""
    settings.TASK_LEASE_SECONDS = 60
    young = running_task("old-worker", started_ago=timedelta(seconds=30))
    old = running_task("old-worker", started_ago=timedelta(seconds=90))
    assert leases.recover_lost_tasks().requeued == (str(old.pk),)
    young.refresh_from_db()
    assert young.status == "RUNNING"


def test_a_running_task_of_a_live_worker_is_left_alone(settings):
    settings.TASK_LEASE_SECONDS = 60
    seen("busy", ago=timedelta(seconds=10))
    task = running_task("busy", started_ago=timedelta(hours=2))
    assert leases.recover_lost_tasks() == leases.Recovery()
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_out_of_attempts_fails_with_worker_lost(settings):
    settings.TASK_LEASE_SECONDS, settings.TASK_MAX_ATTEMPTS = 60, 3
    task = running_task("w1", "w2", "w3", started_ago=timedelta(minutes=5))
    assert leases.recover_lost_tasks().failed == (str(task.pk),)
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "yuqi.core.leases.WorkerLost"
    assert "3 attempt(s)" in task.traceback
    assert record_heartbeat.get_result(str(task.pk)).status == "FAILED"


def test_a_worker_beat_keeps_its_task_running(settings):
    settings.TASK_LEASE_SECONDS = 60
    leases.beat()
    task = running_task(leases.worker_id(), started_ago=timedelta(minutes=5))
    assert leases.recover_lost_tasks() == leases.Recovery()
    task.refresh_from_db()
    assert task.status == "RUNNING"


def _start_on_rq(queue, job, *, lease: int):
    """What an RQ worker does when it takes ``job``, then dies at once: the started entry is
    left to expire ``lease`` seconds later."""
    from rq.executions import Execution
    from rq.job import JobStatus

    with queue.connection.pipeline() as pipe:
        job.prepare_for_execution("dead-worker", pipe)
        Execution.create(job, ttl=lease, pipeline=pipe)
        job.set_status(JobStatus.STARTED, pipeline=pipe)
        pipe.execute()
    queue.remove(job.id)


def test_an_abandoned_rq_job_is_queued_again_until_out_of_attempts(settings):
    require_redis()
    import django_rq
    from django_tasks_rq import Job
    from rq.registry import StartedJobRegistry

    settings.TASK_MAX_ATTEMPTS = 2
    with tasks_on_redis():
        settings.TASKS_BACKEND = "redis"
        queue = django_rq.get_queue("yuqi-test", job_class=Job)
        queue.empty()
        try:
            result = record_heartbeat.using(queue_name="yuqi-test").enqueue()
            job = queue.fetch_job(result.id)
            _start_on_rq(queue, job, lease=1)
            assert leases.recover_lost_tasks() == leases.Recovery()  # lease not over yet
            time.sleep(1.2)
            # The sweep runs in the scheduler's thread, where signals cannot time callbacks.
            found = []
            sweep = threading.Thread(target=lambda: found.append(leases.recover_lost_tasks()))
            sweep.start()
            sweep.join()
            assert found[0].requeued == (result.id,)
            assert queue.job_ids == [result.id]

            _start_on_rq(queue, queue.fetch_job(result.id), lease=1)
            time.sleep(1.2)
            # RQ's own maintenance (or its dashboard) finds the dead job first.
            StartedJobRegistry(queue=queue).cleanup()
            assert leases.recover_lost_tasks().failed == (result.id,)
            assert queue.job_ids == []
            assert queue.fetch_job(result.id).get_status() == "failed"
            assert leases.recover_lost_tasks() == leases.Recovery()  # reported once
        finally:
            queue.empty()
