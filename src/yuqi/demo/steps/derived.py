"""Last demo step: the contacts' derived KPI columns, the KPI rollups and planner statistics
(PostgreSQL)."""

from __future__ import annotations

from yuqi.interactions.derived import contacts_derive
from yuqi.interactions.rollups import analyze_rollups, rollups_rebuild


def derive_and_analyze() -> int:
    """Derive every contact's KPI columns (set-based), build the KPI rollups, and ``ANALYZE``
    the contacts and rollups after the bulk load."""
    count = contacts_derive()
    rollups_rebuild()
    analyze_rollups()
    return count
