"""The periodic jobs, declared in one place, and the scheduler that enqueues them when due.

Each job is an ordinary task (``django.tasks``); the scheduler only decides *when* to enqueue.
It runs inside ``yuqi worker`` on either queue engine (database or Redis/RQ).

The sweeps (``SWEEPS``) are not queued: they recover work of dead processes, so they must run
even when every worker is busy or the one that would run them died. The scheduler calls them
directly at each tick; each is idempotent and claims what it changes with conditional updates.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections
from django.utils.module_loading import import_string

from yuqi.core.clock import now
from yuqi.core.models import PeriodicJobState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str  # dotted path of a django.tasks Task
    every: timedelta


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("worker-heartbeat", "yuqi.core.tasks.record_heartbeat", timedelta(minutes=1)),
    PeriodicJob("prune-task-results", "yuqi.core.tasks.prune_task_results", timedelta(hours=24)),
    PeriodicJob(
        "prune-login-attempts", "yuqi.accounts.tasks.prune_login_attempts", timedelta(hours=24)
    ),
    PeriodicJob("refresh-segments", "yuqi.operations.tasks.refresh_segments", timedelta(hours=24)),
    PeriodicJob(
        "commitments-remind", "yuqi.commitments.tasks.remind_due_commitments", timedelta(minutes=5)
    ),
    PeriodicJob(
        "commitments-break-overdue",
        "yuqi.commitments.tasks.break_overdue_commitments",
        timedelta(minutes=5),
    ),
    PeriodicJob(
        "deliver-queued-messages",
        "yuqi.notifications.tasks.deliver_queued_messages",
        timedelta(minutes=5),
    ),
    PeriodicJob(
        "complaints-sla-alerts", "yuqi.complaints.tasks.sweep_sla_alerts", timedelta(minutes=5)
    ),
    PeriodicJob(
        "textmining-backfill", "yuqi.textmining.tasks.backfill_analyses", timedelta(minutes=10)
    ),
    PeriodicJob(
        "surveys-post-contact-sample",
        "yuqi.surveys.tasks.sample_post_contact_interactions",
        timedelta(hours=24),
    ),
    PeriodicJob(
        "imports-purge-uploads", "yuqi.imports.tasks.purge_old_uploads", timedelta(hours=24)
    ),
    # monthly: checked daily, runs once per calendar month (see insights.evaluation)
    PeriodicJob(
        "insights-monthly-evaluation",
        "yuqi.insights.evaluation.monthly_evaluation",
        timedelta(hours=24),
    ),
)


# Run at every scheduler tick, in this order: jobs of dead workers are queued again before
# imports without a live job are marked interrupted.
SWEEPS: tuple[str, ...] = (
    "yuqi.core.leases.recover_lost_tasks",
    "yuqi.imports.services.import_runs_mark_interrupted",
)


def run_sweeps(sweeps: tuple[str, ...] = SWEEPS) -> None:
    """Call each sweep; one that fails is logged and does not stop the others."""
    for path in sweeps:
        try:
            import_string(path)()
        except Exception:
            log.exception("sweep %s failed", path)


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


def enqueue_due_jobs(jobs: tuple[PeriodicJob, ...] = PERIODIC_JOBS) -> list[str]:
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
