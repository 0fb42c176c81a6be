"""Demo steps around the contacts: their derived KPI columns, the KPI rollups and planner
statistics (PostgreSQL).

The rollups are built right after the contacts are loaded, so the later steps that read KPIs
(evaluation runs, improvement checks, quality, workforce) sum a few thousand rollup rows rather
than a million contacts; the last step brings them up to date with what those steps changed.
"""

from __future__ import annotations

from yuqi.interactions.derived import contacts_derive
from yuqi.interactions.rollups import analyze_rollups, rollups_rebuild, rollups_refresh


def derive_and_analyze() -> int:
    """Derive every contact's KPI columns (set-based), build the KPI rollups, and ``ANALYZE``
    the contacts and rollups after the bulk load; returns how many contacts were derived."""
    count = contacts_derive()
    rollups_rebuild()
    analyze_rollups()
    return count


def refresh_and_analyze() -> int:
    """The last step: derive the contacts changed since :func:`derive_and_analyze` (linked to
    complaints, say), rebuild the rollup days they touched, and ``ANALYZE`` again; returns
    the days rebuilt."""
    result = rollups_refresh()
    analyze_rollups()
    return result.days
