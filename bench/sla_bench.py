"""SLA alert sweep benchmark: N open complaint tickets with clocks on PostgreSQL.

Creates N open tickets (bulk insert; 85 % local complaints, 12 % over-level, 3 % regulator
appeals), each with a stopped first-response clock and a running resolution clock whose stored
columns (due, warn, state) are derived by the product's own clock code. About 2 % of the
tickets are past their due time and 3 % past their warning time at the benchmark instant
(Wednesday 2026-11-25 10:00, Asia/Shanghai: inside working hours, so nothing is deferred).
Then, three times on fresh copies of that database, it runs the periodic sweep
(``yuqi.complaints.alerts.sla_alerts_sweep``, the function the ``sweep_sla_alerts`` task calls)
twice and prints the time per run, per open ticket and per alert, and the alerts sent; the
anchor, run on its own copy before each, is a bare ``UPDATE … RETURNING`` claiming the same
clocks (no messages, events or audit rows). Median and range of the runs are printed, and
the first sweep's CPU time: the sweep process's and, when the server runs on this machine,
its database backends' (from ``/proc``, every connection the sweep used, those of its
threads read as they close; the figure to compare on a busy machine). The
second run must send nothing (alerts are claimed with a conditional UPDATE and remembered in
the database); the script exits with status 1 if it does.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/yuqi_bench \\
        .venv/bin/python bench/sla_bench.py [--tickets 100000]

The database named in ``DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/
yuqi_bench``) is dropped and created again. Messages go to Django's dummy e-mail backend.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yuqi_bench"
AT = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BATCH = 5000


def reset_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["YUQI_DATA_DIR"] = data_dir
    os.environ["YUQI_EMAIL_BACKEND"] = "dummy"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def opened_offsets(n: int) -> list[tuple[timedelta, str]]:
    """(age at the benchmark instant, level code) per ticket, deterministic."""
    rows = []
    for i in range(n):
        bucket = i % 100
        level = "regulator" if i % 33 == 0 else ("over_level" if i % 8 == 1 else "local")
        if bucket < 2:  # well past due
            age = timedelta(days=20 + i % 7)
        elif bucket < 5:  # a local complaint from last Friday: at risk, due tonight
            level, age = "local", timedelta(days=5)
        else:  # fresh: on track
            age = timedelta(minutes=30 + 10 * (i % 60))
        rows.append((age, level))
    return rows


def create_tickets(n: int) -> tuple[int, float]:
    """Insert ``n`` open tickets with their clocks; returns (clock rows, seconds)."""
    from django.db import transaction

    from yuqi.accounts.services import user_create
    from yuqi.complaints import clocks as clock_rows
    from yuqi.complaints.models import Complaint, ComplaintLevel, SlaClock
    from yuqi.customers.models import Customer
    from yuqi.domain.sla import start_clock, stop_clock

    started = time.perf_counter()
    password = secrets.token_urlsafe(12)
    owner = user_create(
        username="bench-owner", password=password, roles=["agent"], email="owner@bench.yuqi.cn"
    )
    user_create(
        username="bench-supervisor",
        password=password,
        roles=["supervisor"],
        email="supervisor@bench.yuqi.cn",
    )
    Customer.objects.bulk_create(
        [Customer(external_id=f"B{i:06d}", name=f"客户{i}") for i in range(1000)]
    )
    customer_ids = list(Customer.objects.values_list("pk", flat=True))
    levels = {lv.code: lv for lv in ComplaintLevel.objects.all()}
    calendar = clock_rows.outbound.calendar_for(team_id=None)
    derived: dict[tuple, dict] = {}
    policies = {
        (lv.code, kind): clock_rows.policy_for(lv, kind, None)
        for lv in levels.values()
        for kind in ("first_response", "resolution")
    }

    def derive(kind, level, opened, stopped) -> dict:
        """The stored columns of a clock; many tickets share an opening instant."""
        key = (kind, level.code, opened, stopped)
        if key not in derived:
            policy = policies[level.code, kind]
            segments = start_clock(opened, reason="opened")
            if stopped:
                segments = stop_clock(segments, opened + timedelta(minutes=20))
            row = SlaClock(
                kind=kind,
                policy=policy,
                level_code=level.code,
                target_amount=policy.target_amount,
                target_unit=policy.target_unit,
                warn_fraction=policy.warn_fraction,
                segments=clock_rows.dump_segments(segments),
                started_at=opened,
                stopped_at=segments[-1].end,
            )
            seconds, basis = clock_rows.target_seconds(
                policy.target_unit, policy.target_amount, start=opened, calendar=calendar
            )
            row.target_seconds, row.basis = seconds, basis.value
            clock_rows._derive(row, calendar, AT)  # the services' own column derivation
            derived[key] = {
                name: getattr(row, name)
                for name in (
                    "policy",
                    "level_code",
                    "target_amount",
                    "target_unit",
                    "warn_fraction",
                    "segments",
                    "started_at",
                    "stopped_at",
                    "target_seconds",
                    "basis",
                    "phase",
                    "due_at",
                    "warn_at",
                    "state",
                    "elapsed_seconds",
                    "paused_seconds",
                    "assumed_years",
                    "computed_at",
                )
            }
        return derived[key]

    count = 0
    offsets = opened_offsets(n)
    for start in range(0, n, BATCH):
        with transaction.atomic():
            tickets = []
            for i in range(start, min(n, start + BATCH)):
                age, level_code = offsets[i]
                opened = AT - age
                running = derive("resolution", levels[level_code], opened, False)
                tickets.append(
                    Complaint(
                        number=f"TS-B-{i:08d}",
                        customer_id=customer_ids[i % len(customer_ids)],
                        level=levels[level_code],
                        account="网络信号差，多次报修无人处理",
                        demand="三天内上门维修",
                        owner=owner,
                        state="acknowledged",
                        opened_at=opened,
                        acknowledged_at=opened + timedelta(minutes=20),
                        sla_state=running["state"],
                        next_due_at=running["due_at"],
                    )
                )
            Complaint.objects.bulk_create(tickets)
            rows = [
                SlaClock(
                    complaint=ticket,
                    kind=kind,
                    **derive(kind, ticket.level, ticket.opened_at, kind == "first_response"),
                )
                for ticket in tickets
                for kind in ("first_response", "resolution")
            ]
            SlaClock.objects.bulk_create(rows)
            count += len(rows)
    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics after a bulk load
        cursor.execute("ANALYZE")
    return count, time.perf_counter() - started


def clone(url: str, source: str, target: str) -> None:
    """``target`` as a fresh copy of ``source`` (PostgreSQL's template copy)."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def use_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    connections.databases["default"]["NAME"] = name


def process_cpu(pid: int) -> float | None:
    """CPU seconds used so far by a process of this machine (user + system, ``/proc``)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (user + system, from
    ``/proc``: only when the server runs on this machine), else None."""
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return process_cpu(pid)


#: CPU seconds of the backends of connections other threads opened and closed (a sweep in
#: parts runs each part on a connection of its own): read as each one closes.
THREAD_BACKENDS: list[float] = []


def track_thread_backends() -> None:
    """Record, as each connection opened by a thread other than the main one closes, its
    backend's CPU (the backend ends with the connection, so ``/proc`` must be read before)."""
    import threading

    from django.db import connections
    from django.db.backends.signals import connection_created

    def created(sender, connection, **kwargs) -> None:
        if threading.current_thread() is not threading.main_thread():
            with connection.connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                connection.bench_backend_pid = cursor.fetchone()[0]

    wrapper = type(connections["default"])
    original = wrapper._close

    def _close(self):
        pid = getattr(self, "bench_backend_pid", None)
        if pid is not None:
            cpu = process_cpu(pid)
            if cpu is not None:
                THREAD_BACKENDS.append(cpu)
            self.bench_backend_pid = None
        return original(self)

    connection_created.connect(created, weak=False)
    wrapper._close = _close


def sweep(label: str, tickets: int) -> tuple[int, float, float, float | None]:
    """One sweep: (alerts sent, wall seconds, this process's CPU seconds, the database
    backend's CPU seconds or None)."""
    from yuqi.complaints.alerts import sla_alerts_sweep

    backend = backend_cpu()
    THREAD_BACKENDS.clear()
    cpu = time.process_time()
    started = time.perf_counter()
    result = sla_alerts_sweep(at=AT)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    after = backend_cpu()
    backend = None if backend is None or after is None else after - backend
    if backend is not None:  # the parts' own connections, if the sweep ran in parts
        backend += sum(THREAD_BACKENDS)
    per_alert = f"{seconds / result.sent * 1000:.2f} ms" if result.sent else "—"
    used = f"CPU: Python {cpu:.2f} s" + ("" if backend is None else f", backend {backend:.2f} s")
    print(
        f"  {label}: {seconds:.3f} s; {seconds / tickets * 1e6:.1f} µs per open ticket; "
        f"examined {result.examined:,} clocks, sent {result.sent:,} alerts "
        f"({per_alert} per alert), deferred {result.deferred:,}; {used}"
    )
    return result.sent, seconds, cpu, backend


def bare_claim(url: str) -> tuple[int, float]:
    """The anchor: the same alerts claimed by one bare ``UPDATE … RETURNING`` (no messages,
    events or audit rows): the floor any sweep of these clocks pays."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "UPDATE complaints_slaclock SET alerted_breach_at = CASE WHEN due_at <= %(at)s"
            " THEN %(at)s ELSE alerted_breach_at END,"
            " alerted_at_risk_at = coalesce(alerted_at_risk_at, %(at)s), next_alert_at = NULL"
            " WHERE phase <> 'stopped' AND ((alerted_breach_at IS NULL AND due_at <= %(at)s)"
            " OR (alerted_at_risk_at IS NULL AND warn_at <= %(at)s))"
            " AND (next_alert_at IS NULL OR next_alert_at <= %(at)s) RETURNING id",
            {"at": AT},
        ).fetchall()
    return len(rows), time.perf_counter() - started


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    return f"median {statistics.median(ordered):.3f} (range {ordered[0]:.3f}–{ordered[-1]:.3f})"


def sweep_worker(url: str, tickets: int) -> int:
    """Child process: both sweeps on the copy at ``url`` (a fresh process, as a worker is:
    the parent's heap of 100,000 created tickets would slow every garbage collection)."""
    import json

    with tempfile.TemporaryDirectory(prefix="yuqi-sla-bench-") as data_dir:
        os.environ["DATABASE_URL"] = url
        os.environ["YUQI_DATA_DIR"] = data_dir
        os.environ["YUQI_EMAIL_BACKEND"] = "dummy"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
        import django

        django.setup()
        track_thread_backends()
        _sent, one, cpu, backend = sweep("sweep 1", tickets)
        again, two, _cpu, _backend = sweep("sweep 2", tickets)
    print(json.dumps({"first": one, "second": two, "again": again, "cpu": cpu, "backend": backend}))
    return 0


def run_child(url: str, tickets: int) -> dict:
    import json
    import subprocess

    out = (
        subprocess.run(
            [sys.executable, __file__, "--sweep-url", url, "--tickets", str(tickets)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()
    )
    for line in out[:-1]:
        print(line)
    return json.loads(out[-1])


def template_exists(url: str) -> bool:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the tickets of an earlier run's database"
    )
    parser.add_argument("--sweep-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweep_url:
        return sweep_worker(args.sweep_url, args.tickets)
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("sla_bench runs on PostgreSQL: set DATABASE_URL=postgresql://…", file=sys.stderr)
        return 2
    template = url.rsplit("/", 1)[1]
    work = f"{template}_run"
    base = url.rsplit("/", 1)[0]
    first, second, anchor, cpus = [], [], [], []
    failed = False
    if not (args.reuse and template_exists(url)):
        reset_pg(url)
        with tempfile.TemporaryDirectory(prefix="yuqi-sla-bench-") as data_dir:
            setup_django(url, data_dir)
            clocks, seconds = create_tickets(args.tickets)
            print(
                f"created {args.tickets:,} open tickets with {clocks:,} clocks in "
                f"{seconds:.1f} s (sweep instant {AT:%Y-%m-%d %H:%M %Z})"
            )
            use_database("postgres")
    print("each run on a fresh copy; the sweeps in a fresh process, as a worker runs them")
    for run in range(1, args.runs + 1):
        # alternate: the anchor on one copy, the product on another
        clone(url, template, work)
        claimed, anchor_s = bare_claim(f"{base}/{work}")
        anchor.append(anchor_s)
        clone(url, template, work)
        print(f"run {run}: anchor (bare UPDATE … RETURNING of {claimed:,} clocks) {anchor_s:.3f} s")
        result = run_child(f"{base}/{work}", args.tickets)
        first.append(result["first"])
        second.append(result["second"])
        if result["backend"] is not None:
            cpus.append(result["cpu"] + result["backend"])
        print(f"  ratio sweep 1 / anchor: {result['first'] / anchor_s:.1f}×")
        failed = failed or bool(result["again"])
    print(f"anchor  {summary(anchor)} s")
    print(
        f"sweep 1 {summary(first)} s  goal ≤ 1 s: "
        f"{'met' if statistics.median(first) <= 1 else 'missed'}"
    )
    print(
        f"sweep 2 {summary(second)} s  goal ≤ 0.1 s: "
        f"{'met' if statistics.median(second) <= 0.1 else 'missed'}"
    )
    print(f"ratio sweep 1 / anchor {summary([a / b for a, b in zip(first, anchor, strict=True)])}×")
    if cpus:  # comparable on a busy machine, where the walls are not
        print(f"sweep 1 CPU (Python + backend) {summary(cpus)} s")
    if failed:
        print("FAIL: a second run sent alerts again", file=sys.stderr)
        return 1
    print("every second sweep sent 0 new alerts: every alert is sent once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
