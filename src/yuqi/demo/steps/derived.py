"""Last demo step: the contacts' derived KPI columns, and planner statistics (PostgreSQL)."""

from __future__ import annotations

from yuqi.interactions.derived import analyze_contacts, contacts_derive


def derive_and_analyze() -> int:
    """Derive every contact's KPI columns (set-based) and ``ANALYZE`` after the bulk load."""
    count = contacts_derive()
    analyze_contacts()
    return count
