"""The import limits in force, from the settings (``IMPORT_*`` in ``config/settings.py``, set
by the ``YUQI_XLSX_MAX_*`` and ``YUQI_IMPORT_MAX_*`` environment variables): ``yuqi.ingest``
reads no settings, the engine passes it these."""

from __future__ import annotations

from django.conf import settings

from yuqi.ingest.limits import DEFAULT_LIMITS, MB, Limits

__all__ = ["import_limits"]


def import_limits() -> Limits:
    """The limits of the settings read now (so tests can change them)."""
    default = DEFAULT_LIMITS
    return Limits(
        xlsx_total_bytes=getattr(settings, "IMPORT_XLSX_MAX_TOTAL_MB", 1024) * MB,
        xlsx_part_bytes=getattr(settings, "IMPORT_XLSX_MAX_PART_MB", 16) * MB,
        xlsx_ratio=getattr(settings, "IMPORT_XLSX_MAX_RATIO", default.xlsx_ratio),
        row_bytes=getattr(settings, "IMPORT_MAX_ROW_MB", 2) * MB,
        cell_chars=getattr(settings, "IMPORT_MAX_CELL_CHARS", default.cell_chars),
    )
