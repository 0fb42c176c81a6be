"""An import taken up again after its worker died continues after its last committed batch:
every row stored once, counted once and reported once; a worker taken for dead cannot write
behind the one that took over; a database that goes away stops the import cleanly."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from tests.imports.files import write_csv
from yuqi.customers.importing import CustomerImporter
from yuqi.customers.models import Customer
from yuqi.imports import engine
from yuqi.imports.engine import import_file
from yuqi.imports.importers import get_importer
from yuqi.imports.models import ImportRun
from yuqi.imports.services import import_run_create
from yuqi.imports.tasks import run_import
from yuqi.ingest import ErrorReport

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["客户编号", "姓名", "手机号"]


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs, no handler sees it."""


def customer(number: int, *, name: str = "顾客") -> list[object]:
    return [f"C{number:03d}", name, f"138{number:08d}"]


def customers_file(tmp_path: Path) -> Path:
    """20 rows: 16 good ones, 3 without a name (rows 4, 12, 19 of the file) and, at row 17,
    a second C002 (a duplicate of row 3, after the point where the import is killed)."""
    rows: list[list[object]] = [HEADERS]
    for number in range(1, 21):
        rows.append(customer(number, name="" if number in (3, 11, 18) else "顾客"))
    rows[16] = customer(2)  # row 17 of the file repeats C002 (row 3)
    return write_csv(tmp_path / "customers.csv", rows)


def report_rows(run: ImportRun) -> list[int]:
    text = Path(run.error_report).read_text(encoding="utf-8-sig")
    return [int(line["row"]) for line in csv.DictReader(io.StringIO(text))]


def start(path: Path) -> ImportRun:
    return import_run_create(kind="customers", file_name=path.name, path=path, by=None)


def kill_at_checkpoint(monkeypatch, number: int) -> None:
    """Kill the import in its ``number``-th batch, once the batch's report lines are written
    but before it commits (the worst moment for the report)."""
    real = ErrorReport.checkpoint
    calls = {"n": 0}

    def checkpoint(self):
        calls["n"] += 1
        if calls["n"] == number:
            raise Killed
        return real(self)

    monkeypatch.setattr(ErrorReport, "checkpoint", checkpoint)


def test_a_killed_import_resumes_after_its_last_batch_and_counts_every_row_once(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(engine, "BATCH_SIZE", 4)
    path = customers_file(tmp_path)
    run = start(path)
    kill_at_checkpoint(monkeypatch, 3)
    with pytest.raises(Killed):
        import_file(importer=get_importer("customers"), path=path, run=run)
    run.refresh_from_db()
    assert run.status == "running"
    # Two whole batches committed: rows 1-9 of the data (8 good, C003 without a name).
    assert (run.committed_rows, run.rows_created, run.rows_rejected) == (9, 8, 1)
    assert Customer.objects.count() == 8

    monkeypatch.undo()
    monkeypatch.setattr(engine, "BATCH_SIZE", 4)
    run_import.call(run.pk)

    run.refresh_from_db()
    assert run.status == "done"
    assert run.attempt == 2
    assert (run.rows_read, run.rows_created, run.rows_unchanged, run.rows_rejected) == (
        20,
        16,
        0,  # the committed rows were skipped, not written again
        4,
    )
    assert "9" in run.message
    assert Customer.objects.count() == 16
    assert report_rows(run) == [4, 12, 17, 19]  # once each, the duplicate still caught
    # The second attempt wrote its own report; the first one's is gone.
    assert run.error_report.endswith("-errors-2.csv")
    assert not Path(run.error_report.replace("-errors-2.csv", "-errors.csv")).exists()


def test_a_resumed_import_with_nothing_left_only_records_its_outcome(tmp_path, monkeypatch):
    path = customers_file(tmp_path)
    run = start(path)
    import_file(importer=get_importer("customers"), path=path, run=run)
    # The worker died after the last commit but before recording the outcome.
    ImportRun.objects.filter(pk=run.pk).update(status="running", finished_at=None)
    run_import.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.rows_read, run.rows_created, run.rows_rejected) == ("done", 20, 16, 4)
    assert report_rows(run) == [4, 12, 17, 19]


def test_a_run_marked_interrupted_is_resumed_by_its_job_when_the_job_runs_after_all(tmp_path):
    # The race seen with RQ: the sweep marked the run interrupted (no live job) just before the
    # job the lease sweep queued again reached a worker; that job resumes the run.
    path = customers_file(tmp_path)
    run = start(path)
    import_file(importer=get_importer("customers"), path=path, run=run)
    ImportRun.objects.filter(pk=run.pk).update(
        status="interrupted", finished_at=None, message="interrupted"
    )
    run_import.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.rows_read, run.rows_created, run.rows_rejected) == ("done", 20, 16, 4)
    assert run.message != "interrupted"  # the resume says what it took up


def test_a_finished_import_is_not_run_again_by_its_job(tmp_path):
    path = customers_file(tmp_path)
    run = start(path)
    import_file(importer=get_importer("customers"), path=path, run=run)
    assert run_import.call(run.pk) == f"import {run.pk} already done"


def test_a_writer_taken_for_dead_cannot_commit_behind_the_attempt_that_took_over(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(engine, "BATCH_SIZE", 4)
    path = customers_file(tmp_path)
    run = start(path)
    real = CustomerImporter.store
    calls = {"n": 0}

    def store(self, records):
        calls["n"] += 1
        if calls["n"] == 2:  # meanwhile another worker claims the run
            ImportRun.objects.filter(pk=run.pk).update(attempt=run.attempt + 1)
        return real(self, records)

    monkeypatch.setattr(CustomerImporter, "store", store)
    import_file(importer=get_importer("customers"), path=path, run=run)
    stored = ImportRun.objects.get(pk=run.pk)
    assert stored.status == "running"  # the new attempt's to finish
    assert (stored.committed_rows, stored.rows_created) == (5, 4)
    assert Customer.objects.count() == 4  # the second batch was rolled back


def test_a_database_error_fails_the_run_and_says_how_far_it_got(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 4)
    path = customers_file(tmp_path)
    real = CustomerImporter.store
    calls = {"n": 0}

    def store(self, records):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OperationalError("disk I/O error")
        return real(self, records)

    monkeypatch.setattr(CustomerImporter, "store", store)
    run = import_file(importer=get_importer("customers"), path=path, run=start(path))
    run.refresh_from_db()
    assert run.status == "failed"
    # "Stopped by a database error after 9 rows; ...: disk I/O error", in the user's language
    assert re.search(r"\b9\b", run.message)
    assert run.message.endswith("disk I/O error")
    assert (run.committed_rows, run.rows_created, run.rows_rejected) == (9, 8, 1)
    assert Customer.objects.count() == 8
    assert report_rows(run) == [4]  # the lines of the failed batch are not kept


def _terminate_own_backend() -> None:
    """What an administrator's pg_terminate_backend (or a server restart) does to the
    import's connection, from another connection."""
    import psycopg

    pid = connection.connection.info.backend_pid
    conf = connection.settings_dict
    with psycopg.connect(
        dbname=conf["NAME"],
        user=conf["USER"],
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
        password=conf["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_database_connection_killed_mid_import_fails_the_run_keeping_whole_batches(
    tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no server connection to lose; its failures (a lock held past the "
            "timeout, a full disk) take the path of test_a_database_error_fails_the_run..."
        )
    monkeypatch.setattr(engine, "BATCH_SIZE", 4)
    path = customers_file(tmp_path)
    real = CustomerImporter.store
    calls = {"n": 0}

    def store(self, records):
        calls["n"] += 1
        if calls["n"] == 3:
            _terminate_own_backend()
        return real(self, records)

    monkeypatch.setattr(CustomerImporter, "store", store)
    run = import_file(importer=get_importer("customers"), path=path, run=start(path))
    run.refresh_from_db()  # on a new connection
    assert run.status == "failed"
    assert re.search(r"\b9\b", run.message)
    assert "connection" in run.message
    assert (run.committed_rows, run.rows_created) == (9, 8)
    assert Customer.objects.count() == 8

    monkeypatch.undo()
    again = import_file(importer=get_importer("customers"), path=path, run=start(path))
    assert (again.status, again.rows_created, again.rows_unchanged) == ("done", 8, 8)
    assert Customer.objects.count() == 16
