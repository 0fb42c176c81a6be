"""An interactions import sets the contacts' derived KPI columns as it writes them (on
PostgreSQL, in the insert itself): the same values, and the same rollups, as deriving them
afterwards; an update or a re-import leaves nothing stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.customers.factories import CustomerFactory
from tests.imports.files import INTERACTION_HEADERS_ZH, call, write_csv
from yuqi.cli import main
from yuqi.customers.models import Tier
from yuqi.imports import columnar, engine
from yuqi.interactions.derived import contacts_derive, pending
from yuqi.interactions.models import ContactRollup, Interaction, Queue, RollupDay
from yuqi.interactions.rollups import rollups_rebuild

pytestmark = pytest.mark.django_db(transaction=True)

DERIVED = ("local_day", "local_minute", "repeated", "tier_id", "sl_seconds")
ROLLUP = [field.attname for field in ContactRollup._meta.concrete_fields if not field.primary_key]


def _import(path: Path) -> int:
    return main(["import", "interactions", str(path), "--quiet", "--no-migrate"])


def _derived() -> dict[str, tuple]:
    return {
        external_id: tuple(values)
        for external_id, *values in Interaction.objects.values_list("external_id", *DERIVED)
    }


def _rollups() -> list[tuple]:
    return sorted(ContactRollup.objects.values_list(*ROLLUP), key=repr)


def _rows() -> list[list[object]]:
    return [
        INTERACTION_HEADERS_ZH,
        call("D1"),
        # Local midnight and the minutes either side of it (UTC is eight hours behind).
        call("D2", arrived="2026-11-02 00:00:00", answered="", ended="2026-11-02 00:00:09"),
        call("D3", arrived="2026-11-01 23:59:59", answered="", ended=""),
        call("D4", arrived="2026-11-02 07:59:00", answered="2026-11-02 08:00:30"),
        call("D5", queue="slow"),  # a queue with its own threshold
        call("D6", queue=""),  # no queue: not offered, still derived
        call("D7", customer="C1"),  # a customer: tier, threshold and repeats
        call("D8", customer="C1", arrived="2026-11-03 10:00:00", answered="", ended=""),
        call("D9", customer="C2", category=""),
        call("D10", channel="email", answered="", ended=""),
    ]


@pytest.fixture
def setting() -> None:
    gold = Tier.objects.create(code="gold-x", name="金卡", rank=99, sl_seconds=5)
    CustomerFactory(external_id="C1", tier=gold)
    CustomerFactory(external_id="C2")
    Queue.objects.create(code="slow", name="slow", sl_seconds=60)


@pytest.mark.parametrize("way", ["one-thread", "writing-thread", "columnar"], ids=lambda way: way)
def test_derived_on_insert_equals_deriving_afterwards(tmp_path, setting, monkeypatch, way):
    # columnar: checked by columns and loaded by COPY (PostgreSQL; yuqi.imports.columnar)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if way == "columnar" else 1 << 40)
    if way == "writing-thread":  # batches written on a second thread (PostgreSQL), counts only
        monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(engine, "BATCH_SIZE", 3)
    path = write_csv(tmp_path / "calls.csv", _rows())
    assert _import(path) == 0
    assert not pending().exists()
    written, rollups = _derived(), _rollups()
    assert (written["D5"][4], written["D1"][4], written["D6"][4]) == (60, 20, 20)
    assert written["D7"][3] is not None
    assert written["D2"][0] != written["D3"][0]  # either side of local midnight

    # Derived again from scratch by the set-based derivation, and the rollups rebuilt.
    Interaction.objects.update(
        local_day=None, local_minute=None, repeated=None, tier=None, sl_seconds=None
    )
    Interaction.objects.update(derived_at=None)
    contacts_derive()
    rollups_rebuild()
    assert _derived() == written
    assert _rollups() == rollups


@pytest.mark.parametrize("way", ["rows", "columnar"])
def test_an_update_and_a_reimport_leave_nothing_stale(tmp_path, setting, capsys, monkeypatch, way):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if way == "columnar" else 1 << 40)
    rows = _rows()
    path = write_csv(tmp_path / "calls.csv", rows)
    assert _import(path) == 0
    # The same file again: nothing stored, nothing pending, no day queued.
    assert _import(path) == 0
    assert " 0 created, 0 updated, 10 unchanged" in capsys.readouterr().out
    assert not pending().exists()
    assert not RollupDay.objects.exists()

    # D1 moves to another day and D6 gets a queue: the old day's rollup loses it.
    rows[1] = call("D1", arrived="2026-11-05 09:00:00", answered="", ended="")
    rows[6] = call("D6", queue="slow")
    rows.append(call("D11", arrived="2026-11-07 12:00:00", answered="", ended=""))
    write_csv(path, rows)
    assert _import(path) == 0
    assert " 1 created, 2 updated, 8 unchanged" in capsys.readouterr().out
    assert not pending().exists()
    refreshed, rollups = _derived(), _rollups()
    assert refreshed["D6"][4] == 60
    rollups_rebuild()
    assert _rollups() == rollups
    Interaction.objects.update(derived_at=None)
    contacts_derive()
    assert _derived() == refreshed


def test_on_postgresql_the_insert_itself_derives_the_contacts_without_a_customer(
    tmp_path, setting, monkeypatch
):
    from django.db import connection

    from yuqi.interactions.importing import InteractionImporter

    if connection.vendor != "postgresql":
        pytest.skip("the insert derives on PostgreSQL only (SQLite derives afterwards)")
    monkeypatch.setattr(InteractionImporter, "finish", lambda self, written: None)
    assert _import(write_csv(tmp_path / "calls.csv", _rows())) == 0
    # Left for the derivation: the contacts with a customer only; the others' days queued.
    assert set(pending().values_list("external_id", flat=True)) == {"D7", "D8", "D9"}
    days = set(RollupDay.objects.values_list("day", flat=True))
    assert days == set(
        Interaction.objects.filter(customer=None).values_list("local_day", flat=True)
    )


def test_an_import_stopped_by_a_database_error_and_run_again_derives_the_same(
    tmp_path, setting, monkeypatch
):
    from django.db import DatabaseError

    from yuqi.interactions.importing import InteractionImporter

    path = write_csv(tmp_path / "calls.csv", _rows())
    monkeypatch.setattr(engine, "BATCH_SIZE", 3)
    real, calls = InteractionImporter.store, {"n": 0}

    def failing_second_batch(self, batch):
        calls["n"] += 1
        written = real(self, batch)
        if calls["n"] == 2:
            raise DatabaseError("disk full")
        return written

    monkeypatch.setattr(InteractionImporter, "store", failing_second_batch)
    assert _import(path) == 1
    assert Interaction.objects.count() == 3  # the first batch only
    monkeypatch.setattr(InteractionImporter, "store", real)
    assert _import(path) == 0
    assert not pending().exists()
    written, rollups = _derived(), _rollups()
    assert len(written) == len(_rows()) - 1
    Interaction.objects.update(derived_at=None)
    contacts_derive()
    rollups_rebuild()
    assert _derived() == written
    assert _rollups() == rollups
