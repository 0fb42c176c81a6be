"""Rate limits of the public pages, counted in Django's cache (fixed windows).

The cache is per process with the default local-memory backend; Yuqi's server (waitress) is
one process, so the counts hold. A deployment with several processes sets a shared cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
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


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one use of ``key``; False once more than ``limit`` uses fall in the window."""
    name = f"yuqi-throttle:{key}"
    cache.add(name, 0, timeout=seconds)
    try:
        used = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=seconds)
        used = 1
    return used <= limit


def blocked(key: str, *, limit: int) -> bool:
    """Whether ``key`` is over ``limit`` in its current window, without counting a use."""
    return int(cache.get(f"yuqi-throttle:{key}", 0)) >= limit
