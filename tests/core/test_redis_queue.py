"""The production path: the same tasks on Redis through django-tasks-rq and an RQ worker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from asgiref.local import Local
from django.tasks import task_backends
from django.test import override_settings

from yuqi.core.models import WorkerHeartbeat
from yuqi.core.tasks import record_heartbeat

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def require_redis() -> None:
    if redis_reachable():
        return
    message = f"needs a Redis server at REDIS_URL={REDIS_URL}"
    if os.environ.get("YUQI_REQUIRE_REDIS"):
        pytest.fail(message)
    pytest.skip(message)


RQ_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["yuqi-test"]}},
    "RQ_QUEUES": {"yuqi-test": {"URL": REDIS_URL}},
}


@contextmanager
def tasks_on_redis() -> Iterator[None]:
    """Point django.tasks at the RQ backend (its handler caches TASKS, so reset it)."""

    def reset() -> None:
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    with override_settings(**RQ_SETTINGS):
        reset()
        try:
            yield
        finally:
            reset()
    reset()


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_on_redis_is_run_by_an_rq_worker():
    require_redis()
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    with tasks_on_redis():
        assert type(task_backends["default"]).__name__ == "RQBackend"
        queue = django_rq.get_queue("yuqi-test")
        queue.empty()
        try:
            result = record_heartbeat.using(queue_name="yuqi-test").enqueue()
            assert queue.count == 1
            assert queue.job_ids == [result.id]
            worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
            assert worker.work(burst=True)
        finally:
            queue.empty()
    assert WorkerHeartbeat.objects.count() == 1
