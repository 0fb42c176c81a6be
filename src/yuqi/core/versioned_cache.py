"""Figures cached whole under the data version of what they were computed from.

A context that keeps a :class:`yuqi.core.data_version.DataVersion` row (bumped in the transaction
of every write of its data) caches what it computes from those data under a key of what was
asked and the current version: every entry is the figure a fresh computation would give, and
an old version is read by nobody once the writer has committed (a reader reads the version
before the data, so an entry may hold data newer than its key, never older). Inside a
reading scope (``yuqi.core.measures.reading_scope``: the scorecard's periods) the version is
read once; inside a GET request the reader's own ``request_memo`` does the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from yuqi.core.measures import scope_memo

#: How long an entry is kept (a new version makes a new key anyway).
TTL_SECONDS = 3600


def bump_on_write(bump: Callable[[], object]) -> Callable[..., None]:
    """A ``post_save`` / ``post_delete`` receiver that moves a data version on (``bump()``,
    in the writer's transaction) with every instance write, except while fixtures load
    (``raw``: no version row is touched mid-fixture). Keep a reference to it: signals hold
    their receivers weakly."""

    def on_write(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        bump()

    return on_write


def version_in_scope(name: str, read: Callable[[], str | None]) -> str | None:
    """``read()`` (the current version), once per open reading scope."""
    memo = scope_memo()
    if memo is None:
        return read()
    key = ("data_version", name)
    if key not in memo:
        memo[key] = read()
    return memo[key]


def cached_under[T](
    version: str | None, key: str, compute: Callable[[], T], ttl: int = TTL_SECONDS
) -> T:
    """``compute()`` from the cache under ``key`` and ``version``, or computed and stored.
    Without a version (before the first write) it is computed every time."""
    if version is None:
        return compute()
    full_key = f"{key}:{version}"
    found: Any = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, ttl)
    return found
