"""The contract between the import engine and a context that accepts bulk data.

A context supplies an ``Importer``: its column map, a row validator and a batch writer. The
engine owns files, batching, duplicates inside a file, progress and the error report.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.module_loading import import_string

from yuqi.ingest.columns import ColumnMap


@dataclass(slots=True)
class Checked:
    """A validated row: the record to store, or the (field, reason) errors."""

    record: dict[str, Any] | None
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (index in the batch, field, reason) for records refused at write time, e.g. an unknown
    # customer referenced by an interaction.
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    # "created" / "updated" / "unchanged" by index in the batch, for per-item API results.
    statuses: dict[int, str] = field(default_factory=dict)

    def add(self, other: StoreResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


class Importer(Protocol):
    kind: str
    permission: str
    columns: ColumnMap
    tables: tuple[str, ...]  # the tables ``store`` writes, for statistics on PostgreSQL
    # Optional ``personal``: field → "phone", "email" or "id_number", the fields the error
    # report masks for viewers without ``customers.view_personal_data`` (:func:`personal_fields`).

    def check(self, values: Mapping[str, Any], *, source: str) -> Checked: ...

    def key(self, record: Mapping[str, Any]) -> Hashable: ...

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult: ...


class StagedImporter(Importer, Protocol):
    """An importer that can split ``store`` in two: ``stage`` does the Python work on a batch
    (resolving codes, encoding rows), ``write`` only the database writes. The engine stages a
    batch while a second thread writes the one before; ``store`` is ``write(stage(...))``."""

    def stage(self, records: Sequence[dict[str, Any]], *, per_record: bool = False) -> Any:
        """``per_record``: the written result tells each record's status (else counts)."""
        ...

    def write(self, staged: Any) -> StoreResult: ...


IMPORTERS: dict[str, str] = {
    "customers": "yuqi.customers.importing.CustomerImporter",
    "interactions": "yuqi.interactions.importing.InteractionImporter",
    "peers": "yuqi.insights.importing.PeerValueImporter",
    "offerings": "yuqi.insights.importing.OfferingImporter",
}


def personal_fields(kind: str) -> Mapping[str, str]:
    """The importer's personal fields and their masks (none if it declares none); the class
    is looked at, not made (making one may query the database)."""
    return getattr(import_string(IMPORTERS[kind]), "personal", {}) if kind in IMPORTERS else {}


def get_importer(kind: str) -> Importer:
    try:
        return import_string(IMPORTERS[kind])()
    except KeyError as exc:
        raise ValueError(
            f"unknown import kind {kind!r}; choose one of: {', '.join(IMPORTERS)}"
        ) from exc
