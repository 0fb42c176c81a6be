"""kill -9 of ``yuqi worker`` in the middle of a 300,000-row import (the review's F-8 case),
then another worker: how many rows end up stored, and how long the whole takes.

Uses the harness of ``tests/imports/test_worker_kill.py`` with a 2 s lease: queue the import,
start a worker, kill it (and its RQ work horse) once 60,000 rows are committed, start another.

    .venv/bin/python bench/worker_kill_bench.py database sqlite
    .venv/bin/python bench/worker_kill_bench.py redis postgresql   # Redis at 127.0.0.1:6379
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
os.environ.setdefault("YUQI_DATA_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

import tests.imports.test_worker_kill as harness  # noqa: E402

ROWS = 300_000
KILL_AFTER = 60_000
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def main(backend: str, database: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="worker-kill-", dir=ROOT / "var"))
    path = folder / "customers.csv"
    good, bad = harness.customers_csv(path, rows=ROWS)
    harness.ROWS, harness.BATCH = ROWS, KILL_AFTER
    wait = harness.wait_for
    harness.wait_for = lambda what, check, timeout: wait(what, check, timeout * 12)
    url = ""
    if database == "postgresql":
        harness.SUITE_DATABASE_URL = POSTGRES
        url = harness._postgres_url(f"yuqi_killbench_{secrets.token_hex(4)}")
        harness._postgres_admin(f"CREATE DATABASE {url.rsplit('/', 1)[1]}")
    data = folder / "site"
    data.mkdir()
    env = harness._base_env(data, url)
    subprocess.run([*harness.YUQI, "manage", "migrate", "-v0"], env=env, check=True)
    try:
        started = time.monotonic()
        if backend == "redis":
            with harness.redis_database() as redis_url:
                site = harness.Site(data, url, env | {"YUQI_TASKS_BACKEND": "redis"})
                site.env["REDIS_URL"] = redis_url
                run = harness.kill_mid_import_and_restart(site, path, folder)
        else:
            site = harness.Site(data, url, env)
            run = harness.kill_mid_import_and_restart(site, path, folder)
        seconds = time.monotonic() - started
        [(count, distinct)] = site.query(
            "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM customers_customer"
        )
    finally:
        if url:
            harness._postgres_admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
    print(
        f"{backend} queue on {database}: kill -9 after {run['committed_at_kill']:,} committed "
        f"rows; after restart {count:,} rows stored ({distinct:,} distinct) of {len(good):,} "
        f"good; rejected {run['rows_rejected']} of {len(bad)}; created {run['rows_created']:,}, "
        f"unchanged {run['rows_unchanged']}; attempt {run['attempt']}; {seconds:.0f} s in all"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
