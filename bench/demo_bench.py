"""Demo build benchmark: ``yuqi demo``'s build into a fresh SQLite data folder, step by step.

For each source tree it prints, per step of ``build_demo`` (and the migrations before it), the
wall seconds and the CPU seconds of the building process, then the totals and the load average
at the start and the end:

* **after**: this tree (or ``--after-src``);
* **before**, with ``--before-src``: another source tree (e.g. a checkout of main's ``src``),
  built in the same run, alternating with *after* when ``--runs`` > 1, so both see the same
  machine.

Each build runs in its own process (``python bench/demo_bench.py --child``) with ``PYTHONPATH``
set to the tree's ``src``, so the imports timed are that tree's. The steps are timed by wrapping
the step functions ``build_demo`` calls (looked up by name in the builder and the step modules),
so the builder itself is not changed for the benchmark; a step a tree does not have is skipped.
"contacts (simulation)" is the CPU time spent inside the simulation's contact stream, which the
interactions step consumes while it inserts ("contacts" includes it).

``--serve`` also times the whole ``yuqi demo`` command to the first HTTP 200 on the login page
(medium scale by default), which adds Python start-up, the app's imports and the server start.

    .venv/bin/python bench/demo_bench.py [--scale medium] [--runs 1] [--seed 7]
        [--end-date 2026-11-30] [--before-src /path/to/main/src] [--after-src /path/to/src]
        [--serve | --serve-only] [--keep DIR] [--profile FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (module, function, label) in the order build_demo calls them.
STEPS: list[tuple[str, str, str]] = [
    ("yuqi.demo.builder", "build_centre", "centre"),
    ("yuqi.demo.builder", "create_demo_users", "users"),
    ("yuqi.demo.builder", "load_demo_customers", "customers"),
    ("yuqi.demo.builder", "load_demo_topology", "topology"),
    ("yuqi.demo.builder", "load_demo_interactions", "contacts"),
    ("yuqi.demo.builder", "derive_and_analyze", "derived + rollups"),
    ("yuqi.demo.builder", "load_demo_segments", "pyramid"),
    ("yuqi.demo.builder", "load_demo_complaints", "complaints"),
    ("yuqi.demo.steps.complaint_book", "load_demo_complaint_book", "complaint book"),
    ("yuqi.demo.builder", "load_demo_text", "text mining"),
    ("yuqi.demo.builder", "load_demo_insights", "peer benchmarks"),
    ("yuqi.demo.builder", "load_demo_surveys", "surveys"),
    ("yuqi.demo.builder", "load_demo_register", "register"),
    ("yuqi.demo.builder", "load_demo_knowledge", "knowledge"),
    ("yuqi.demo.builder", "load_demo_quality", "quality"),
    ("yuqi.demo.steps.workforce", "load_demo_workforce", "workforce"),
    ("yuqi.demo.steps.improvement", "load_demo_improvement", "improvement"),
    ("yuqi.demo.steps.survey_waves", "load_demo_survey_waves", "survey waves"),
    ("yuqi.demo.steps.privacy", "load_demo_privacy", "privacy"),
    ("yuqi.demo.steps.channels", "load_demo_channels", "channels"),
    ("yuqi.demo.steps.mailbox", "load_demo_mailbox", "mailbox"),
    ("yuqi.demo.builder", "refresh_and_analyze", "refresh"),
    ("yuqi.demo.builder", "store_demo_passwords", "passwords stored"),
]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def prepare_database() -> dict[str, object]:
    """Migrate the empty database as `yuqi demo` does in the tree being timed: the users'
    passwords hashing on threads from the start and the schema built from the final migration
    state where the tree has them (``migrate`` otherwise). Returns ``build_demo``'s extra
    arguments."""
    from django.core.management import call_command

    extra: dict[str, object] = {}
    try:
        from yuqi.demo.steps.accounts import DemoPasswords
    except ImportError:
        pass
    else:
        extra["passwords"] = DemoPasswords()
    try:
        from yuqi.core.fresh_schema import migrate_fresh
    except ImportError:
        call_command("migrate", interactive=False, verbosity=0)
    else:
        migrate_fresh()
    return extra


#: CPU seconds spent inside the simulation's contact stream (the child's).
SIMULATION = [0.0]


def timed_stream(stream):  # type: ignore[no-untyped-def]
    iterator = iter(stream)
    while True:
        c = cpu()
        try:
            item = next(iterator)
        except StopIteration:
            SIMULATION[0] += cpu() - c
            return
        SIMULATION[0] += cpu() - c
        yield item


class TimedStream:
    """The contact stream with the time this process spends in it counted, read as records
    or, where the tree's stream has them, as days of plain rows (``days()``) or days simulated
    in a second process (``ahead()``: then only the waiting and unpickling is counted here,
    the simulation's CPU is the child's)."""

    def __init__(self, stream):  # type: ignore[no-untyped-def]
        self.stream = stream

    def __iter__(self):  # type: ignore[no-untyped-def]
        return timed_stream(self.stream)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        attr = getattr(self.stream, name)
        if name == "days":
            return lambda: timed_stream(attr())
        if name == "ahead":
            return lambda: TimedStream(attr())
        return attr


def child(args: argparse.Namespace) -> None:
    """Build the demo in this process and print one JSON line of timings."""
    import importlib
    from datetime import date

    timings: list[tuple[str, float, float]] = []
    t0, c0 = time.perf_counter(), cpu()
    os.environ["YUQI_DATA_DIR"] = args.data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["YUQI_TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
    import django

    django.setup()
    timings.append(("start-up (imports, setup)", time.perf_counter() - t0, cpu() - c0))

    t, c = time.perf_counter(), cpu()
    extra = prepare_database()
    timings.append(("migrations", time.perf_counter() - t, cpu() - c))

    def timed(label: str, func):  # type: ignore[no-untyped-def]
        @functools.wraps(func)
        def wrapper(*a, **kw):  # type: ignore[no-untyped-def]
            t, c = time.perf_counter(), cpu()
            try:
                return func(*a, **kw)
            finally:
                timings.append((label, time.perf_counter() - t, cpu() - c))

        return wrapper

    for module_name, name, label in STEPS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        func = getattr(module, name, None)
        if func is None:
            continue
        if label == "centre":

            def centre_wrapper(*a, __f=func, **kw):  # type: ignore[no-untyped-def]
                centre = __f(*a, **kw)
                interactions = centre.interactions

                def streamed(*sa, **skw):  # type: ignore[no-untyped-def]
                    return TimedStream(interactions(*sa, **skw))

                with contextlib.suppress(AttributeError, TypeError):
                    object.__setattr__(centre, "interactions", streamed)
                return centre

            setattr(module, name, timed(label, centre_wrapper))
        else:
            setattr(module, name, timed(label, func))

    from yuqi.demo.builder import build_demo

    profiler = None
    if args.profile:
        import cProfile

        # by CPU: the waits for the simulation's process and the forked folds are not counted
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    t, c = time.perf_counter(), cpu()
    summary, _ = build_demo(
        seed=args.seed,
        scale=args.scale,
        end_date=date.fromisoformat(args.end_date),
        say=lambda _line: None,
        **extra,
    )
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    timings.append(("build_demo total", time.perf_counter() - t, cpu() - c))
    if SIMULATION[0]:
        timings.append(("contacts (simulation)", float("nan"), SIMULATION[0]))
    timings.append(("process total", time.perf_counter() - t0, cpu() - c0))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = children.ru_utime + children.ru_stime
    if child_cpu:
        timings.append(("child processes (simulation)", float("nan"), child_cpu))
        timings.append(("process + children", float("nan"), cpu() - c0 + child_cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "RESULT "
        + json.dumps(
            {
                "timings": timings,
                "contacts": summary.interactions,
                "customers": summary.customers,
                "peak_mb": round(peak),
            }
        ),
        flush=True,
    )


def run_build(src: Path, args: argparse.Namespace, data_dir: Path) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--data-dir",
        str(data_dir),
        "--scale",
        args.scale,
        "--seed",
        str(args.seed),
        "--end-date",
        args.end_date,
    ]
    if args.profile:
        command += ["--profile", str(args.profile)]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])  # type: ignore[no-any-return]
    sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
    raise SystemExit(f"build from {src} failed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_serve(src: Path, args: argparse.Namespace, data_dir: Path) -> tuple[float, float]:
    """``yuqi demo`` from the command to an HTTP 200 on the login page: (wall, CPU of the child)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = (
        "import sys; from yuqi.cli import main; sys.argv=['yuqi']+sys.argv[1:]; "
        "raise SystemExit(main())"
    )
    command = [
        sys.executable,
        "-c",
        code,
        "demo",
        "--data-dir",
        str(data_dir),
        "--scale",
        args.scale,
        "--seed",
        str(args.seed),
        "--end-date",
        args.end_date,
        "--port",
        str(port),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"yuqi demo exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            if time.perf_counter() - started > 1800:
                raise SystemExit(f"no page at {url} after 30 minutes")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        wall = time.perf_counter() - started
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        stat = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        # utime, stime and the CPU of its children that have ended (the simulation's)
        cpu_s = sum(int(x) for x in stat[11:15]) / ticks
        return wall, cpu_s
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end-date", default="2026-11-30")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--before-src", type=Path)
    parser.add_argument("--after-src", type=Path, default=HERE.parent / "src")
    parser.add_argument("--serve", action="store_true", help="also time `yuqi demo` to a page")
    parser.add_argument(
        "--serve-only", action="store_true", help="only time `yuqi demo` to a page (no steps)"
    )
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument(
        "--profile",
        type=Path,
        help="write a cProfile (CPU clock) of build_demo to this file (the last build's)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    trees = [("after", args.after_src)]
    if args.before_src:
        trees.insert(0, ("before", args.before_src))
    print(f"demo build, scale {args.scale}, seed {args.seed}, end {args.end_date}")
    print(f"load average at start: {os.getloadavg()}")
    results: dict[str, list[dict]] = {name: [] for name, _ in trees}  # type: ignore[type-arg]
    serves: dict[str, list[tuple[float, float, tuple[float, float]]]] = {
        name: [] for name, _ in trees
    }
    for run in range(args.runs):
        for name, src in trees:
            base = args.keep or Path(tempfile.mkdtemp(prefix=f"demo-bench-{name}-"))
            data_dir = base / f"{name}-{run}"
            shutil.rmtree(data_dir, ignore_errors=True)
            data_dir.mkdir(parents=True)
            if not args.serve_only:
                load = os.getloadavg()[0]
                result = run_build(src, args, data_dir)
                result["load"] = (load, os.getloadavg()[0])
                results[name].append(result)
                total = next(w for label, w, _ in result["timings"] if label == "process total")
                print(f"  {name} run {run + 1}: {total:.1f} s wall", flush=True)
            if args.serve or args.serve_only:
                serve_dir = base / f"{name}-{run}-serve"
                shutil.rmtree(serve_dir, ignore_errors=True)
                load = os.getloadavg()[0]
                wall, cpu_s = run_serve(src, args, serve_dir)
                serves[name].append((wall, cpu_s, (load, os.getloadavg()[0])))
                print(f"  {name} run {run + 1}: page after {serves[name][-1][0]:.1f} s", flush=True)
            if not args.keep:
                shutil.rmtree(base, ignore_errors=True)
    for name, _ in trees:
        for i, result in enumerate(results[name]):
            print(
                f"\n{name} run {i + 1}: {result['contacts']:,} contacts, "
                f"{result['customers']:,} customers, peak {result['peak_mb']} MB, "
                f"load {result['load'][0]:.2f} → {result['load'][1]:.2f}"
            )
            print(f"  {'step':<28} {'wall s':>8} {'CPU s':>8}")
            for label, wall, cpu_s in result["timings"]:
                wall_text = "" if wall != wall else f"{wall:8.1f}"
                print(f"  {label:<28} {wall_text:>8} {cpu_s:8.1f}")
        for wall, cpu_s, load in serves[name]:
            print(
                f"  {name}: `yuqi demo` to the login page: {wall:.1f} s wall, {cpu_s:.1f} CPU-s "
                f"(load {load[0]:.2f} → {load[1]:.2f})"
            )
    print(f"\nload average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
