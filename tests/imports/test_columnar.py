"""The columnar import (PostgreSQL, a large CSV): the same rows, report and counts as the row
path, in bulk-load mode or not, and a failed load leaves the table as it was."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.db import DatabaseError, connection

from tests.customers.factories import CustomerFactory
from tests.imports.files import write_csv
from tests.imports.test_bulk_checks import BAD, GOOD, HEADERS, row
from yuqi.cli import main
from yuqi.imports import columnar
from yuqi.imports.models import ImportRun
from yuqi.interactions.importing import InteractionImporter
from yuqi.interactions.models import Interaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="COPY is PostgreSQL's"),
]

HOSTILE = [
    row("H1", category="=cmd|' /C calc'!A0"),  # a formula: stored as text, as before
    row("=1+1"),  # an id that starts like a formula: the row path decides
    row("H3", notes="长" * 20_000),  # a huge (allowed) cell
    row("H4", agent="NEW-AGENT-7", queue="new-queue"),  # unknown codes are created
    row("H5", arrived_at="2026-11-02 24:00:00"),
    row("H6", caller_number="１３８１２３４５６７８"),  # full-width digits
    row(" H7 "),  # blanks around the id
    row("H1"),  # duplicate of a plain row
]
PLAIN = [
    row(
        f"P{n}",
        arrived_at=f"2026-11-02 10:{n % 60:02d}:00",
        answered_at="",
        ended_at=f"2026-11-02 10:{n % 60:02d}:30",
        queue=f"q{n % 3}",
    )
    for n in range(40)
]


def _lines() -> list[list[str]]:
    lines = [HEADERS]
    mixed = GOOD + BAD + HOSTILE
    for index in range(max(len(mixed), len(PLAIN))):
        lines += PLAIN[index : index + 1] + mixed[index : index + 1]
    return lines


def _import(path: Path, source: str) -> ImportRun:
    command = ["import", "interactions", str(path), "--quiet", "--no-migrate", "--source", source]
    main(command)
    return ImportRun.objects.latest("pk")


def _report(run: ImportRun) -> list[tuple]:
    with open(run.error_report, encoding="utf-8-sig", newline="") as handle:
        return sorted(tuple(line.values()) for line in csv.DictReader(handle))


STORED = [
    field.attname
    for field in Interaction._meta.concrete_fields
    if field.attname not in {"id", "source", "created_at", "updated_at", "derived_at"}
]


def _stored(source: str) -> dict[str, tuple]:
    rows = Interaction.objects.filter(source=source).values_list("external_id", *STORED)
    return {external_id: tuple(values) for external_id, *values in rows}


def _schema() -> tuple[list, list]:
    table = Interaction._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, convalidated, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return indexes, cursor.fetchall()


def test_the_columnar_import_stores_and_reports_what_the_row_path_does(tmp_path, monkeypatch):
    CustomerFactory(external_id="C1")
    path = write_csv(tmp_path / "mixed.csv", _lines())
    schema = _schema()
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 9)  # several chunks
    monkeypatch.setattr(columnar, "MOST_SLOW", 1.0)  # never give way to the row path
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    used = []
    real_load = columnar.load
    monkeypatch.setattr(columnar, "load", lambda *a, **k: used.append(1) or real_load(*a, **k))
    fast = _import(path, "fast")
    assert used, "the columnar path was taken"
    assert _schema() == schema  # bulk-load mode (an empty table) put everything back, valid
    again = _import(path, "fast")
    assert (again.rows_created, again.rows_updated) == (0, 0)
    monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 40)
    slow = _import(path, "slow")
    assert len(used) == 2

    counts = ("rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected")
    assert [getattr(fast, n) for n in counts] == [getattr(slow, n) for n in counts]
    assert again.rows_unchanged == fast.rows_created
    assert _report(fast) == _report(slow)
    assert _report(again) == _report(slow)
    assert _stored("fast") == _stored("slow")
    assert len(_stored("fast")) == fast.rows_created > len(PLAIN)


def test_a_failed_bulk_load_leaves_the_table_as_it_was(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "calls.csv", [HEADERS, *PLAIN, row("G8", caller_number="x1")])
    schema = _schema()
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)

    def broken(self, records):
        raise DatabaseError("disk full")

    monkeypatch.setattr(InteractionImporter, "store", broken)
    run = _import(path, "fast")
    assert run.status == "failed"
    assert "disk full" in run.message
    assert not Interaction.objects.exists()
    assert _schema() == schema


def test_a_file_of_mostly_unusual_rows_gives_way_to_the_row_path(tmp_path, monkeypatch):
    lines = [HEADERS, *BAD, *GOOD[:1], *PLAIN[:2]]
    path = write_csv(tmp_path / "bad.csv", lines)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 10)  # the share is judged after a chunk
    gave_way = []
    real_load = columnar.load

    def load(*args, **kwargs):
        try:
            return real_load(*args, **kwargs)
        except columnar.GiveWay:
            gave_way.append(1)
            raise

    monkeypatch.setattr(columnar, "load", load)
    fast = _import(path, "fast")
    assert gave_way
    monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 40)
    slow = _import(path, "slow")
    assert (fast.rows_created, fast.rows_rejected) == (slow.rows_created, slow.rows_rejected)
    assert _report(fast) == _report(slow)
    assert _stored("fast") == _stored("slow")


def test_a_re_import_into_a_stored_table_updates_only_what_changed(tmp_path, monkeypatch):
    """Into a table that holds rows already (the staging upsert, not the direct ``COPY``):
    rows identical to the stored ones leave the staging table before the upsert
    (``drop_unchanged``), changed ones are updated, new ones created, exactly as the row
    path counts and stores them."""
    first = write_csv(tmp_path / "first.csv", [HEADERS, *PLAIN])
    changed = [
        row(f"P{n}", arrived_at=f"2026-11-02 10:{n % 60:02d}:00", answered_at="",
            ended_at=f"2026-11-02 10:{n % 60:02d}:30", queue=f"q{n % 3}", wrap_seconds="45",
            notes="回访" if n % 2 else "")
        for n in range(10, 20)
    ]  # fmt: skip
    new = [row(f"N{n}", category="投诉") for n in range(5)]
    second = write_csv(tmp_path / "second.csv", [HEADERS, *PLAIN[:10], *changed, *new])
    monkeypatch.setattr(columnar, "MOST_SLOW", 1.0)
    dropped = []
    real_drop = columnar.drop_unchanged
    monkeypatch.setattr(
        columnar, "drop_unchanged", lambda *a, **k: dropped.append(1) or real_drop(*a, **k)
    )
    runs = {}
    for source, min_bytes in (("fast", 0), ("slow", 1 << 40)):
        monkeypatch.setattr(columnar, "MIN_BYTES", min_bytes)
        _import(first, source)
        runs[source] = _import(second, source)
    assert dropped, "the staged upsert ran"
    fast, slow = runs["fast"], runs["slow"]
    counts = ("rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected")
    assert [getattr(fast, n) for n in counts] == [getattr(slow, n) for n in counts]
    assert (fast.rows_created, fast.rows_updated, fast.rows_unchanged) == (5, 10, 10)
    assert _stored("fast") == _stored("slow")
    assert Interaction.objects.get(source="fast", external_id="P11").notes == "回访"
    again = _import(second, "fast")
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 25)
