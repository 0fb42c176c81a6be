"""The RQ worker ``yuqi worker`` runs on the Redis queue: RQ's forking worker with the lease.

RQ keeps a started job in its StartedJobRegistry until one heartbeat TTL after the worker's
last beat; it beats every ``job_monitoring_interval`` and gives a TTL of that interval plus
60 s. Here it beats four times per lease and the entry expires one lease after the last beat,
so a dead worker's job is found (``yuqi.core.leases``) after ``YUQI_TASK_LEASE_SECONDS``.

The work horse is forked only while the scheduler thread holds no database connection (see
``yuqi.core.schedule.DATABASE_IN_USE``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rq import Queue, Worker
from rq.job import Job

from yuqi.core.schedule import DATABASE_IN_USE


class LeasedWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # RQ's horse monitor waits with signal.alarm: whole seconds, at least one.
        kwargs["job_monitoring_interval"] = max(1, settings.TASK_LEASE_SECONDS // 4)
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return int(settings.TASK_LEASE_SECONDS)

    def fork_work_horse(self, job: Job, queue: Queue) -> None:
        with DATABASE_IN_USE:
            super().fork_work_horse(job, queue)
