"""Service time of the web bench's pages, one request at a time, in-process.

``bench/web_bench.py`` measures p95 under 8 concurrent clients, where a page waits for about
three others; this script measures what each page costs alone, so a change can be judged
without gunicorn and a quiet machine. It calls the WSGI application gunicorn serves
(``yuqi.config.wsgi``: the production settings, ``DEBUG`` off, the connection kept between
requests, the ``request_started``/``request_finished`` signals) with a signed-in session
cookie, as each role and in each language, and prints per page the median wall and CPU
milliseconds over ``--runs`` requests, the queries and their time, the database backend's
CPU milliseconds per request (mean over the runs, from ``/proc``: PostgreSQL on this
machine), and the page's size.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/yuqi_web_large \\
        .venv/bin/python bench/page_profile.py [--roles manager,agent,supervisor]
        [--languages zh-hans,en] [--pages "home;ticket"] [--runs 15] [--profile 25]
        [--dump DIR] [--freeze 2026-12-06T10:00:00+00:00]

``--profile N`` prints the N functions with the most own time (cProfile, over all runs; with
``--profile-clock cpu`` by the process CPU time, without the waits for the database) per
page; ``--dump DIR`` writes each page's HTML, with the per-request values (CSRF tokens, CSP
nonces, the request id) blanked, so two versions of the code can be compared with
``diff -r``; ``--freeze`` stops Django's clock at one moment, so the SLA clocks and "as
of" times read the same in both. Run it with ``PYTHONPATH=<other worktree>/src`` to measure
other code on the same database.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yuqi_web_large"

#: Values that differ on every request, blanked in ``--dump`` output.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]+"'), r'\1""'),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), '"X-CSRFToken": ""'),
    (re.compile(r'nonce="[^"]+"'), 'nonce=""'),
]


def setup_django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["YUQI_DATA_DIR"] = data_dir
    os.environ["YUQI_EMAIL_BACKEND"] = "dummy"
    os.environ.pop("YUQI_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuqi.config.settings"


def freeze_clock(moment: str) -> None:
    """Every ``timezone.now()`` (and so ``yuqi.core.clock.now()``) answers ``moment``."""
    from datetime import datetime

    from django.utils import timezone

    fixed = datetime.fromisoformat(moment)
    if fixed.tzinfo is None:
        raise SystemExit("--freeze needs a time zone, e.g. 2026-12-06T10:00:00+00:00")
    timezone.now = lambda: fixed  # noqa: TID251 (the bench stops the one clock)


def pages() -> dict[str, str]:
    """The pages of the web bench (same choice of ticket and customer)."""
    from django.utils import timezone

    from yuqi.complaints.models import Complaint
    from yuqi.core.clock import now
    from yuqi.customers.models import Customer

    ticket = Complaint.objects.order_by("-opened_at").first()
    customer = Customer.objects.exclude(phone="").order_by("pk").first()
    tail = (customer.phone or "0000")[-4:] if customer else "0000"
    today = timezone.localdate(now())
    month_ago = date.fromordinal(today.toordinal() - 30)
    return {
        "home": "/",
        "work queue": "/complaints/",
        "work queue, breached": "/complaints/?sla=breached",
        "work queue, mine": "/complaints/?owner=mine",
        "ticket": f"/complaints/{ticket.number}/" if ticket else "/complaints/",
        "customer search, phone tail": f"/customers/?q={tail}",
        "customer 360": f"/customers/{customer.external_id}/" if customer else "/customers/",
        "evaluation": "/insights/evaluation/",
        "dashboard": "/operations/",
        "KPI explorer": "/operations/kpis/",
        "benchmarks": "/insights/benchmarks/",
        "staffing plan": "/operations/staffing/",
        "pyramid": "/operations/pyramid/",
        "scorecard": "/operations/scorecard/",
        "survey analysis": "/surveys/servqual-call-centre/analysis/",
        "api kpis 30 days queue,day": (
            f"/api/v1/kpis?date_from={month_ago}&date_to={today}&by=queue,day"
        ),
    }


def session_cookie(role: str) -> str:
    """A signed-in session for the first user of ``role`` (stored like a real login's)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(groups__name=role, is_active=True).order_by("pk")
    found = user.first()
    if found is None:
        raise SystemExit(f"no active user in the role {role!r}")
    client = Client()
    client.force_login(found)
    return client.cookies["sessionid"].value


class Caller:
    """Calls the WSGI application as gunicorn does and keeps the answer."""

    def __init__(self, application: object) -> None:
        from django.test.client import RequestFactory

        self.application = application
        self.factory = RequestFactory(HTTP_HOST="127.0.0.1")
        self.status = ""

    def get(self, path: str, cookie: str, language: str) -> tuple[int, bytes]:
        from urllib.parse import urlsplit

        parts = urlsplit(path)
        environ = self.factory._base_environ(
            PATH_INFO=parts.path,
            QUERY_STRING=parts.query,
            REQUEST_METHOD="GET",
            HTTP_COOKIE=f"sessionid={cookie}; django_language={language}",
            HTTP_ACCEPT_LANGUAGE=language,
        )

        def start_response(status: str, headers: list, exc_info: object = None) -> None:
            self.status = status

        result = self.application(environ, start_response)  # type: ignore[operator]
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return int(self.status.split()[0]), body


class QueryTimer:
    """Counts the queries of a request and their time (a connection execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.seconds += took
            self.count += 1
            self.statements.append((took, sql))


def write_dump(folder: Path, name: str, body: bytes) -> None:
    text = body.decode("utf-8", "replace")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    safe = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{safe}.html").write_text(text)


def print_profile(profile: cProfile.Profile, args: argparse.Namespace) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(args.sort).print_stats(args.profile)
    print("\n".join(out.getvalue().splitlines()[6:]), flush=True)


def new_profile(args: argparse.Namespace) -> cProfile.Profile | None:
    """cProfile on the wall clock, or on the process's CPU time (``--profile-clock cpu``)."""
    if not args.profile:
        return None
    clock = time.process_time if args.profile_clock == "cpu" else time.perf_counter
    return cProfile.Profile(clock)


def backend_cpu(connection: object) -> float:
    """CPU seconds the PostgreSQL backend of ``connection`` has used so far (``/proc``, Linux;
    0 elsewhere or on SQLite). Ticks of 10 ms: read over all runs of a page, not one."""
    if getattr(connection, "vendor", "") != "postgresql":
        return 0.0
    connection.ensure_connection()  # type: ignore[attr-defined]
    pid = connection.connection.info.backend_pid  # type: ignore[attr-defined]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(args: argparse.Namespace) -> int:
    import django

    django.setup()
    import logging

    from django.db import connection

    from yuqi.config.wsgi import application  # sets logging up again

    logging.getLogger("django.request").setLevel(logging.ERROR)  # no line per refused page

    found = pages()
    if args.pages:
        wanted = [name.strip() for name in args.pages.split(";") if name.strip()]
        unknown = set(wanted) - set(found)
        if unknown:
            raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}; known: {list(found)}")
        found = {name: found[name] for name in wanted}
    caller = Caller(application)
    dump = Path(args.dump) if args.dump else None
    print(
        f"{'role':10} {'lang':7} {'page':28} {'st':>3} {'wall ms':>8} {'cpu ms':>7} "
        f"{'queries':>7} {'sql ms':>7} {'db cpu':>6} {'KiB':>6}"
    )
    for role in args.roles.split(","):
        cookie = session_cookie(role)
        for language in args.languages.split(","):
            for name, path in found.items():
                status, body = caller.get(path, cookie, language)
                if status != 200:  # a page this role may not open: not measured
                    print(f"{role:10} {language:7} {name:28} {status:3d}", flush=True)
                    continue
                for _ in range(args.warm - 1):
                    caller.get(path, cookie, language)
                walls, cpus, sqls = [], [], []
                counts = set()
                profile = new_profile(args)
                db_cpu0 = backend_cpu(connection)
                for _ in range(args.runs):
                    timer = QueryTimer()
                    with connection.execute_wrapper(timer):
                        wall0, cpu0 = time.perf_counter(), time.process_time()
                        if profile:
                            profile.enable()
                        status, body = caller.get(path, cookie, language)
                        if profile:
                            profile.disable()
                        cpu1, wall1 = time.process_time(), time.perf_counter()
                    walls.append((wall1 - wall0) * 1000)
                    cpus.append((cpu1 - cpu0) * 1000)
                    sqls.append(timer.seconds * 1000)
                    counts.add(timer.count)
                if args.sql:
                    for took, sql in timer.statements:
                        print(f"    {took * 1000:6.2f} ms  {' '.join(sql.split())[: args.sql]}")
                db_cpu = (backend_cpu(connection) - db_cpu0) * 1000 / args.runs
                queries = "/".join(str(c) for c in sorted(counts))
                print(
                    f"{role:10} {language:7} {name:28} {status:3d} "
                    f"{statistics.median(walls):8.1f} {statistics.median(cpus):7.1f} "
                    f"{queries:>7} {statistics.median(sqls):7.1f} {db_cpu:6.1f} "
                    f"{len(body) / 1024:6.1f}",
                    flush=True,
                )
                if dump is not None:
                    write_dump(dump / role / language, name, body)
                if profile:
                    print_profile(profile, args)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", default="manager,agent,supervisor")
    parser.add_argument("--languages", default="zh-hans")
    parser.add_argument("--pages", default="", help="page names separated by ; (default: all)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumtime)")
    parser.add_argument(
        "--profile-clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cProfile's clock: cpu leaves out the waits for the database and the machine",
    )
    parser.add_argument(
        "--sql", type=int, default=0, help="list the last run's queries, N characters each"
    )
    parser.add_argument("--dump", default="", help="write each page's HTML under this folder")
    parser.add_argument("--freeze", default="", help="stop the clock at this ISO moment")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    data_dir = os.environ.get("YUQI_BENCH_DATA", tempfile.gettempdir() + "/yuqi-page-profile")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    setup_django(url, data_dir)
    if args.freeze:
        freeze_clock(args.freeze)
    return measure(args)


if __name__ == "__main__":
    sys.exit(main())
