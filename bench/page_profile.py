"""Per-page service time in-process: the manager pages of the web bench, one at a time.

Signs a manager in with Django's test client (production settings, ``DATABASE_URL`` of the
database to measure, e.g. a copy of the large demo) and requests each page ``--repeat`` times
after one warm-up request. Prints per page the median wall ms, median CPU ms of this process
(``time.process_time``: Python, templates and the driver; the database server's own time is
in the query time), the query count and the median summed query time. ``--profile PAGE``
prints a cProfile of one request of that page (cumulative, top ``--top``).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/yuqi_mgr_large YUQI_DATA_DIR=var/bench \\
        .venv/bin/python bench/page_profile.py [--only dashboard,scorecard] [--repeat 5]

Service time is what one request costs alone; with 8 clients on 2 cores the bench's p95 is
about 4× it (``docs/scale.md``).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time

MANAGER_PAGES = {
    "home": "/",
    "dashboard": "/operations/",
    "KPI explorer": "/operations/kpis/",
    "benchmarks": "/insights/benchmarks/",
    "staffing plan": "/operations/staffing/",
    "pyramid": "/operations/pyramid/",
    "scorecard": "/operations/scorecard/",
    "survey analysis": "/surveys/servqual-call-centre/analysis/",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default="", help="a page name to cProfile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", action="store_true", help="print each query's ms (last run)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("set DATABASE_URL to the database to measure")
    os.environ.setdefault("YUQI_EMAIL_BACKEND", "dummy")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manager = get_user_model().objects.filter(groups__name="manager").order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    pages = {n: u for n, u in MANAGER_PAGES.items() if not wanted or n in wanted}
    print(f"{'page':<18} {'status':>6} {'wall ms':>9} {'cpu ms':>8} {'queries':>8} {'sql ms':>8}")
    for name, url in pages.items():
        client.get(url)  # warm-up
        walls, cpus, sqls = [], [], []
        count, status = 0, 0
        queries: list[dict] = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                status = client.get(url).status_code
                cpus.append((time.process_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
            count = len(captured)
            queries = captured.captured_queries
            sqls.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        print(
            f"{name:<18} {status:>6} {statistics.median(walls):>9.1f} "
            f"{statistics.median(cpus):>8.1f} {count:>8} {statistics.median(sqls):>8.1f}",
            flush=True,
        )
        if args.sql:
            shapes: dict[str, list[float]] = {}
            for query in queries:
                shape = re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"])[:160]
                shapes.setdefault(shape, []).append(float(query["time"]) * 1000)
            for shape, times in sorted(shapes.items(), key=lambda kv: -sum(kv[1]))[:20]:
                print(f"    {sum(times):8.1f} ms {len(times):4d}×  {shape}")
    if args.profile:
        url = MANAGER_PAGES[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
