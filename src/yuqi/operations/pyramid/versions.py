"""The data version of the segment snapshots, and the figures cached under it.

The pyramid page (segments, value, migration matrix, the months with a snapshot) and the
scorecard (retention and churn) count the monthly ``SegmentSnapshot`` rows: about 60 ms of SQL
per page on 50,000 customers, for figures that change only when the snapshots do. They are
cached whole, under a key of what was asked and the snapshots' data version, so every figure
is the one a fresh count would give.

The version is one row (``SnapshotVersion``, made by its migration) whose token is drawn anew
with every write of the snapshots, in the writer's transaction:

* ``segments_refresh`` (the daily job, the page's refresh button, the demo build), which
  upserts the month's snapshots in bulk, bumps once with its writes;
* instance saves and deletes by model signals: a customer's deletion cascades to their
  snapshots through the deletion collector, which sends ``post_delete`` for them because a
  receiver is connected;
* the queryset's ``bulk_create``, ``bulk_update`` and ``update`` (``SnapshotQuerySet``).

Nothing else writes the snapshots (imports and erasure do not touch them: erasure blanks the
customer's personal fields). A reader reads the version before the data and a writer bumps
in the transaction of its writes, so an entry may hold data newer than its version, never
older, and an old version is read by nobody once the writer has committed. Inside a GET
request (``yuqi.core.request_memo``) or a reading scope (``yuqi.core.measures``) the version
is read once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save

from yuqi.core import versioned_cache
from yuqi.core.request_memo import memoised
from yuqi.operations.models import SegmentSnapshot, SnapshotVersion


def bump() -> None:
    """Move the snapshots' data version on (in the writer's transaction)."""
    SnapshotVersion.bump()


@memoised
def current() -> str | None:
    """The data version (one query): ``token:number``; ``None`` before the first write."""
    return SnapshotVersion.read()


#: Bumps on every instance save and delete (not while fixtures load).
_on_write = versioned_cache.bump_on_write(bump)


def connect() -> None:
    """Bump on every instance save and delete of a snapshot (``OperationsConfig.ready``)."""
    post_save.connect(_on_write, sender=SegmentSnapshot, dispatch_uid="snapshot-version-save")
    post_delete.connect(_on_write, sender=SegmentSnapshot, dispatch_uid="snapshot-version-del")


def cached[T](name: str, args: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` (a count over the snapshots, described by ``name`` and ``args``) from
    the cache, or computed and stored (a scorecard reads the version once)."""
    version = versioned_cache.version_in_scope("operations.snapshots", current)
    key = f"operations:snapshots:{name}:{':'.join(map(str, args))}"
    return versioned_cache.cached_under(version, key, compute)
