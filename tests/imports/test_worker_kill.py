"""kill -9 of a real ``yuqi worker`` in the middle of an import, on both queue engines.

Each test gives the worker processes a database of their own (a SQLite file, or a PostgreSQL
database made for the test when the suite runs on PostgreSQL: pytest-django's test database is
not visible to another process), queues the import of a generated customers file, kills the
worker's whole process group with SIGKILL once the first batch is committed, starts another
worker and checks that the store ends with every row exactly once and the run done, counted
right. Leases are 2 s so each test takes seconds.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_redis_queue import require_redis

ROWS = 60_000
BATCH = 5000  # yuqi.imports.engine.BATCH_SIZE
WAIT = 120  # seconds; see wait_for
BAD_EVERY = 9_973  # rows without a name, rejected and reported
LEASE_SECONDS = "2"
YUQI = [sys.executable, "-c", "import sys; from yuqi.cli import main; sys.exit(main())"]
SUITE_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = SUITE_DATABASE_URL.startswith(("postgres://", "postgresql://"))
# The workers are subprocesses on the suite's database engine: a database test on each backend.
pytestmark = pytest.mark.database


def customers_csv(path: Path, rows: int = ROWS) -> tuple[set[str], list[int]]:
    """``ROWS`` customers (over 4 MB, so PostgreSQL writes on its second thread); returns the
    ids that must be stored and the file rows that must be rejected."""
    good, bad = set(), []
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["客户编号", "姓名", "手机号", "邮箱", "地区", "入网日期"])
        for number in range(1, rows + 1):
            external_id = f"K{number:07d}"
            name = "" if number % BAD_EVERY == 0 else f"顾客{number}"
            out.writerow(
                [
                    external_id,
                    name,
                    f"139{number:08d}",
                    f"customer.{number}@example.cn",
                    "湖北省 武汉市 洪山区",
                    "2020-03-01",
                ]
            )
            if name:
                good.add(external_id)
            else:
                bad.append(number + 1)  # the header is row 1
    return good, bad


@dataclass
class Site:
    """A data folder and database for the worker processes, and a way to query it."""

    data_dir: Path
    database_url: str
    env: dict[str, str]

    def query(self, sql: str, *params: Any) -> list[tuple]:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()
        with sqlite3.connect(self.data_dir / "yuqi.sqlite3", timeout=20) as conn:
            return conn.execute(sql, params).fetchall()

    def yuqi(self, *args: str, **kwargs: Any) -> subprocess.Popen:
        return subprocess.Popen([*YUQI, *args], env=self.env, start_new_session=True, **kwargs)

    def run(self, *args: str, exit_status: int = 0) -> str:
        done = subprocess.run(
            [*YUQI, *args], env=self.env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == exit_status, done.stderr
        return done.stdout


def _base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "YUQI_DATA_DIR": str(data_dir), "DATABASE_URL": database_url}
    env.update(YUQI_TASKS_BACKEND="database", YUQI_TASK_LEASE_SECONDS=LEASE_SECONDS)
    return env


def _postgres_admin(sql: str) -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(SUITE_DATABASE_URL)
    params["dbname"] = "postgres"
    with psycopg.connect(make_conninfo(**params), autocommit=True) as conn:
        conn.execute(sql)


def _postgres_url(name: str) -> str:
    return SUITE_DATABASE_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Iterator[Callable[[Path], str]]:
    """Migrate a template database once; each call gives a copy and its DATABASE_URL."""
    folder = tmp_path_factory.mktemp("template")
    template = f"yuqi_killtpl_{secrets.token_hex(4)}" if ON_POSTGRESQL else ""
    if template:
        _postgres_admin(f"CREATE DATABASE {template}")
    url = _postgres_url(template) if template else ""
    subprocess.run(
        [*YUQI, "manage", "migrate", "-v0"],
        env=_base_env(folder, url),
        check=True,
        timeout=300,
    )
    copies: list[str] = []

    def copy(data_dir: Path) -> str:
        data_dir.mkdir(parents=True, exist_ok=True)
        if not template:
            shutil.copy(folder / "yuqi.sqlite3", data_dir / "yuqi.sqlite3")
            return ""
        name = f"yuqi_kill_{secrets.token_hex(4)}"
        _postgres_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
        copies.append(name)
        return _postgres_url(name)

    yield copy
    for name in [*copies, template]:
        if name:
            _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def redis_database() -> Iterator[str]:
    """An empty Redis database (1-14) held for this test, emptied afterwards."""
    import redis

    token = secrets.token_hex(8)
    for number in secrets.SystemRandom().sample(range(1, 15), 14):
        url = f"redis://127.0.0.1:6379/{number}"
        client = redis.Redis.from_url(url)
        if client.dbsize() == 0 and client.set("yuqi-test-lock", token, nx=True, ex=300):
            try:
                yield url
            finally:
                client.flushdb()
            return
    pytest.fail("no empty Redis database among 1-14")


def wait_for(what: str, check: Callable[[], Any], timeout: float, log: Path | None = None) -> Any:
    """Poll until ``check`` gives something. The deadline is generous on purpose: a worker
    subprocess starting Django next to a busy parallel suite on two cores can take tens of
    seconds, and a passing run returns as soon as the condition holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    shown = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{shown}")


def children(pid: int) -> list[int]:
    """Processes ``pid`` started (RQ's work horse runs the job in one, in a group of its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def kill_worker(process: subprocess.Popen) -> None:
    """kill -9 of the worker and of the work horse running its job: the job dies with it, as
    when its machine is lost. The worker goes first: a worker that outlives its horse, even
    for a moment on a busy machine, records the horse's death as the job's own failure (RQ's
    "work-horse terminated unexpectedly", which is not a lost worker and is not run again)."""
    horses = children(process.pid)  # found while their parent still lives
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for pid in horses:
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    process.wait(timeout=10)


def start_worker(site: Site, log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return site.yuqi("worker", "--schedule-every", "0.5", stdout=handle, stderr=handle)


ENQUEUE = """
from django.db import transaction
from yuqi.imports.services import import_upload
with open({path!r}, "rb") as handle, transaction.atomic():
    run = import_upload(kind="customers", name="customers.csv", content=handle, by=None)
print(run.pk)
"""


def kill_mid_import_and_restart(site: Site, csv_path: Path, logs: Path) -> dict[str, Any]:
    first = start_worker(site, logs / "worker-1.log")  # starts up while the job is queued
    second = None
    try:
        queued = site.run("manage", "shell", "-c", ENQUEUE.format(path=str(csv_path)))
        run_id = int(queued.split()[-1])

        def committed() -> int:
            rows = site.query("SELECT committed_rows FROM imports_importrun WHERE id = ?", run_id)
            return rows[0][0] if rows and rows[0][0] >= BATCH else 0

        wait_for("the first committed batch", committed, WAIT, logs / "worker-1.log")
        kill_worker(first)
        at_kill = site.query(
            "SELECT committed_rows, status FROM imports_importrun WHERE id = ?", run_id
        )[0]
        assert at_kill[1] == "running"
        assert 0 < at_kill[0] < ROWS
        second = start_worker(site, logs / "worker-2.log")

        def finished() -> str | None:
            status = site.query("SELECT status FROM imports_importrun WHERE id = ?", run_id)[0][0]
            return status if status in ("done", "failed", "interrupted") else None

        assert wait_for("the run to finish", finished, WAIT, logs / "worker-2.log") == "done", (
            logs / "worker-2.log"
        ).read_text(errors="replace")
    finally:
        kill_worker(first)
        if second is not None:
            kill_worker(second)
    columns = (
        "rows_read, rows_created, rows_updated, rows_unchanged, rows_rejected, attempt, "
        "committed_rows, error_report, task_id"
    )
    row = site.query(f"SELECT {columns} FROM imports_importrun WHERE id = ?", run_id)[0]
    return dict(zip([c.strip() for c in columns.split(",")], row, strict=True)) | {
        "committed_at_kill": at_kill[0]
    }


def assert_every_row_once(site: Site, run: dict[str, Any], good: set[str], bad: list[int]):
    stored = [
        external_id for (external_id,) in site.query("SELECT external_id FROM customers_customer")
    ]
    assert len(stored) == len(good)
    assert set(stored) == good
    assert (run["rows_read"], run["committed_rows"]) == (ROWS, ROWS)
    # Counted once: the committed rows were not written again (they would count unchanged).
    assert (run["rows_created"], run["rows_updated"], run["rows_unchanged"]) == (len(good), 0, 0)
    assert run["rows_rejected"] == len(bad)
    assert run["attempt"] == 2
    with open(run["error_report"], encoding="utf-8-sig", newline="") as handle:
        reported = [int(line["row"]) for line in csv.DictReader(handle)]
    assert sorted(reported) == bad  # each rejected row reported once


@pytest.fixture
def customers(tmp_path) -> tuple[Path, set[str], list[int]]:
    path = tmp_path / "customers.csv"
    good, bad = customers_csv(path)
    return path, good, bad


def make_site(tmp_path: Path, migrated, **env: str) -> Site:
    data_dir = tmp_path / "site"
    url = migrated(data_dir)
    return Site(data_dir, url, _base_env(data_dir, url) | env)


def test_a_worker_killed_mid_import_on_the_database_queue_is_replaced_and_resumes(
    tmp_path, migrated, customers
):
    path, good, bad = customers
    site = make_site(tmp_path, migrated)
    run = kill_mid_import_and_restart(site, path, tmp_path)
    assert_every_row_once(site, run, good, bad)
    [(workers,)] = site.query(
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
        run["task_id"] if site.database_url else run["task_id"].replace("-", ""),
    )
    # Claimed twice: by the killed worker, then by the one that took the job up again.
    assert len(workers if isinstance(workers, list) else json.loads(workers)) == 2
    print(
        f"\ndatabase queue ({'PostgreSQL' if site.database_url else 'SQLite'}): "
        f"kill -9 at {run['committed_at_kill']:,} committed rows; "
        f"stored {len(good):,} of {len(good):,} good rows once, {len(bad)} rejected"
    )


def test_a_worker_killed_mid_import_on_redis_is_replaced_and_resumes(tmp_path, migrated, customers):
    require_redis()
    path, good, bad = customers
    with redis_database() as redis_url:
        site = make_site(tmp_path, migrated, YUQI_TASKS_BACKEND="redis", REDIS_URL=redis_url)
        run = kill_mid_import_and_restart(site, path, tmp_path)
    assert_every_row_once(site, run, good, bad)
    print(
        f"\nRedis queue ({'PostgreSQL' if site.database_url else 'SQLite'}): "
        f"kill -9 at {run['committed_at_kill']:,} committed rows; "
        f"stored {len(good):,} of {len(good):,} good rows once, {len(bad)} rejected"
    )


SWEEP = """
from datetime import timedelta
from yuqi.imports.services import import_runs_mark_interrupted
print(import_runs_mark_interrupted(stale_after=timedelta(0)))
"""


def test_a_killed_yuqi_import_is_marked_interrupted_and_a_rerun_stores_each_row_once(
    tmp_path, migrated
):
    path = tmp_path / "customers.csv"
    good, bad = customers_csv(path, rows=20_000)
    site = make_site(tmp_path, migrated)
    command = site.yuqi(
        "import", "customers", str(path), "--quiet", "--no-migrate", stdout=subprocess.DEVNULL
    )
    try:

        def committed() -> int:
            rows = site.query("SELECT id, committed_rows FROM imports_importrun")
            return rows[0][0] if rows and rows[0][1] >= BATCH else 0

        run_id = wait_for("the first committed batch", committed, WAIT)
    finally:
        kill_worker(command)
    assert site.query("SELECT status FROM imports_importrun WHERE id = ?", run_id) == [("running",)]

    assert site.run("manage", "shell", "-c", SWEEP).split()[-1] == f"[{run_id}]"
    [(status, message)] = site.query(
        "SELECT status, message FROM imports_importrun WHERE id = ?", run_id
    )
    assert status == "interrupted"
    assert "yuqi import" in message

    rerun = site.run("import", "customers", str(path), "--quiet", "--no-migrate", exit_status=1)
    # Idempotent: what the killed run stored is found unchanged, the rest created.
    assert f"{len(bad)} rejected" in rerun
    [(created, unchanged)] = site.query(
        "SELECT rows_created, rows_unchanged FROM imports_importrun WHERE id != ?", run_id
    )
    assert created + unchanged == len(good)
    assert unchanged > 0
    stored = site.query("SELECT COUNT(*), COUNT(DISTINCT external_id) FROM customers_customer")
    assert stored == [(len(good), len(good))]
