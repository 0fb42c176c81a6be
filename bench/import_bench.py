"""Import benchmark: a generated 1,000,000-row interactions CSV into SQLite and PostgreSQL.

Prints rows/s and peak memory (max RSS of the importing process) for each database, and the
ratio against a naive baseline measured in the same run: one ORM ``save()`` per row on a
10,000-row sample, extrapolated. Targets [issue-003]: ≥ 20,000 rows/s on PostgreSQL, ≥ 10,000
rows/s on SQLite, peak memory < 500 MB.

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--pg postgresql://postgres@127.0.0.1/yuqi_bench]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
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


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


NAIVE = """
import django, sys, time
django.setup()
from datetime import datetime, timedelta
from django.utils import timezone
from yuqi.interactions.models import Interaction
n = int(sys.argv[1])
start = timezone.now()
t = time.perf_counter()
for i in range(n):
    arrived = start + timedelta(seconds=i)
    Interaction(
        source="naive", external_id=f"N{i}", channel="phone", arrived_at=arrived,
        answered_at=arrived + timedelta(seconds=10), ended_at=arrived + timedelta(seconds=200),
        wait_seconds=10, talk_seconds=190, category="话费查询",
    ).save()
print(n / (time.perf_counter() - t))
"""


def bench_database(
    label: str, url: str | None, csv_path: Path, rows: int, work: Path, sample: int
) -> dict[str, float]:
    env = {
        **os.environ,
        "YUQI_DATA_DIR": str(work / label),
        "DJANGO_SETTINGS_MODULE": "yuqi.config.settings",
    }
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    yuqi = [sys.executable, "-m", "yuqi.cli"]
    subprocess.run([*yuqi, "manage", "migrate", "-v", "0"], env=env, check=True)
    seconds, peak_mb, out = measured(
        [*yuqi, "import", "interactions", str(csv_path), "--quiet", "--no-migrate"], env
    )
    print(f"  {label}: {out.strip()}")
    again, _peak, out2 = measured(
        [*yuqi, "import", "interactions", str(csv_path), "--quiet", "--no-migrate"], env
    )
    print(f"  {label} (re-import): {out2.strip()}")
    naive = subprocess.run(
        [sys.executable, "-c", NAIVE, str(sample)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    naive_rate = float(naive.stdout.strip().splitlines()[-1])
    return {
        "rate": rows / seconds,
        "seconds": seconds,
        "peak_mb": peak_mb,
        "reimport_rate": rows / again,
        "naive_rate": naive_rate,
    }


def reset_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000, help="rows for the naive baseline")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/yuqi_bench")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
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
        results = {"SQLite": bench_database("sqlite", None, csv_path, args.rows, work, args.sample)}
        if not args.skip_pg:
            reset_pg(args.pg)
            results["PostgreSQL"] = bench_database(
                "postgresql", args.pg, csv_path, args.rows, work, args.sample
            )
    targets = {"SQLite": 10_000, "PostgreSQL": 20_000}
    print(
        f"\n{'database':<11} {'rows/s':>9} {'target':>8} {'re-import':>10} {'peak MB':>8} "
        f"{'naive rows/s':>13} {'vs naive':>9}"
    )
    for label, r in results.items():
        print(
            f"{label:<11} {r['rate']:>9,.0f} {targets[label]:>8,} {r['reimport_rate']:>10,.0f} "
            f"{r['peak_mb']:>8.0f} {r['naive_rate']:>13,.0f} {r['rate'] / r['naive_rate']:>8.1f}×"
        )
        naive_minutes = args.rows / r["naive_rate"] / 60
        print(
            f"{'':<11} naive, extrapolated to {args.rows:,} rows: {naive_minutes:.1f} min; "
            f"Yuqi: {r['seconds'] / 60:.1f} min"
        )


if __name__ == "__main__":
    main()
