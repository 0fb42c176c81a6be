from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.tasks import task

from yuqi.core.clock import now
from yuqi.core.leases import worker_id
from yuqi.core.models import WorkerHeartbeat


@task
def record_heartbeat() -> str:
    name = worker_id()
    WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"seen_at": now()})
    WorkerHeartbeat.objects.filter(seen_at__lt=now() - timedelta(days=1)).delete()
    return name


@task
def prune_task_results() -> str:
    """Delete finished task results older than the retention (database queue only)."""
    if settings.TASKS_BACKEND != "database":
        return "skipped: the queue engine keeps its own results"
    days = settings.TASK_RESULT_RETENTION_DAYS
    call_command("prune_db_task_results", min_age_days=days, verbosity=0)
    return f"pruned results older than {days} days"
