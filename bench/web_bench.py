"""Web pages at scale: the demo on PostgreSQL served by gunicorn, 8 signed-in clients.

1. Builds the demo (``--scale medium`` by default; ``large`` for the full goal) into the
   PostgreSQL database of ``DATABASE_URL`` (dropped and created again), unless ``--reuse``,
   and prints the build time.
2. Counts the SQL queries of each page in-process (Django's test client, signed in as the
   manager): a page whose count grows with the data fails the query-count tests.
3. Serves it with gunicorn (``--preload``, ``--workers`` = cores by default), signs 8 clients
   in as the manager through the login form and requests every page ``--requests`` times with
   8 in flight, after warming each worker. Prints p50/p95/p99 per page and, as the anchor
   measured in the same run, the home page (the lightest page: its p95 is the floor the
   server, sessions and templates set on this machine) with each page's p95 as a ratio to it.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/yuqi_web \\
        .venv/bin/python bench/web_bench.py [--scale medium] [--reuse] [--rounds 3]

``--only "dashboard,KPI explorer"`` measures some pages (and the home page, the anchor);
``YUQI_BENCH_PORT`` (8765) and ``YUQI_BENCH_DATA`` choose the port and data folder when
several benches share the machine.

Goal: every page p95 ≤ 100 ms at 8 concurrent clients; queries per page constant.
Needs ``pip install -e '.[prod]'`` (gunicorn).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yuqi_web"
PORT = int(os.environ.get("YUQI_BENCH_PORT", "8765"))
CLIENTS = 8


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


def build(scale: str, logins_file: Path) -> float:
    from django.core.management import call_command

    from yuqi.demo.builder import build_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _summary, logins = build_demo(
        seed=7, scale=scale, end_date=date.fromordinal(_today().toordinal() - 1), say=lambda _: None
    )
    seconds = time.perf_counter() - started
    logins_file.write_text(json.dumps({lg.role: [lg.username, lg.password] for lg in logins}))
    return seconds


def _today() -> date:
    from django.utils import timezone

    from yuqi.core.clock import now

    return timezone.localdate(now())


def pages() -> dict[str, str]:
    """The pages and API lists to measure (ids picked from the demo's own data)."""
    from yuqi.complaints.models import Complaint
    from yuqi.customers.models import Customer

    ticket = Complaint.objects.order_by("-opened_at").first()
    customer = Customer.objects.exclude(phone="").order_by("pk").first()
    tail = (customer.phone or "0000")[-4:] if customer else "0000"
    today = _today()
    month_ago = date.fromordinal(today.toordinal() - 30)
    found = {
        "home": "/",
        "work queue": "/complaints/",
        "work queue, breached": "/complaints/?sla=breached",
        "ticket": f"/complaints/{ticket.number}/" if ticket else "/complaints/",
        "customer search, phone tail": f"/customers/?q={tail}",
        "customer 360": f"/customers/{customer.external_id}/" if customer else "/customers/",
        "dashboard": "/operations/",
        "KPI explorer": "/operations/kpis/",
        "api kpis 30 days queue,day": (
            f"/api/v1/kpis?date_from={month_ago}&date_to={today}&by=queue,day"
        ),
        "benchmarks": "/insights/benchmarks/",
        "staffing plan": "/operations/staffing/",
        "pyramid": "/operations/pyramid/",
        "scorecard": "/operations/scorecard/",
        "survey analysis": "/surveys/servqual-call-centre/analysis/",
        "evaluation": "/insights/evaluation/",
    }
    return found


def query_counts(found: dict[str, str]) -> dict[str, tuple[int, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manager = get_user_model().objects.filter(groups__name="manager").order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    counts = {}
    for name, url in found.items():
        client.get(url)  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        counts[name] = (len(captured), status)
    return counts


class Session:
    """A signed-in browser: cookies kept, CSRF taken from the login form."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = self.opener.open(f"{base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
        self.opener.open(request).read()

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(f"{self.base}{path}") as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, (time.perf_counter() - started) * 1000


class LightSession:
    """The same signed-in browser as :class:`Session` (signs in through the login form with
    it, then keeps its cookies), asking with ``http.client`` directly: one short
    ``GET`` with the cookie header, the answer read whole; ``Set-Cookie`` answers update the
    cookies as a browser would. ``urllib``'s opener (handler chain, cookie jar policy checks,
    request and response objects) costs the client several CPU milliseconds a request, and
    the client shares the server's cores. A new connection per request, as before: gunicorn's
    sync workers close every connection."""

    def __init__(self, base: str, username: str, password: str) -> None:
        signed_in = Session(base, username, password)
        jar = signed_in.opener.handlers
        cookies: dict[str, str] = {}
        for handler in jar:
            if isinstance(handler, urllib.request.HTTPCookieProcessor):
                cookies = {c.name: c.value or "" for c in handler.cookiejar}
        self.cookies = cookies
        split = urllib.parse.urlsplit(base)
        self.host, self.port = split.hostname or "127.0.0.1", split.port or 80

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or ():
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in rest.lower() or "expires=thu, 01 jan 1970" in rest.lower():
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            status = response.status
        finally:
            connection.close()
        return status, (time.perf_counter() - started) * 1000


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far, 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuSplit:
    """Where a page's CPU goes under load: the client (this process), the gunicorn workers
    and the database's backends, from ``/proc`` (Linux), in ms per request."""

    def __init__(self, url: str, server: subprocess.Popen) -> None:
        self.url, self.server = url, server

    def _pids(self) -> tuple[list[int], list[int]]:
        import psycopg

        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        workers = [int(p) for p in children.read_text().split()] if children.exists() else []
        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as connection:
            backends = [
                row[0]
                for row in connection.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()",
                    [name],
                )
            ]
        return workers, backends

    def start(self) -> None:
        self.client = time.process_time()
        self.marks = self._cpu()

    def _cpu(self) -> tuple[dict[int, float], dict[int, float]]:
        workers, backends = self._pids()
        return {p: _proc_cpu(p) for p in workers}, {p: _proc_cpu(p) for p in backends}

    def stop(self, requests: int) -> tuple[float, float, float]:
        """ms per request: the client, gunicorn's workers, the database backends (a backend
        or worker started meanwhile counts from zero; one gone meanwhile is not counted)."""
        client = time.process_time() - self.client
        ends = self._cpu()
        used = [
            sum(cpu - start.get(pid, 0.0) for pid, cpu in end.items())
            for start, end in zip(self.marks, ends, strict=True)
        ]
        return client * 1000 / requests, used[0] * 1000 / requests, used[1] * 1000 / requests


def load(sessions: list[Session], path: str, requests: int) -> tuple[list[float], set[int]]:
    times: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    left = [requests]

    def client(session: Session) -> None:
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            status, ms = session.get(path)
            with lock:
                times.append(ms)
                statuses.add(status)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def serve(url: str, data_dir: str, workers: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        raise SystemExit("gunicorn not found: pip install -e '.[prod]'")
    env = {**os.environ, "DATABASE_URL": url, "YUQI_DATA_DIR": data_dir}
    process = subprocess.Popen(
        [gunicorn, "yuqi.config.wsgi:application", "--preload", "--workers", str(workers),
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/").read()
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--only", default="", help="comma list of page names to measure (the home page always)"
    )
    parser.add_argument(
        "--client",
        choices=("urllib", "http"),
        default="urllib",
        help="the clients' HTTP code: urllib's opener, or http.client (less client CPU)",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="also print each page's CPU ms per request: client, gunicorn, PostgreSQL (/proc)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("web_bench runs on PostgreSQL: set DATABASE_URL=postgresql://…", file=sys.stderr)
        return 2
    data_dir = os.environ.get("YUQI_BENCH_DATA", tempfile.gettempdir() + "/yuqi-web-bench")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    logins_file = Path(data_dir) / "logins.json"
    if not args.reuse:
        reset_pg(url)
    setup_django(url, data_dir)
    if not args.reuse:
        print(
            f"demo ({args.scale}) built into PostgreSQL in {build(args.scale, logins_file):.1f} s"
        )
    found = pages()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")} | {"home"}
        found = {name: path for name, path in found.items() if name in wanted}
    counts = query_counts(found)
    from django.db import connections

    connections.close_all()
    username, password = json.loads(logins_file.read_text())["manager"]
    server = serve(url, data_dir, args.workers)
    try:
        base = f"http://127.0.0.1:{PORT}"
        kind = LightSession if args.client == "http" else Session
        sessions = [kind(base, username, password) for _ in range(CLIENTS)]
        cpu: dict[str, list[tuple[float, float, float]]] = {name: [] for name in found}
        p95s: dict[str, list[float]] = {name: [] for name in found}
        p50s: dict[str, list[float]] = {name: [] for name in found}
        statuses: dict[str, set[int]] = {name: set() for name in found}
        for _round in range(args.rounds):
            for name, path in found.items():
                load(sessions, path, CLIENTS * 2)  # warm every worker
                split = CpuSplit(url, server) if args.cpu else None
                if split is not None:
                    split.start()
                times, seen = load(sessions, path, args.requests)
                if split is not None:
                    cpu[name].append(split.stop(args.requests))
                p95s[name].append(percentile(times, 0.95))
                p50s[name].append(percentile(times, 0.50))
                statuses[name] |= seen
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a busy machine: the figures are in, stop it
            server.kill()
            server.wait()
    anchor = statistics.median(p95s["home"])
    print(
        f"gunicorn --preload --workers {args.workers}; {CLIENTS} signed-in clients; "
        f"{args.requests} requests per page per round; {args.rounds} rounds (median, range); "
        f"client {args.client}"
    )
    print(f"anchor: home page p95 {anchor:.0f} ms")
    print(f"{'page':32} {'queries':>7} {'p50 ms':>7} {'p95 ms (range)':>18} {'÷ home':>7} goal")
    met = 0
    for name in found:
        p95 = statistics.median(p95s[name])
        low, high = min(p95s[name]), max(p95s[name])
        ok = p95 <= 100
        met += ok
        status = ",".join(str(s) for s in sorted(statuses[name]))
        print(
            f"{name:32} {counts[name][0]:7d} {statistics.median(p50s[name]):7.0f} "
            f"{p95:7.0f} ({low:.0f}–{high:.0f}) {p95 / anchor:7.1f} "
            f"{'met' if ok else 'missed'} [{status}]"
        )
    print(f"{met} of {len(found)} pages at p95 ≤ 100 ms")
    if args.cpu:
        print("CPU ms per request under load (median of the rounds): client, gunicorn, PostgreSQL")
        for name in found:
            client, web, database = (statistics.median(r[i] for r in cpu[name]) for i in range(3))
            total = client + web + database
            print(f"{name:32} {client:6.1f} {web:6.1f} {database:6.1f}   all {total:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
