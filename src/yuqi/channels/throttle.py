"""Rate limits of the public pages, counted in Django's cache (fixed windows).

Without ``REDIS_URL`` the cache is in memory, per process: Yuqi's server (waitress) is one
process, so the counts hold. A deployment with several server processes or machines sets
``REDIS_URL``: the cache is then Redis (``django.core.cache.backends.redis.RedisCache``) and
every process counts against the same limits (``incr`` is atomic there).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``YUQI_PROXY_COUNT`` trusted proxies
    the address the outermost of them saw (a client cannot spoof it by sending its own
    ``X-Forwarded-For``: only the entries the proxies appended are read)."""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0)
    if proxies:
        chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [p for p in chain if p]
        if len(chain) >= proxies:
            return chain[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def allow(key: str, *, limit: int, seconds: int, store: BaseCache | None = None) -> bool:
    """Count one use of ``key``; False once more than ``limit`` uses fall in the window.
    ``store`` is the cache to count in (the default cache)."""
    store = cache if store is None else store
    name = f"yuqi-throttle:{key}"
    store.add(name, 0, timeout=seconds)
    try:
        used = store.incr(name)
    except ValueError:  # expired between add and incr
        store.set(name, 1, timeout=seconds)
        used = 1
    return used <= limit


def blocked(key: str, *, limit: int, store: BaseCache | None = None) -> bool:
    """Whether ``key`` is over ``limit`` in its current window, without counting a use."""
    store = cache if store is None else store
    return int(store.get(f"yuqi-throttle:{key}", 0)) >= limit
