from datetime import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from yuqi import __version__
from yuqi.core.api_access import api_requires
from yuqi.core.selectors import system_status

router = Router(tags=["platform"])


class PeriodicJobOut(Schema):
    name: str
    every_seconds: int
    next_run_at: datetime | None
    last_enqueued_at: datetime | None


class SystemStatusOut(Schema):
    version: str
    database: str
    tasks_backend: str
    worker_last_seen: datetime | None
    tasks_waiting: int | None
    periodic_jobs: list[PeriodicJobOut]


@router.get("/system/status", response=SystemStatusOut)
@api_requires("core.view_system_status")
def status(request: HttpRequest) -> dict:
    """Version, database, queue engine, last worker heartbeat and the periodic jobs."""
    return {
        "version": __version__,
        "database": connection.vendor,
        "tasks_backend": settings.TASKS_BACKEND,
        **system_status(),
    }
