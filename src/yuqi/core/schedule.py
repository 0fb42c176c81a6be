"""The periodic jobs, registered by each app, and the scheduler that enqueues them when due.

Each job is an ordinary task (``django.tasks``); the scheduler only decides *when* to enqueue.
It runs inside ``yuqi worker`` on either queue engine (database or Redis/RQ).

The sweeps (``register_sweep``) are not queued: they recover work of dead processes, so they
must run even when every worker is busy or the one that would run them died. The scheduler
calls them directly at each tick; each is idempotent and claims what it changes with
conditional updates.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connections
from django.tasks import Task
from django.utils.module_loading import import_string

from yuqi.core.clock import now
from yuqi.core.models import PeriodicJobState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str  # dotted path of a django.tasks Task
    every: timedelta


class JobRegistry:
    """The periodic jobs, filled by each app's ``AppConfig.ready()`` (``register_job``), so the
    kernel names no context, not even as a string. Iterating gives the jobs in the order they
    were registered (the order of ``INSTALLED_APPS``)."""

    def __init__(self) -> None:
        self._jobs: dict[str, PeriodicJob] = {}

    def register(self, name: str, task: Task[..., Any], every: timedelta) -> None:
        """Register ``task`` to run every ``every`` under ``name``; registering a name again
        replaces it (``ready()`` may run twice in tests)."""
        self._jobs[name] = PeriodicJob(name, task.module_path, every)

    def __iter__(self) -> Iterator[PeriodicJob]:
        return iter(tuple(self._jobs.values()))

    def __len__(self) -> int:
        return len(self._jobs)


#: Every periodic job (see ``register_job``).
PERIODIC_JOBS = JobRegistry()
register_job = PERIODIC_JOBS.register

#: The sweeps, in the order registered: core's (jobs of dead workers queued again) comes
#: before the imports' (runs without a live job marked interrupted), as ``INSTALLED_APPS``
#: lists ``yuqi.core`` first.
_SWEEPS: dict[str, Callable[[], object]] = {}


def register_sweep(sweep: Callable[[], object]) -> None:
    """Run ``sweep`` at every scheduler tick (from an app's ``ready()``)."""
    _SWEEPS[f"{sweep.__module__}.{sweep.__qualname__}"] = sweep


def sweeps() -> tuple[Callable[[], object], ...]:
    return tuple(_SWEEPS.values())


def run_sweeps(sweeps: Iterable[Callable[[], object]] | None = None) -> None:
    """Call each sweep; one that fails is logged and does not stop the others."""
    for sweep in _SWEEPS.values() if sweeps is None else sweeps:
        try:
            sweep()
        except Exception:
            log.exception("sweep %s failed", getattr(sweep, "__qualname__", sweep))


# Held while the scheduler thread uses the database. RQ's worker forks its work horse only
# outside it (``yuqi.core.rq_worker``): a database connection open across a fork is shared by
# two processes, which SQLite forbids (its locks are per process) and psycopg does not survive.
DATABASE_IN_USE = threading.Lock()


def scheduler_tick() -> None:
    """One round of the scheduler: enqueue due periodic jobs, then run the sweeps. The
    thread's connections are closed at the end, so none is open between rounds."""
    with DATABASE_IN_USE:
        try:
            enqueue_due_jobs()
            run_sweeps()
        finally:
            connections.close_all()


def _ensure_state(job: PeriodicJob, moment: datetime) -> None:
    # get_or_create copes with two workers creating the row at the same moment.
    PeriodicJobState.objects.get_or_create(name=job.name, defaults={"next_run_at": moment})


def enqueue_due_jobs(jobs: Iterable[PeriodicJob] = PERIODIC_JOBS) -> list[str]:
    """Enqueue every job that is due; return the names enqueued by this call."""
    moment = now()
    enqueued = []
    for job in jobs:
        _ensure_state(job, moment)
        claimed = PeriodicJobState.objects.filter(name=job.name, next_run_at__lte=moment).update(
            next_run_at=moment + job.every, last_enqueued_at=moment
        )
        if claimed != 1:
            continue
        result = import_string(job.task).enqueue()
        PeriodicJobState.objects.filter(name=job.name).update(last_task_id=str(result.id))
        log.info("enqueued periodic job %s as task %s", job.name, result.id)
        enqueued.append(job.name)
    return enqueued
