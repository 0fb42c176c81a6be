"""What the ledger may know of the complaint a promise points at, without importing complaints.

Complaints sits above the ledger (a complaint's promises belong to the ledger, not the reverse),
so it registers a lookup here from its ``AppConfig.ready()``. Without one, no complaint is known
and a promise cannot be linked to one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol


class ComplaintRef(Protocol):
    """What the ledger reads of a ticket: whose it is and how it is shown."""

    id: int
    number: str
    customer_id: int


ComplaintLookup = Callable[[Iterable[int]], Mapping[int, Any]]

_lookup: ComplaintLookup | None = None


def register_complaint_lookup(lookup: ComplaintLookup) -> None:
    """Install the function that summarises tickets by id (complaints' facade)."""
    global _lookup
    _lookup = lookup


def complaint_refs(ids: Iterable[int | None]) -> dict[int, ComplaintRef]:
    """The registered summaries of the given tickets by id (unknown ids are left out)."""
    wanted = [i for i in ids if i]
    if not wanted or _lookup is None:
        return {}
    return dict(_lookup(wanted))
