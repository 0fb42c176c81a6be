"""Jobs whose worker died are run again: a lease on every running job, on both queue engines.

A worker shows it is alive while it runs a job; a running job whose worker has shown no sign
of life for ``YUQI_TASK_LEASE_SECONDS`` is taken for lost (the worker was killed, its machine
went away) and put back in the queue, until it has been started ``YUQI_TASK_MAX_ATTEMPTS``
times; then it fails with :class:`WorkerLost`. Jobs must therefore tolerate being run again
(the import resumes from its last committed batch; the periodic sweeps are idempotent).

- **Database queue** (django-tasks-db keeps ``worker_ids`` and ``started_at`` but no
  heartbeat): ``yuqi worker`` and ``yuqi serve`` run a thread that writes the process's
  :class:`~yuqi.core.models.WorkerHeartbeat` every quarter lease; the sweep puts a RUNNING task
  whose last worker's heartbeat is older than the lease back to READY (each start appends the
  worker to ``worker_ids``, which counts the attempts).
- **Redis (RQ)**: RQ's own worker heartbeat keeps a started job in the StartedJobRegistry; the
  ``LeasedWorker`` class makes that entry expire one lease after the last beat (RQ gives a
  minute and a half). An expired entry is moved to the FailedJobRegistry as
  ``AbandonedJobError`` by whoever cleans the registry first (RQ's maintenance or this sweep);
  the sweep re-enqueues abandoned jobs that have attempts left.

The sweep runs in the scheduler of every ``yuqi worker`` (``yuqi.core.schedule.SWEEPS``);
conditional updates make two workers sweeping at once harmless.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from yuqi.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

# RQ's text for a job whose worker died ("Moved to FailedJobRegistry, due to
# AbandonedJobError, at ..."); RQ keeps a job's last 10 results, so at most 10 attempts count.
ABANDONED_NOTE = "AbandonedJobError"
# Failed RQ jobs looked at: those that failed within this window (the registry keeps a year).
RQ_LOOKBACK = timedelta(days=1)


class WorkerLost(Exception):
    """The worker running a job stopped showing signs of life too many times."""


@dataclass(frozen=True)
class Recovery:
    """What a sweep did: ids of jobs put back in the queue and of jobs failed for good."""

    requeued: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()


def lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def heartbeat_every() -> float:
    """Seconds between two signs of life: four chances per lease."""
    return max(0.5, settings.TASK_LEASE_SECONDS / 4)


_worker_id: str | None = None


def _forget_worker_id() -> None:
    global _worker_id
    _worker_id = None


os.register_at_fork(after_in_child=_forget_worker_id)


def worker_id() -> str:
    """This process's worker name: host, pid and a random part, so a restarted worker that
    gets a dead one's pid is not taken for it (at most 64 characters, django-tasks-db's
    limit)."""
    global _worker_id
    if _worker_id is None:
        _worker_id = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
    return _worker_id


def beat(worker: str | None = None) -> None:
    """Record that ``worker`` (this process by default) is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker=worker or worker_id(), defaults={"seen_at": timezone.now()}
    )


def recover_lost_tasks() -> Recovery:
    """Put back in the queue (or fail, when out of attempts) the jobs of dead workers."""
    if settings.TASKS_BACKEND == "database":
        recovery = _recover_database()
    elif settings.TASKS_BACKEND == "redis":
        recovery = _recover_redis()
    else:
        return Recovery()
    for task_id in recovery.requeued:
        log.warning("job %s: its worker stopped; queued again", task_id)
    for task_id in recovery.failed:
        log.error("job %s: its worker stopped and it is out of attempts; failed", task_id)
    return recovery


def _lost_message(workers: list[str]) -> str:
    return (
        f"{len(workers)} attempt(s), the last worker ({workers[-1] if workers else '?'}) "
        f"stopped without finishing (no sign of life for {settings.TASK_LEASE_SECONDS} s)"
    )


def _recover_database() -> Recovery:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = timezone.now()
    cutoff = moment - lease()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker", flat=True)
    )
    requeued, failed = [], []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for task in running.only("id", "worker_ids", "started_at"):
        workers = list(task.worker_ids or [])
        if workers and workers[-1] in alive:
            continue
        # Conditional on the start we saw: a task claimed again meanwhile is left alone.
        same = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(workers) < settings.TASK_MAX_ATTEMPTS:
            if same.update(status=TaskResultStatus.READY) == 1:
                requeued.append(str(task.pk))
        elif (
            same.update(
                status=TaskResultStatus.FAILED,
                finished_at=moment,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: {_lost_message(workers)}\n",
            )
            == 1
        ):
            failed.append(str(task.pk))
    return Recovery(tuple(requeued), tuple(failed))


def _rq_queues() -> list[Any]:
    import django_rq
    from django_tasks_rq import Job

    return [django_rq.get_queue(name, job_class=Job) for name in settings.RQ_QUEUES]


def _abandonments(job: Any) -> tuple[bool, int]:
    """Whether the job's last failure was an abandonment (its worker died), and how many of
    its failures were. Read from the job's results, which RQ writes whoever cleans up (the
    failure callback that would record it in the meta does not run outside a main thread)."""
    from rq.results import Result

    failures = [
        result.exc_string or "" for result in job.results() if result.type == Result.Type.FAILED
    ]
    lost = [ABANDONED_NOTE in text for text in failures]
    return bool(lost and lost[0]), sum(lost)


def _recover_redis() -> Recovery:
    from rq.defaults import DEFAULT_FAILURE_TTL
    from rq.exceptions import NoSuchJobError
    from rq.registry import FailedJobRegistry, StartedJobRegistry
    from rq.timeouts import TimerDeathPenalty
    from rq.utils import current_timestamp

    requeued, failed = [], []
    for queue in _rq_queues():
        # Expired leases go to the FailedJobRegistry as AbandonedJobError, unless RQ's own
        # maintenance did it first. (Timer, not signal: this runs in the scheduler's thread.)
        StartedJobRegistry(
            queue=queue, job_class=queue.job_class, death_penalty_class=TimerDeathPenalty
        ).cleanup()
        registry = FailedJobRegistry(queue=queue, job_class=queue.job_class)
        since = current_timestamp() + DEFAULT_FAILURE_TTL - RQ_LOOKBACK.total_seconds()
        for raw in queue.connection.zrangebyscore(registry.key, since, "+inf"):
            job_id = raw.decode() if isinstance(raw, bytes) else raw
            try:
                job = queue.job_class.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue
            abandoned, times = _abandonments(job)
            if not abandoned:
                continue  # failed by its own exception: not ours to run again
            if times < settings.TASK_MAX_ATTEMPTS:
                registry.requeue(job, at_front=True)
                requeued.append(job_id)
            elif not job.meta.get("yuqi_worker_lost"):
                job.meta["yuqi_worker_lost"] = True
                job.save_meta()
                failed.append(job_id)
    return Recovery(tuple(requeued), tuple(failed))


def task_state(task_path: str, task_id: str) -> str | None:
    """``"alive"`` (waiting or running), ``"finished"`` or ``"missing"`` for a job, or None
    when the queue engine cannot tell (it keeps no results)."""
    from django.utils.module_loading import import_string

    task = import_string(task_path)
    if not task.get_backend().supports_get_result:
        return None
    try:
        result = task.get_result(task_id)
    except Exception as exc:  # each engine has its own TaskResultDoesNotExist
        if type(exc).__name__ == "TaskResultDoesNotExist":
            return "missing"
        raise
    # Compared by value: django.tasks and the django-tasks backport each have their enum.
    return "alive" if str(result.status) in ("READY", "RUNNING") else "finished"
