"""KPI engine benchmark: N generated interactions → KPIs per queue × 30-minute interval.

    .venv/bin/python bench/kpi_bench.py [--rows 10000000] [--sample 300000] [--threads 2]

The contacts are generated with NumPy (seeded: Poisson-like arrivals over 30 days, 8 queues,
log-normal waits and handle times, patience-driven abandons) and written to a Parquet file
by DuckDB; they never enter the Django database. Then, each in its own process so that peak
memory (max RSS, from ``wait4``) is the contender's own:

* **engine**: ``yuqi.operations.kpi.file_engine.kpi_counts_from_file`` on the Parquet file (the
  ``yuqi kpi`` path: DuckDB sums per group), then ``kpi_values`` per group;
* **pandas**: ``read_parquet`` + ``groupby(["queue", "interval"])`` sums with the same
  formulas, if pandas (and a Parquet reader) is installed;
* otherwise **python**: the pure reference ``counts_from_rows`` over a sample of rows,
  extrapolated linearly to N rows (said so in the output).

Target [issue-006]: engine at least 5× faster than pandas and under 15 s on 2 cores.

``--versus-raw`` measures the command instead, against a hand-written DuckDB query:

    .venv/bin/python bench/kpi_bench.py --versus-raw [--rows 10000000] [--repeat 3]
                                        [--before main] [--formats parquet,csv]

The same rows are written as Parquet and as CSV (DuckDB ``COPY``). For each format, three
fresh processes take turns in each of ``--repeat`` rounds (the order rotates, so other work
on the machine hits them alike), each printing its table of queue × 30-minute groups to
/dev/null: the **anchor** (Python with DuckDB alone running the raw query of the outside
performance review, Appendix A), **before** (``yuqi kpi FILE --by queue,interval`` from the
source tree of the git revision ``--before``, unpacked with ``git archive``) and **after**
(the same command from this checkout). Printed: wall seconds of each (median and range of
the rounds) and the ratio to the anchor (the median of the per-round ratios, and their
range). Before the timing, the anchor's six measures are compared with ``yuqi kpi --json``
of this checkout in every group (offered, answered, abandoned, service level, ASA, AHT).
Target: after ≤ 1.5× the anchor on both formats.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ("general", "vip", "billing", "fault", "broadband", "online", "email", "english")
START = "2025-03-01 00:00:00"
DAYS = 30


def generate(path: Path, rows: int, seed: int = 20250301) -> float:
    """Write ``rows`` contacts to ``path`` (Parquet); returns the seconds it took."""
    import duckdb
    import numpy as np

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    # Arrivals weighted towards the day (8:00–22:00), spread over DAYS days.
    day = rng.integers(0, DAYS, rows)
    hour_weights = np.array(
        [1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 9, 10, 9, 8, 7, 6, 6, 5, 4, 2, 1], dtype=float
    )
    hour = rng.choice(24, rows, p=hour_weights / hour_weights.sum())
    offset = (day * 86400 + hour * 3600 + rng.integers(0, 3600, rows)).astype("int64")
    queue = rng.choice(len(QUEUES), rows, p=[0.35, 0.08, 0.15, 0.12, 0.1, 0.1, 0.05, 0.05])
    wait = np.minimum(rng.lognormal(2.6, 1.1, rows), 3600).astype("int32")
    patience = rng.exponential(90.0, rows)
    abandoned = wait > patience
    wait = np.where(abandoned, np.minimum(wait, patience).astype("int32"), wait)
    answered = ~abandoned
    talk = np.where(answered, rng.lognormal(5.2, 0.5, rows), 0).astype("int32")
    wrap = np.where(answered, rng.lognormal(3.2, 0.6, rows), 0).astype("int32")
    transferred = answered & (rng.random(rows) < 0.04)
    fcr_flag = rng.random(rows)
    columns = {
        "offset_s": offset,
        "queue_no": queue.astype("int8"),
        "wait_seconds": wait,
        "talk_seconds": talk,
        "wrap_seconds": wrap,
        "abandoned": abandoned,
        "answered": answered,
        "transferred": transferred,
        "fcr_flag": fcr_flag,
    }
    con = duckdb.connect()
    con.register("gen", columns)
    queue_list = "[" + ", ".join(f"'{q}'" for q in QUEUES) + "]"
    con.execute(f"""
        COPY (
            SELECT
                'phone' AS channel,
                'inbound' AS direction,
                list_extract({queue_list}, queue_no + 1) AS queue,
                TIMESTAMP '{START}' + to_seconds(offset_s) AS arrived_at,
                CASE WHEN answered
                     THEN TIMESTAMP '{START}' + to_seconds(offset_s + wait_seconds) END
                    AS answered_at,
                abandoned, wait_seconds, talk_seconds, wrap_seconds, transferred,
                CASE WHEN NOT answered THEN NULL ELSE fcr_flag < 0.78 END
                    AS first_contact_resolved
            FROM gen
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
    """)
    con.close()
    return time.perf_counter() - started


# --- yuqi kpi against the raw DuckDB query -------------------------------------------------

RAW_SQL = """
WITH g AS (
  SELECT queue, time_bucket(INTERVAL 30 MINUTE, arrived_at) AS iv,
    count(*) AS offered,
    count_if(answered_at IS NOT NULL AND NOT abandoned) AS answered,
    count_if(abandoned OR answered_at IS NULL) AS abandoned,
    count_if((abandoned OR answered_at IS NULL) AND wait_seconds < 5) AS short_ab,
    count_if(answered_at IS NOT NULL AND NOT abandoned AND wait_seconds <= 20) AS within,
    sum(wait_seconds) FILTER (answered_at IS NOT NULL AND NOT abandoned) AS wait_ans,
    sum(talk_seconds + wrap_seconds) FILTER (answered_at IS NOT NULL AND NOT abandoned) AS handle
  FROM {source}
  WHERE direction = 'inbound' AND queue IS NOT NULL AND arrived_at IS NOT NULL
  GROUP BY ALL)
SELECT queue, iv, offered, answered, abandoned,
  within / nullif(offered - short_ab, 0) AS service_level,
  wait_ans / nullif(answered, 0) AS asa, handle / nullif(answered, 0) AS aht
FROM g ORDER BY queue, iv
"""


def raw_source(path: Path) -> str:
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', header=true)"


def run_raw(path: Path) -> None:
    """The anchor: DuckDB alone, the raw query, its table printed (as ``yuqi kpi`` prints)."""
    import duckdb

    con = duckdb.connect()
    rows = con.execute(RAW_SQL.format(source=raw_source(path))).fetchall()
    out = sys.stdout
    for row in rows:
        out.write("  ".join("" if v is None else str(v) for v in row) + "\n")


def kpi_command(src: Path, path: Path, *extra: str) -> tuple[list[str], dict[str, str]]:
    """``yuqi kpi`` of the source tree ``src`` (``python -m yuqi.cli``, that tree first on
    the path), with its environment."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "yuqi.cli", "kpi", str(path), "--by", "queue,interval"]
    return [*command, "--interval", "30", *extra], env


def compare_with_raw(path: Path) -> str:
    """The anchor's measures against ``yuqi kpi --json`` of this checkout, group by group."""
    import duckdb

    command, env = kpi_command(ROOT / "src", path, "--json")
    ours = json.loads(subprocess.run(command, env=env, check=True, capture_output=True).stdout)
    raw = duckdb.connect().execute(RAW_SQL.format(source=raw_source(path))).fetchall()
    if len(raw) != len(ours["items"]):
        return f"DIFFERENT: {len(raw)} groups in the anchor, {len(ours['items'])} in yuqi kpi"
    worst = 0.0
    for (queue, interval, *measures), item in zip(raw, ours["items"], strict=True):
        keys, values = item["keys"], item["values"]
        if keys["queue"] != queue or keys["interval"] != interval.strftime("%Y-%m-%d %H:%M"):
            return f"DIFFERENT group keys: {queue} {interval} vs {keys}"
        names = ("offered", "answered", "abandoned", "service_level", "asa", "aht")
        for name, expected in zip(names, measures, strict=True):
            got = values[name]
            if (expected is None) != (got is None):
                return f"DIFFERENT {name} in {queue} {interval}: {expected} vs {got}"
            if expected is not None:
                worst = max(worst, abs(float(got) - float(expected)) / max(abs(expected), 1e-12))
    offered = sum(item["values"]["offered"] for item in ours["items"])
    return (
        f"identical: {len(raw):,} groups, {offered:,} offered, max relative difference "
        f"{worst:.1e} over the six measures"
    )


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds of one fresh process and the CPU seconds it used (all its threads)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed")
    return wall, usage.ru_utime + usage.ru_stime


def versus_raw(args: argparse.Namespace) -> int:
    import statistics

    def summary(values: list[float], unit: str) -> str:
        return f"{statistics.median(values):6.2f}{unit} ({min(values):.2f}–{max(values):.2f})"

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        parquet = Path(folder) / "interactions.parquet"
        before = Path(folder) / "before"
        before.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.before, "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        load = os.getloadavg()[0]
        revision = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", args.before],
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(
            f"yuqi kpi vs the raw DuckDB query: {args.rows:,} interactions, queue × 30-min "
            f"groups, {os.cpu_count()} CPUs, load average {load:.2f} at start; before = "
            f"{args.before} ({revision})"
        )
        made = child("generate", parquet, args)[0]["seconds"]
        files = {"parquet": parquet}
        if "csv" in args.formats:
            import duckdb

            files["csv"] = Path(folder) / "interactions.csv"
            duckdb.connect().execute(
                f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{files['csv']}' "
                "(HEADER, DELIMITER ',')"
            )
        sizes = ", ".join(f"{k} {v.stat().st_size / 2**20:,.0f} MiB" for k, v in files.items())
        print(f"  generated in {made:.1f} s ({sizes})")
        for kind in args.formats:
            path = files[kind]
            print(f"\n  {kind}: {compare_with_raw(path)}")
            contenders = {
                "anchor (raw DuckDB query)": (
                    [sys.executable, __file__, "--worker", "raw", "--file", str(path)],
                    None,
                ),
                f"before ({args.before})": kpi_command(before / "src", path),
                "after (this checkout)": kpi_command(ROOT / "src", path),
            }
            names = list(contenders)
            walls: dict[str, list[float]] = {name: [] for name in names}
            cpus: dict[str, list[float]] = {name: [] for name in names}
            for round_number in range(args.repeat):
                turn = names[round_number % 3 :] + names[: round_number % 3]
                for name in turn:
                    wall, cpu = timed(*contenders[name])
                    walls[name].append(wall)
                    cpus[name].append(cpu)
            for measure, seconds in (("wall clock", walls), ("CPU (all threads)", cpus)):
                print(f"    {measure}:")
                anchor = seconds[names[0]]
                for name in names:
                    line = f"      {name:<28}{summary(seconds[name], ' s')}"
                    if name != names[0]:
                        ratios = [a / b for a, b in zip(seconds[name], anchor, strict=True)]
                        line += f"   ratio to anchor {summary(ratios, '×')}"
                    print(line)
            for measure, seconds in (("wall clock", walls), ("CPU", cpus)):
                ratios = [a / b for a, b in zip(seconds[names[2]], seconds[names[0]], strict=True)]
                verdict = "met" if statistics.median(ratios) <= 1.5 else "MISSED"
                print(f"    after ≤ 1.5× the anchor ({measure}, {args.repeat} rounds): {verdict}")
    print(f"\n  load average {os.getloadavg()[0]:.2f} at the end (the machine may be shared)")
    return 0


# --- contenders (each runs in a child process) ---------------------------------------------


def run_engine(path: Path, threads: int) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    import duckdb  # noqa: F401  # imported before the clock starts, as pandas is for its baseline

    from yuqi.domain.kpi import kpi_values
    from yuqi.operations.kpi.file_engine import kpi_counts_from_file

    started = time.perf_counter()
    results = kpi_counts_from_file(
        path, by=["queue", "interval"], interval_minutes=30, threads=threads
    )
    values = [kpi_values(counts) for _, counts in results]
    seconds = time.perf_counter() - started
    offered = sum(v.offered for v in values)
    sl = sum(c.answered_within for _, c in results) / max(
        1, sum(c.offered - c.short_abandoned for _, c in results)
    )
    return {"seconds": seconds, "groups": len(values), "offered": offered, "sl": sl}


def run_pandas(path: Path) -> dict:
    import pandas as pd

    started = time.perf_counter()
    df = pd.read_parquet(
        path,
        columns=[
            "queue",
            "arrived_at",
            "answered_at",
            "abandoned",
            "wait_seconds",
            "talk_seconds",
            "wrap_seconds",
            "transferred",
            "first_contact_resolved",
        ],
    )
    df["interval"] = df["arrived_at"].dt.floor("30min")
    answered = df["answered_at"].notna() & ~df["abandoned"]
    frame = pd.DataFrame(
        {
            "queue": df["queue"],
            "interval": df["interval"],
            "offered": 1,
            "answered": answered,
            "abandoned": df["abandoned"],
            "short": df["abandoned"] & (df["wait_seconds"] < 5),
            "within": answered & (df["wait_seconds"] <= 20),
            "wait_answered": df["wait_seconds"].where(answered, 0),
            "longest": df["wait_seconds"],
            "talk": df["talk_seconds"].where(answered, 0),
            "wrap": df["wrap_seconds"].where(answered, 0),
            "transferred": answered & df["transferred"],
            "fcr_flagged": df["first_contact_resolved"].notna(),
            "fcr_resolved": df["first_contact_resolved"].fillna(False).astype(bool),
        }
    )
    sums = frame.groupby(["queue", "interval"], observed=True).agg(
        {
            c: ("max" if c == "longest" else "sum")
            for c in frame.columns
            if c not in ("queue", "interval")
        }
    )
    base = sums["offered"] - sums["short"]
    sums["service_level"] = (sums["within"] / base).where(base > 0)
    sums["abandon_rate"] = ((sums["abandoned"] - sums["short"]) / base).where(base > 0)
    sums["asa"] = (sums["wait_answered"] / sums["answered"]).where(sums["answered"] > 0)
    sums["aht"] = ((sums["talk"] + sums["wrap"]) / sums["answered"]).where(sums["answered"] > 0)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "groups": len(sums),
        "offered": int(sums["offered"].sum()),
        "sl": float(sums["within"].sum() / base.sum()),
    }


def run_python(path: Path, sample: int) -> dict:
    import duckdb

    sys.path.insert(0, str(ROOT / "src"))
    from yuqi.domain.kpi import ContactRecord, counts_from_rows, interval_start, kpi_values

    con = duckdb.connect()
    fetched = con.execute(
        f"SELECT queue, arrived_at, answered_at IS NOT NULL, abandoned, wait_seconds, "
        f"talk_seconds, wrap_seconds, transferred, first_contact_resolved "
        f"FROM read_parquet('{path}') LIMIT {int(sample)}"
    ).fetchall()
    con.close()
    started = time.perf_counter()
    groups: dict[tuple, list[ContactRecord]] = {}
    for queue, arrived, answered, abandoned, wait, talk, wrap, transferred, fcr in fetched:
        record = ContactRecord(
            arrived_at=arrived,
            answered=answered,
            abandoned=abandoned,
            wait_seconds=wait,
            talk_seconds=talk,
            wrap_seconds=wrap,
            transferred=transferred,
            first_contact_resolved=fcr,
        )
        groups.setdefault((queue, interval_start(arrived, 30)), []).append(record)
    values = [kpi_values(counts_from_rows(rows)) for rows in groups.values()]
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "groups": len(values),
        "rows": len(fetched),
        "offered": sum(v.offered for v in values),
    }


def child(kind: str, path: Path, args: argparse.Namespace) -> tuple[dict, float]:
    """Run one contender in a fresh process; its result and its peak RSS in MiB."""
    # (The parent stays small, so a forked child's inherited max RSS does not hide its own.)
    command = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--file",
        str(path),
        "--threads",
        str(args.threads),
        "--sample",
        str(args.sample),
        "--generate-rows",
        str(args.rows),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{kind} failed (exit {process.returncode})")
    return json.loads(output), usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=300_000,
        help="rows for the plain-Python baseline when pandas is absent",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dir", help="where to write the Parquet file (default: a temp dir)")
    parser.add_argument(
        "--versus-raw",
        action="store_true",
        help="time the yuqi kpi command against the raw DuckDB query (Parquet and CSV)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds for --versus-raw")
    parser.add_argument(
        "--before", default="main", help="git revision whose yuqi kpi is 'before' (--versus-raw)"
    )
    parser.add_argument(
        "--formats", default="parquet,csv", help="comma list of parquet, csv (--versus-raw)"
    )
    parser.add_argument(
        "--worker",
        choices=["generate", "engine", "pandas", "python", "raw"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--generate-rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.formats = [kind for kind in args.formats.split(",") if kind]
    if args.worker == "raw":
        run_raw(Path(args.file))
        return 0
    if args.versus_raw:
        return versus_raw(args)
    if args.worker:
        path = Path(args.file)
        result = {
            "engine": lambda: run_engine(path, args.threads),
            "pandas": lambda: run_pandas(path),
            "python": lambda: run_python(path, args.sample),
            "generate": lambda: {"seconds": generate(path, args.generate_rows)},
        }[args.worker]()
        print(json.dumps(result))
        return 0

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        path = Path(folder) / "interactions.parquet"
        print(
            f"KPI benchmark: {args.rows:,} interactions, {len(QUEUES)} queues × 30-min "
            f"intervals over {DAYS} days, {args.threads} threads, {os.cpu_count()} CPUs"
        )
        made = child("generate", path, args)[0]["seconds"]
        print(
            f"  generated with NumPy → Parquet in {made:.1f} s "
            f"({path.stat().st_size / 2**20:.0f} MiB)"
        )
        engine, engine_mib = child("engine", path, args)
        print(
            f"  engine (DuckDB, yuqi kpi path): {engine['seconds']:7.2f} s   peak RSS "
            f"{engine_mib:6.0f} MiB   {engine['groups']:,} groups, "
            f"{engine['offered']:,} offered, SL {engine['sl']:.3f}"
        )
        try:
            import pandas  # noqa: F401

            has_pandas = True
        except ImportError:
            has_pandas = False
        if has_pandas:
            base, base_mib = child("pandas", path, args)
            print(
                f"  pandas groupby baseline:        {base['seconds']:7.2f} s   peak RSS "
                f"{base_mib:6.0f} MiB   {base['groups']:,} groups, "
                f"{base['offered']:,} offered, SL {base['sl']:.3f}"
            )
            base_seconds, label = base["seconds"], "pandas"
        else:
            print(
                "  pandas is not installed: baseline is the plain-Python reference "
                "(counts_from_rows) on a sample, extrapolated linearly"
            )
            base, base_mib = child("python", path, args)
            base_seconds = base["seconds"] * args.rows / max(1, base["rows"])
            print(
                f"  plain Python on {base['rows']:,} rows:  {base['seconds']:7.2f} s   "
                f"peak RSS {base_mib:6.0f} MiB (sample, incl. fetched rows) "
                f"→ {base_seconds:.1f} s for {args.rows:,} rows"
            )
            label = "plain Python (extrapolated)"
        ratio = base_seconds / engine["seconds"]
        print(
            f"  speed-up vs {label}: {ratio:.1f}×   memory ratio: "
            f"{base_mib / engine_mib:.1f}× {'(sample)' if not has_pandas else ''}"
        )
        print(
            f"  target: engine < 15 s → {'met' if engine['seconds'] < 15 else 'MISSED'}; "
            f"≥ 5× faster than the baseline → {'met' if ratio >= 5 else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
