"""JSON bulk intake (``POST /api/v1/<kind>/bulk``): the same checks as files, per-item results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.imports.importers import Importer

MAX_ITEMS = 5000


@dataclass
class ItemResult:
    index: int
    status: str  # created / updated / unchanged / rejected
    errors: list[dict[str, str]] = field(default_factory=list)


def bulk_load(
    importer: Importer, items: Sequence[dict[str, Any]], *, source: str = ""
) -> list[ItemResult]:
    """Check every item, then store the good ones in one transaction."""
    results = [ItemResult(index, "rejected") for index in range(len(items))]
    records: list[dict[str, Any]] = []
    positions: list[int] = []
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        checked = importer.check(item, source=source)
        if checked.record is None:
            results[index].errors = [{"field": f, "message": m} for f, m in checked.errors]
            continue
        key = importer.key(checked.record)
        if key in seen:
            results[index].errors = [
                {
                    "field": "external_id",
                    "message": _("duplicate of item %(i)d in this list") % {"i": seen[key]},
                }
            ]
            continue
        seen[key] = index
        records.append(checked.record)
        positions.append(index)
    if records:
        with transaction.atomic():
            stored = importer.store(records)
        for batch_index, status in stored.statuses.items():
            results[positions[batch_index]].status = status
        for batch_index, field_name, reason in stored.rejected:
            results[positions[batch_index]].errors = [{"field": field_name, "message": reason}]
    return results
