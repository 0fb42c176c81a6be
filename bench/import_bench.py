"""Import benchmark: a generated interactions CSV (1,000,000 rows by default) into PostgreSQL
and SQLite, against a raw ``COPY`` of the same file measured in the same run.

For each database it prints, as the median and range of ``--runs`` runs (3 by default):

* the anchor (PostgreSQL): ``COPY … FROM STDIN (FORMAT csv)`` of the file, through psycopg,
  into a typed table with a primary key on the call id;
* **after**: ``yuqi import interactions`` from this tree, into a freshly migrated database,
  then the same file again (the re-import, which must store nothing new);
* **before**, with ``--before-src``: the same command run from another source tree (e.g. a
  checkout of main's ``src``), in the same rounds, alternating with *after*.

Rows/s are rows of the file over the wall time of the importing process (start-up included).
Peak memory is the max RSS of that process. On a shared machine, where the wall time tells the
load more than the code, compare the CPU seconds it prints for each import and re-import: the
importing process's (user + system) and the server's (its backends, read from ``/proc``).
Targets: ≥ 60,000 rows/s on PostgreSQL (aim 100,000), ≥ 10,000 on SQLite, peak memory < 500 MB.

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--runs 3]
        [--pg postgresql://postgres@127.0.0.1:5432/yuqi_bench] [--skip-pg] [--skip-sqlite]
        [--before-src /path/to/main/src] [--after-src /path/to/this/src]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

HEADERS = [
    "通话ID",
    "渠道",
    "技能组",
    "座席工号",
    "主叫号码",
    "进线时间",
    "应答时间",
    "结束时间",
    "话后处理时长",
    "是否转接",
    "一次解决",
    "业务类型",
]
QUEUES = ["general", "vip", "billing", "fault", "broadband"]
CATEGORIES = ["话费查询", "套餐变更", "故障报修", "宽带安装", "投诉", "账单异议", "业务咨询"]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, 8, 0, 0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            arrived = start + timedelta(seconds=n * 5 + rng.randint(0, 4))
            abandoned = rng.random() < 0.08
            wait = int(rng.expovariate(1 / 25))
            answered = "" if abandoned else (arrived + timedelta(seconds=wait))
            ended = (
                (arrived + timedelta(seconds=wait))
                if abandoned
                else (answered + timedelta(seconds=int(rng.lognormvariate(5.2, 0.5))))
            )
            writer.writerow(
                [
                    f"CALL{n:09d}",
                    "电话",
                    rng.choice(QUEUES),
                    f"A{rng.randint(1, 90):04d}",
                    f"13{rng.randint(0, 999_999_999):09d}",
                    f"{arrived:%Y-%m-%d %H:%M:%S}",
                    f"{answered:%Y-%m-%d %H:%M:%S}" if answered else "",
                    f"{ended:%Y-%m-%d %H:%M:%S}",
                    0 if abandoned else rng.randint(5, 60),
                    "否",
                    "是" if rng.random() < 0.8 else "否",
                    rng.choice(CATEGORIES),
                ]
            )


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MB), standard output and CPU seconds (user + system) of
    ``command``. On a shared machine the CPU time moves less than the wall time."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        out = process.stdout.read()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode(), usage.ru_utime + usage.ru_stime


class BackendCpu:
    """CPU seconds (user + system) of the PostgreSQL backends serving ``database`` while the
    block runs, sampled from ``/proc`` every 0.1 s (a local server only; ``seconds`` stays
    None when none was seen): the server's share of a re-import, which the importing
    process's own CPU time leaves out."""

    def __init__(self, database: str | None) -> None:
        self.database = database
        self.seconds: float | None = None
        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        marker = f" {self.database} ".encode()
        while not self._stop.wait(0.1):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    if not (entry / "cmdline").read_bytes().startswith(b"postgres: "):
                        continue
                    if marker not in (entry / "cmdline").read_bytes():
                        continue
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self._seen[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick

    def __enter__(self) -> BackendCpu:
        if self.database and Path("/proc/self/stat").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
            self.seconds = sum(self._seen.values()) if self._seen else None


ANCHOR_TABLE = """
DROP TABLE IF EXISTS bench_anchor;
CREATE TABLE bench_anchor (
    call_id text PRIMARY KEY, channel text, queue text, agent text, caller text,
    arrived_at timestamptz, answered_at timestamptz, ended_at timestamptz, wrap integer,
    transferred text, resolved text, category text
);
"""


def copy_anchor(url: str, csv_path: Path) -> float:
    """Seconds for a raw COPY of the file into a typed table with a primary key."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SET TIME ZONE 'Asia/Shanghai'")
        connection.execute(ANCHOR_TABLE)
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY bench_anchor FROM STDIN (FORMAT csv, HEADER true)") as copy,
            csv_path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        connection.execute("DROP TABLE bench_anchor")
    return seconds


def _pg_database(url: str, name: str, *, template: str | None = None) -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    return f"{base}/{name}"


def _drop_pg_database(url: str, name: str) -> None:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


class Target:
    """One database kind: a migrated template, and a fresh copy of it for each import."""

    def __init__(self, label: str, pg_url: str | None, work: Path) -> None:
        self.label, self.pg_url, self.work = label, pg_url, work
        self.template = work / f"{label}-template"
        env = self.env(self.template)
        if pg_url:
            name = pg_url.rsplit("/", 1)[1]
            self.template_name = f"{name}_template"
            env["DATABASE_URL"] = _pg_database(pg_url, self.template_name)
        yuqi = [sys.executable, "-m", "yuqi.cli"]
        subprocess.run([*yuqi, "manage", "migrate", "-v", "0"], env=env, check=True)

    @staticmethod
    def env(data_dir: Path) -> dict[str, str]:
        env = {
            **os.environ,
            "YUQI_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "yuqi.config.settings",
        }
        env.pop("DATABASE_URL", None)
        return env

    def fresh(self, run: str) -> dict[str, str]:
        data_dir = self.work / f"{self.label}-{run}"
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(self.template, data_dir)
        env = self.env(data_dir)
        if self.pg_url:
            name = self.pg_url.rsplit("/", 1)[1]
            env["DATABASE_URL"] = _pg_database(self.pg_url, name, template=self.template_name)
        return env

    def close(self) -> None:
        if self.pg_url:
            _drop_pg_database(self.pg_url, self.template_name)


def _bytecode_cache(src: str) -> Path:
    cache = Path(tempfile.gettempdir()) / "yuqi-bench-pyc"
    marker = cache / (src.strip("/").replace("/", "_") + ".compiled")
    if not marker.exists():
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(cache)}
        subprocess.run([sys.executable, "-m", "compileall", "-q", src], env=env, check=True)
        marker.touch()
    return cache


def import_once(env: dict[str, str], csv_path: Path, src: str | None) -> dict[str, float]:
    if src:
        # Another source tree, run by this interpreter; its bytecode is cached elsewhere, and
        # compiled before the first run (compiling it would be timed otherwise).
        env = {**env, "PYTHONPATH": src, "PYTHONPYCACHEPREFIX": str(_bytecode_cache(src))}
    command = [sys.executable, "-m", "yuqi.cli", "import", "interactions", str(csv_path)]
    command += ["--quiet", "--no-migrate"]
    database = env["DATABASE_URL"].rsplit("/", 1)[1] if "DATABASE_URL" in env else None
    with BackendCpu(database) as first_server:
        seconds, peak_mb, out, cpu = measured(command, env)
    with BackendCpu(database) as server:
        again, _peak, out2, again_cpu = measured(command, env)
    if " 0 created, 0 updated" not in out2:
        raise SystemExit(f"the re-import stored something: {out2.strip()}")
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "again": again,
        "cpu": cpu,
        "again_cpu": again_cpu,
        "again_server_cpu": server.seconds,
        "server_cpu": first_server.seconds,
        "out": out.strip(),
    }


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):>9,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def bench_target(
    target: Target,
    csv_path: Path,
    rows: int,
    runs: int,
    before_src: str | None,
    after_src: str | None = None,
) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    variants = [("after", after_src)]
    if before_src:
        variants.insert(0, ("before", before_src))
    for number in range(1, runs + 1):
        if target.pg_url:
            anchor = copy_anchor(target.fresh("anchor")["DATABASE_URL"], csv_path)
            results.setdefault("raw COPY (PK)", []).append(rows / anchor)
            print(f"  {target.label} run {number} raw COPY: {rows / anchor:,.0f} rows/s")
        # Alternate the order so neither variant always runs first on a busy machine.
        for label, src in variants if number % 2 else variants[::-1]:
            outcome = import_once(target.fresh(label), csv_path, src)
            results.setdefault(label, []).append(rows / outcome["seconds"])
            results.setdefault(f"{label} re-import", []).append(rows / outcome["again"])
            results.setdefault(f"{label} peak MB", []).append(outcome["peak_mb"])
            # Rows per CPU second of the importing process (the server's work not included).
            results.setdefault(f"{label} rows/CPU s", []).append(rows / outcome["cpu"])
            results.setdefault(f"{label} CPU s", []).append(outcome["cpu"])
            if outcome["server_cpu"] is not None:
                results.setdefault(f"{label} server CPU s", []).append(outcome["server_cpu"])
            results.setdefault(f"{label} re-import CPU s", []).append(outcome["again_cpu"])
            if outcome["again_server_cpu"] is not None:
                results.setdefault(f"{label} re-import server CPU s", []).append(
                    outcome["again_server_cpu"]
                )
            print(f"  {target.label} run {number} {label}: {outcome['out']}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/yuqi_bench")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--before-src", help="a source tree (its src folder) to measure as the 'before' import"
    )
    parser.add_argument(
        "--after-src", help="the source tree to measure as 'after' (default: this one's)"
    )
    args = parser.parse_args()
    targets = {"SQLite": 10_000, "PostgreSQL": 60_000}
    with tempfile.TemporaryDirectory(prefix="yuqi-bench-") as tmp:
        work = Path(tmp)
        csv_path = work / "interactions.csv"
        started = time.perf_counter()
        generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size_mb:.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        results = {}
        chosen = [("PostgreSQL", args.pg)] if not args.skip_pg else []
        chosen += [("SQLite", None)] if not args.skip_sqlite else []
        for label, url in chosen:
            target = Target(label.lower(), url, work)
            try:
                results[label] = bench_target(
                    target, csv_path, args.rows, args.runs, args.before_src
                )
            finally:
                target.close()
                if url:
                    _drop_pg_database(url, url.rsplit("/", 1)[1])
    print(f"\nrows/s, median (range) of {args.runs} runs; {args.rows:,} rows")
    for label, figures in results.items():
        print(f"{label} (target {targets[label]:,} rows/s)")
        for name, values in figures.items():
            if name.endswith("CPU s") and "rows/" not in name:
                ordered = sorted(values)
                median = statistics.median(ordered)
                print(f"  {name:<20} {median:>9.2f} ({ordered[0]:.2f}–{ordered[-1]:.2f})")
            elif name.endswith("peak MB"):
                print(f"  {name:<20} {statistics.median(values):>9,.0f}")
            else:
                print(f"  {name:<20} {_summary(values)}")
        if "before" in figures:
            speedup = statistics.median(figures["after"]) / statistics.median(figures["before"])
            print(f"  after / before       {speedup:>9.2f}×")
            cpu = statistics.median(figures["after rows/CPU s"]) / statistics.median(
                figures["before rows/CPU s"]
            )
            print(f"  same, per CPU second {cpu:>9.2f}×")
        if "raw COPY (PK)" in figures:
            share = statistics.median(figures["raw COPY (PK)"]) / statistics.median(
                figures["after"]
            )
            print(f"  raw COPY / after     {share:>9.1f}×")


if __name__ == "__main__":
    main()
