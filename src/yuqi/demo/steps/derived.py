"""Demo steps around the contacts: their derived KPI columns, the KPI rollups and planner
statistics (PostgreSQL).

The rollups are built right after the contacts are loaded, so the later steps that read KPIs
(evaluation runs, improvement checks, quality, workforce) sum a few thousand rollup rows rather
than a million contacts; the last step brings them up to date with what those steps changed.
"""

from __future__ import annotations

from django.db import connection

from yuqi.core.gin_pending import merge_gin_pending_lists
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
    analyze_everything()
    return result.days


def analyze_everything() -> None:
    """Planner statistics for every table the demo wrote (PostgreSQL), not only the contacts
    and rollups: with autovacuum off or not yet round, a bulk-loaded table has none, and the
    planner guesses. Without them the customer search by a phone's last four digits walked
    the ``external_id`` index through all 50,000 customers of the large demo (68 ms) instead
    of its three indexes (4 ms at load 8). ANALYZE took 5.6 s on the large demo at that load."""
    if connection.vendor == "postgresql":
        merge_gin_pending_lists()  # the customers' name search (yuqi.core.gin_pending)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
