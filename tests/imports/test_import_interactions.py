"""Importing interaction exports: good rows stored, bad rows reported, re-imports idempotent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.customers.factories import CustomerFactory
from tests.imports.files import INTERACTION_HEADERS_ZH, call, write_csv
from yuqi.cli import main
from yuqi.interactions.models import Interaction

pytestmark = pytest.mark.django_db(transaction=True)


def run_import(kind: str, path: Path, *extra: str) -> int:
    return main(["import", kind, str(path), "--quiet", "--no-migrate", *extra])


def error_rows(report: str) -> list[dict[str, str]]:
    with open(report, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def last_report(capsys) -> str:
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("error report: "))
    return line.removeprefix("error report: ")


def test_a_gbk_file_with_chinese_headers_imports_and_reimports_idempotently(tmp_path, capsys):
    CustomerFactory(external_id="C0000001")
    path = write_csv(
        tmp_path / "calls.csv",
        [
            INTERACTION_HEADERS_ZH,
            call("X1", customer="C0000001"),
            call("X2", answered="", ended="2026-11-02 09:01:10"),
        ],
        encoding="gbk",
    )
    assert run_import("interactions", path, "--source", "acd") == 0
    assert Interaction.objects.count() == 2
    answered = Interaction.objects.get(external_id="X1")
    assert (answered.wait_seconds, answered.talk_seconds, answered.wrap_seconds) == (15, 240, 30)
    assert answered.customer.external_id == "C0000001"
    assert answered.queue.code == "general"
    abandoned = Interaction.objects.get(external_id="X2")
    assert abandoned.abandoned is True
    assert abandoned.wait_seconds == 70
    stamp = answered.updated_at

    assert run_import("interactions", path, "--source", "acd") == 0
    assert "2 unchanged" in capsys.readouterr().out
    assert Interaction.objects.count() == 2
    answered.refresh_from_db()
    assert answered.updated_at == stamp


def test_a_changed_row_updates_its_record(tmp_path):
    first = write_csv(tmp_path / "a.csv", [INTERACTION_HEADERS_ZH, call("X1")])
    run_import("interactions", first)
    second = write_csv(tmp_path / "b.csv", [INTERACTION_HEADERS_ZH, call("X1", category="投诉")])
    assert run_import("interactions", second) == 0
    assert Interaction.objects.get(external_id="X1").category == "投诉"
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "column", "reason_part"),
    [
        (call("B1", channel="飞鸽传书"), "渠道", "飞鸽传书"),
        (call("B2", answered="2026-11-02 08:59:00"), "应答时间", "早于"),
        (call("B3", wrap="-5"), "话后处理时长", ""),
        (call("B4", wrap="99:00:00"), "话后处理时长", ""),
        (call("B5", arrived="yesterday"), "进线时间", ""),
        (call("B6", customer="NOBODY"), "客户编号", "NOBODY"),
    ],
)
def test_bad_rows_are_reported_by_row_and_column_and_good_rows_kept(
    tmp_path, capsys, row, column, reason_part
):
    path = write_csv(tmp_path / "calls.csv", [INTERACTION_HEADERS_ZH, call("G1"), row, call("G2")])
    assert run_import("interactions", path) == 1
    assert set(Interaction.objects.values_list("external_id", flat=True)) == {"G1", "G2"}
    errors = error_rows(last_report(capsys))
    assert len(errors) == 1
    assert errors[0]["row"] == "3"
    assert errors[0]["column"] == column
    assert reason_part in errors[0]["reason"]


def test_a_duplicate_id_inside_one_file_is_rejected_with_the_first_row(tmp_path, capsys):
    path = write_csv(
        tmp_path / "calls.csv",
        [INTERACTION_HEADERS_ZH, call("D1"), call("D2"), call("D1", category="投诉")],
    )
    assert run_import("interactions", path) == 1
    assert Interaction.objects.get(external_id="D1").category == "话费查询"
    [error] = error_rows(last_report(capsys))
    assert error["row"] == "4"
    assert "2" in error["reason"]


def test_a_missing_required_column_reads_nothing(tmp_path, capsys):
    path = write_csv(tmp_path / "calls.csv", [["通话ID", "渠道"], ["X1", "电话"]])
    assert run_import("interactions", path) == 2
    assert "arrived_at" in capsys.readouterr().err
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10binary"],
    ids=["empty", "binary"],
)
def test_an_unreadable_file_exits_2_and_stores_nothing(tmp_path, capsys, content):
    path = tmp_path / "calls.csv"
    path.write_bytes(content)
    assert run_import("interactions", path) == 2
    assert capsys.readouterr().err.startswith("error: calls.csv:")
    assert not Interaction.objects.exists()


def test_an_xlsx_with_several_sheets_uses_the_one_that_fits(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本文件为话务明细导出"])
    sheet = book.create_sheet("明细")
    sheet.append(INTERACTION_HEADERS_ZH)
    sheet.append(call("W1"))
    path = tmp_path / "calls.xlsx"
    book.save(path)
    assert run_import("interactions", path) == 0
    assert Interaction.objects.get(external_id="W1").talk_seconds == 240


def _fail_the_second_batch(monkeypatch, method: str) -> None:
    """``InteractionImporter.<method>`` writes its second batch, then reports a failure."""
    from django.db import DatabaseError

    from yuqi.interactions.importing import InteractionImporter

    real = getattr(InteractionImporter, method)
    calls = {"n": 0}

    def failing_second_batch(self, batch):
        calls["n"] += 1
        written = real(self, batch)
        if calls["n"] == 2:
            raise DatabaseError("disk full")
        return written

    monkeypatch.setattr(InteractionImporter, method, failing_second_batch)


def test_a_database_failure_keeps_earlier_batches_and_no_half_batch(tmp_path, monkeypatch):
    from yuqi.imports import engine

    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    _fail_the_second_batch(monkeypatch, "store")
    path = write_csv(
        tmp_path / "calls.csv", [INTERACTION_HEADERS_ZH] + [call(f"R{i}") for i in range(5)]
    )
    assert run_import("interactions", path) == 1
    assert set(Interaction.objects.values_list("external_id", flat=True)) == {"R0", "R1"}


def _write_on_a_thread(monkeypatch, batch_size: int) -> None:
    from django.db import connection

    from yuqi.imports import engine

    if connection.vendor != "postgresql":
        pytest.skip("the writing thread is used on PostgreSQL only")
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "BATCH_SIZE", batch_size)


def test_writing_on_a_second_thread_gives_the_same_outcome(tmp_path, capsys, monkeypatch):
    _write_on_a_thread(monkeypatch, batch_size=2)
    CustomerFactory(external_id="C1")
    rows = [
        INTERACTION_HEADERS_ZH,
        call("P1", customer="C1"),
        call("P2", channel="飞鸽传书"),
        call("P3", customer="NOBODY"),  # refused at write time, on the thread
        call("P1", category="投诉"),
        call("P4", wrap="-1"),
        call("P5"),
        call("P6", queue="new-queue"),
        call("P7"),
    ]
    path = write_csv(tmp_path / "calls.csv", rows)
    assert run_import("interactions", path) == 1
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == [
        "P1",
        "P5",
        "P6",
        "P7",
    ]
    first = Interaction.objects.select_related("customer").get(external_id="P1")
    assert (first.category, first.customer.external_id) == ("话费查询", "C1")
    assert Interaction.objects.get(external_id="P6").queue.code == "new-queue"
    rejected = error_rows(last_report(capsys))
    assert sorted(int(e["row"]) for e in rejected) == [3, 4, 5, 6]

    # The same file again, with one call changed: one update, the rest unchanged.
    rows[7] = call("P6", queue="new-queue", category="投诉")
    write_csv(path, rows)
    assert run_import("interactions", path) == 1
    out = capsys.readouterr().out
    assert "0 created, 1 updated, 3 unchanged, 4 rejected" in out
    assert Interaction.objects.get(external_id="P6").category == "投诉"


def test_a_failure_on_the_writing_thread_keeps_a_prefix_of_the_file(tmp_path, monkeypatch):
    _write_on_a_thread(monkeypatch, batch_size=2)
    _fail_the_second_batch(monkeypatch, "write")
    path = write_csv(
        tmp_path / "calls.csv", [INTERACTION_HEADERS_ZH] + [call(f"R{i}") for i in range(9)]
    )
    assert run_import("interactions", path) == 1
    # Batches queued behind the failed one are not written: no gap in what is stored.
    assert set(Interaction.objects.values_list("external_id", flat=True)) == {"R0", "R1"}


def test_text_copy_is_used_when_a_column_type_is_not_a_built_in_one(tmp_path, monkeypatch):
    from django.db import connection

    from yuqi.imports import upsert

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(upsert, "_binary_types", lambda meta, columns: None)
    path = write_csv(tmp_path / "calls.csv", [INTERACTION_HEADERS_ZH, call("T1", wrap="45")])
    assert run_import("interactions", path) == 0
    stored = Interaction.objects.get(external_id="T1")
    assert (stored.wrap_seconds, stored.talk_seconds, stored.category) == (45, 240, "话费查询")
    assert stored.arrived_at.isoformat() == "2026-11-02T01:00:00+00:00"


def test_a_blank_cell_in_a_text_column_other_rows_fill_is_stored_blank(tmp_path):
    """The batch carries ``category`` for X1 only: X2's blank cell must not become NULL
    (it stopped the import with a NOT NULL error)."""
    path = write_csv(
        tmp_path / "calls.csv",
        [INTERACTION_HEADERS_ZH, call("X1"), call("X2", category="")],
    )
    assert run_import("interactions", path) == 0
    stored = dict(Interaction.objects.values_list("external_id", "category"))
    assert stored == {"X1": "话费查询", "X2": ""}
