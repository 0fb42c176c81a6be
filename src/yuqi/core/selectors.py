from __future__ import annotations

from django.conf import settings
from django.db.models import Max

from yuqi.core.models import PeriodicJobState, WorkerHeartbeat
from yuqi.core.schedule import PERIODIC_JOBS


def _tasks_waiting() -> int | None:
    if settings.TASKS_BACKEND != "database":
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()


def system_status() -> dict:
    states = {state.name: state for state in PeriodicJobState.objects.all()}
    jobs = [
        {
            "name": job.name,
            "every_seconds": int(job.every.total_seconds()),
            "next_run_at": getattr(states.get(job.name), "next_run_at", None),
            "last_enqueued_at": getattr(states.get(job.name), "last_enqueued_at", None),
        }
        for job in PERIODIC_JOBS
    ]
    last_seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    return {"worker_last_seen": last_seen, "tasks_waiting": _tasks_waiting(), "periodic_jobs": jobs}
