"""Interactions from files and JSON lists: the importer the engine calls."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext as _

from yuqi.customers.facade import customer_ids_by_external_id
from yuqi.imports.importers import Checked, StoreResult
from yuqi.imports.upsert import InsertDerived, PreparedUpsert, apply_upsert, prepare_upsert
from yuqi.ingest.maps import INTERACTION_COLUMNS
from yuqi.interactions.bulk_checks import ColumnChecks
from yuqi.interactions.callers import caller_fields, callers_fields
from yuqi.interactions.derived import derived_on_insert
from yuqi.interactions.models import Agent, ContactRollup, Interaction, Queue, Team
from yuqi.interactions.topology import ids_for_codes
from yuqi.interactions.validation import clean_interaction

DEFAULT_SOURCE = "default"
KEY_FIELDS = ("source", "external_id")


class InteractionImporter:
    kind = "interactions"
    permission = "interactions.add_interaction"
    columns = INTERACTION_COLUMNS
    # personal fields → how to mask them (error reports for viewers who see them masked)
    personal = {"caller_number": "phone"}
    tables = (Interaction._meta.db_table,)
    model = Interaction
    key_fields = KEY_FIELDS

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        cleaned = clean_interaction(values, zone=self._zone)
        if cleaned.errors:
            return Checked(None, cleaned.errors)
        record = cleaned.values
        record["source"] = record.get("source") or source or DEFAULT_SOURCE
        # Masked and hashed here, where rows are checked: the clear number goes no further.
        record.update(caller_fields(record.pop("caller_number", None)))
        return Checked(record)

    def check_rows(self, rows: Sequence[Mapping[str, Any]], *, source: str = "") -> list[Checked]:
        """:meth:`check` for a batch of file rows, column by column (:class:`ColumnChecks`);
        a row the column checks do not pass whole goes through :meth:`check`, which names its
        bad field and value exactly as a row checked alone."""
        records = self._columns.clean(rows)
        callers = callers_fields(
            [record.pop("caller_number", None) for record in records if record is not None]
        )
        checked: list[Checked] = []
        default_source = source or DEFAULT_SOURCE
        passed = 0
        for raw, record in zip(rows, records, strict=True):
            if record is None:
                checked.append(self.check(raw, source=source))
                continue
            record["source"] = record.get("source") or default_source
            record.update(callers[passed])
            passed += 1
            checked.append(Checked(record))
        return checked

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return (record["source"], record["external_id"])

    def __init__(self) -> None:
        self._zone = ZoneInfo(settings.TIME_ZONE)
        self._columns = ColumnChecks(self._zone)
        # Queue, team and agent codes are few: each is looked up (or created) once an import.
        self._ids: dict[type[models.Model], dict[str, int]] = {Queue: {}, Team: {}, Agent: {}}
        self._insert_derived: InsertDerived | None = None
        self._columnar: Any = None

    def check_columns(self, columns: dict[str, Any], *, source: str = "") -> Any:
        """The checks over whole columns for the columnar import on PostgreSQL
        (:mod:`yuqi.imports.columnar`); rows they cannot pass go through :meth:`check`."""
        if self._columnar is None:
            from yuqi.interactions.columnar_checks import ColumnarChecks

            self._columnar = ColumnarChecks(self._zone, self._ids_for)
        return self._columnar.check(columns, source=source, default_source=DEFAULT_SOURCE)

    def insert_derived(self) -> InsertDerived | None:
        return self._derived()

    def direct_derivation(self) -> Any:
        """The derived columns for rows the columnar import copies straight into the table
        (:class:`yuqi.interactions.columnar_checks.DirectDerivation`), PostgreSQL only."""
        if self._derived() is None:
            return None
        from yuqi.interactions.columnar_checks import DirectDerivation

        return DirectDerivation()

    def forget_codes(self) -> None:
        """Forget the queue, team and agent ids looked up or created: after a rollback that
        may have undone their creation."""
        self._ids = {model: {} for model in self._ids}

    def _ids_for(self, model: type[models.Model], codes: set[str | None]) -> dict[str, int]:
        known = self._ids[model]
        if missing := {code for code in codes if code and code not in known}:
            known.update(ids_for_codes(model, missing))
        return known

    def prepare(
        self, records: Sequence[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[int], list[tuple[int, str, str]]]:
        """Resolve codes and customer ids: (model rows, their batch indexes, rejections).

        The records become the rows (changed in place, for speed): store each list once.
        """
        queues = self._ids_for(Queue, {r.get("queue") for r in records})
        teams = self._ids_for(Team, {r.get("team") for r in records})
        agents = self._ids_for(Agent, {r.get("agent") for r in records})
        customers = customer_ids_by_external_id(r.get("customer_external_id") for r in records)
        rows: list[dict[str, Any]] = []
        kept: list[int] = []
        rejected: list[tuple[int, str, str]] = []
        for index, row in enumerate(records):
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

    def stage(self, records: Sequence[dict[str, Any]], *, per_record: bool = False) -> _Staged:
        rows, kept, rejected = self.prepare(records)
        upsert = prepare_upsert(
            Interaction,
            rows,
            key_fields=KEY_FIELDS,
            per_record=per_record,
            derived=self._derived(),
        )
        return _Staged(upsert, kept, rejected)

    def _derived(self) -> InsertDerived | None:
        """The derived KPI columns, set by the insert itself on PostgreSQL: the finishing
        derivation then has only the contacts with a customer (and updated ones) to do,
        instead of rewriting every row just written."""
        if connection.vendor != "postgresql":
            return None
        if self._insert_derived is None:
            columns, joins, queue_days = derived_on_insert()
            self._insert_derived = InsertDerived(
                columns, joins, returning=(("day", "stored.local_day"),), queue_sql=queue_days
            )
        return self._insert_derived

    def write(self, staged: _Staged) -> StoreResult:
        result = apply_upsert(staged.upsert)
        result.rejected = staged.rejected
        result.statuses = {staged.kept[index]: status for index, status in result.statuses.items()}
        return result

    def finish(self, written: int) -> None:
        """After the last batch: derive the contacts' KPI columns, bring the KPI rollups up
        to date and, after a bulk load, refresh the planner's statistics (PostgreSQL)."""
        if not written:
            return
        from yuqi.interactions.rollups import rollups_refresh

        rollups_refresh()
        if written >= 10_000 and connection.vendor == "postgresql":
            # The rollups only: the engine analysed the contacts after the last batch (a
            # second ANALYZE of a million contacts cost ~0.7 s for nothing new).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(ContactRollup._meta.db_table)}")

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        try:
            return self.write(self.stage(records, per_record=True))
        except BaseException:
            # Codes created in this batch's transaction are gone with it.
            self._ids = {model: {} for model in self._ids}
            raise


@dataclass(slots=True)
class _Staged:
    upsert: PreparedUpsert
    kept: list[int]  # the batch index of each row
    rejected: list[tuple[int, str, str]]
