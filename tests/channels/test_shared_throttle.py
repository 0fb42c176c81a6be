"""The public pages' rate limits hold across server processes: with ``REDIS_URL`` the cache is
Redis, and two separate cache clients (as two processes have) count against one limit. The
settings choose Redis only when ``REDIS_URL`` is set, in-memory otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from tests.core.test_redis_queue import REDIS_URL, require_redis
from yuqi.channels.throttle import allow, blocked


def _client() -> RedisCache:
    """A cache client of its own, as each server process builds one from the settings."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": "yuqi-test"})


def test_two_cache_clients_on_redis_share_the_throttle_count():
    require_redis()
    first, second = _client(), _client()
    assert first is not second
    key = f"code-phone-hour:intake:{uuid.uuid4().hex}"
    try:
        assert allow(key, limit=3, seconds=60, store=first)
        assert allow(key, limit=3, seconds=60, store=second)
        assert allow(key, limit=3, seconds=60, store=first)
        assert blocked(key, limit=3, store=second)
        # the fourth use, through either client, is refused
        assert not allow(key, limit=3, seconds=60, store=second)
        assert not allow(key, limit=3, seconds=60, store=first)
    finally:
        first.delete(f"yuqi-throttle:{key}")
        first.close()
        second.close()


def test_two_in_memory_caches_count_apart():
    """What REDIS_URL is for: in memory, each process would let the limit through again."""
    first = LocMemCache(f"a-{uuid.uuid4().hex}", {})
    second = LocMemCache(f"b-{uuid.uuid4().hex}", {})
    assert allow("k", limit=1, seconds=60, store=first)
    assert allow("k", limit=1, seconds=60, store=second)
    assert not allow("k", limit=1, seconds=60, store=first)


CODE = (
    "import django, json; from django.conf import settings; django.setup();"
    "print(json.dumps(settings.CACHES['default']))"
)


def _cache_setting(tmp_path, **env_vars: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("YUQI_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(YUQI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yuqi.config.settings")
    env.update(env_vars)
    done = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("env_vars", "backend"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": ""}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": "redis://10.0.0.5:6379/2"}, "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_redis_when_redis_url_is_set(tmp_path, env_vars, backend):
    chosen = _cache_setting(tmp_path, **env_vars)
    assert chosen["BACKEND"] == backend
    if env_vars.get("REDIS_URL"):
        assert chosen["LOCATION"] == env_vars["REDIS_URL"]
