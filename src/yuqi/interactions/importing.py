"""Interactions from files and JSON lists: the importer the engine calls."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from yuqi.customers.facade import customer_ids_by_external_id
from yuqi.imports.importers import Checked, StoreResult
from yuqi.imports.upsert import upsert
from yuqi.ingest.maps import INTERACTION_COLUMNS
from yuqi.interactions.callers import caller_fields
from yuqi.interactions.models import Agent, Interaction, Queue, Team
from yuqi.interactions.topology import ids_for_codes
from yuqi.interactions.validation import clean_interaction

DEFAULT_SOURCE = "default"


class InteractionImporter:
    kind = "interactions"
    permission = "interactions.add_interaction"
    columns = INTERACTION_COLUMNS
    tables = (Interaction._meta.db_table,)

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        cleaned = clean_interaction(values)
        if cleaned.errors:
            return Checked(None, cleaned.errors)
        record = cleaned.values
        record["source"] = record.get("source") or source or DEFAULT_SOURCE
        # Masked and hashed here, where rows are checked (possibly in a second process).
        record.update(caller_fields(record.pop("caller_number", None)))
        return Checked(record)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return (record["source"], record["external_id"])

    def prepare(
        self, records: Sequence[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[int], list[tuple[int, str, str]]]:
        """Resolve codes and customer ids: (model rows, their batch indexes, rejections)."""
        queues = ids_for_codes(Queue, {r.get("queue") for r in records})
        teams = ids_for_codes(Team, {r.get("team") for r in records})
        agents = ids_for_codes(Agent, {r.get("agent") for r in records})
        customers = customer_ids_by_external_id(r.get("customer_external_id") for r in records)
        rows: list[dict[str, Any]] = []
        kept: list[int] = []
        rejected: list[tuple[int, str, str]] = []
        for index, record in enumerate(records):
            row = dict(record)
            customer_code = row.pop("customer_external_id", None)
            if customer_code and customer_code not in customers:
                reason = _("no customer with id %(id)s; import customers first")
                rejected.append((index, "customer_external_id", reason % {"id": customer_code}))
                continue
            row["customer_id"] = customers.get(customer_code) if customer_code else None
            row["queue_id"] = queues.get(row.pop("queue", None))
            row["team_id"] = teams.get(row.pop("team", None))
            row["agent_id"] = agents.get(row.pop("agent", None))
            if "caller_number" in row:  # a record that did not come through check()
                row.update(caller_fields(row.pop("caller_number")))
            rows.append(row)
            kept.append(index)
        return rows, kept, rejected

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        rows, kept, rejected = self.prepare(records)
        result = upsert(Interaction, rows, key_fields=("source", "external_id"))
        result.rejected = rejected
        result.statuses = {kept[index]: status for index, status in result.statuses.items()}
        return result
