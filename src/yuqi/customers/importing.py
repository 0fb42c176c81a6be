"""Customers from files and JSON lists: the importer the engine calls."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from yuqi.customers.models import Customer
from yuqi.customers.selectors import tier_lookup
from yuqi.customers.signals import customers_written
from yuqi.customers.validation import clean_customer
from yuqi.imports.importers import Checked, StoreResult
from yuqi.imports.upsert import PreparedUpsert, apply_upsert, prepare_upsert
from yuqi.ingest.maps import CUSTOMER_COLUMNS


class CustomerImporter:
    kind = "customers"
    permission = "customers.add_customer"
    columns = CUSTOMER_COLUMNS
    tables = (Customer._meta.db_table,)
    # personal fields → how to mask them (error reports for viewers who see them masked)
    personal = {"phone": "phone", "email": "email", "id_number": "id_number"}

    def __init__(self) -> None:
        self._tiers = tier_lookup()

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        cleaned = clean_customer(values, tiers=self._tiers)
        if cleaned.errors:
            return Checked(None, cleaned.errors)
        return Checked(cleaned.values)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return record["external_id"]

    def stage(
        self, records: Sequence[dict[str, Any]], *, per_record: bool = False
    ) -> PreparedUpsert:
        return prepare_upsert(Customer, records, key_fields=("external_id",), per_record=per_record)

    def write(self, staged: PreparedUpsert) -> StoreResult:
        result = apply_upsert(staged)
        if result.updated:
            # A bulk upsert sends no save() signal: tell those who keep copies (the
            # contacts' stored tier) which customers this batch may have changed.
            customers_written.send(
                sender=Customer,
                external_ids=[record["external_id"] for record in staged.records],
                fields=frozenset(name for record in staged.records for name in record),
            )
        return result

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        return self.write(self.stage(records, per_record=True))
