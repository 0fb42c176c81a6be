"""The ``yuqi`` command: serve, worker, createuser, manage (and more as contexts arrive)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

SETTINGS = "yuqi.config.settings"
# The contexts' subcommands, in the order ``yuqi --help`` lists them: each module has
# ``register(add)``, where ``add(name, help)`` returns an argparse parser that already takes
# --data-dir and carries ``setup`` and ``migrate`` in its defaults (``args.setup(data_dir)``),
# so no context imports this module back. Keyed by the command each module registers, so that
# ``yuqi kpi FILE`` imports only the KPI module (not SciPy for the staffing command, nor Django's
# translations for import): a command's start-up is its own. Imported only when the parser is
# built; ``yuqi --help`` (or an unknown command) imports them all.
COMMAND_MODULES: dict[str, str] = {
    "createuser": "yuqi.accounts.cli",
    "import": "yuqi.imports.cli",
    "kpi": "yuqi.operations.kpi.cli",
    "kpi-rollups": "yuqi.operations.kpi.cli",
    "staffing": "yuqi.operations.staffing.cli",
    "text": "yuqi.textmining.cli",
    "calendar": "yuqi.calendars.cli",
    "roster": "yuqi.workforce.cli",
    "knowledge": "yuqi.knowledge.cli",
    "privacy": "yuqi.privacy.cli",
}
BUILT_IN_COMMANDS = ("serve", "demo", "worker", "manage")


def setup(data_dir: str | None) -> None:
    """Point Yuqi at a data folder and start Django (commands call this first)."""
    if data_dir:
        os.environ["YUQI_DATA_DIR"] = str(Path(data_dir).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def cmd_serve(args: argparse.Namespace) -> int:
    setup(args.data_dir)
    from django.conf import settings
    from django.db import connection

    from yuqi.accounts.bootstrap import ensure_initial_admin

    print(f"Yuqi: data folder {settings.DATA_DIR} ({connection.vendor})", flush=True)
    if not args.no_migrate:
        print("Yuqi: bringing the database up to date…", flush=True)
        _migrate()
    from yuqi.demo.record import is_demo, read_demo_logins

    data_dir = Path(settings.DATA_DIR)
    if is_demo(data_dir):
        demo_logins = read_demo_logins(data_dir)
        _serve(args, [(d.username, d.password, d.role) for d in demo_logins])
        return 0
    login = ensure_initial_admin(data_dir)
    if login.password:
        _serve(args, [(login.username, login.password, "admin")])
    else:
        _serve(args, [], note=f"administrator: {login.username} (password changed since set-up)")
    return 0


def default_demo_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("yuqi-demo", "yuqi"))


def cmd_demo(args: argparse.Namespace) -> int:
    from yuqi.core.private_files import private_dir

    data_dir = private_dir(Path(args.data_dir or default_demo_dir()).expanduser().resolve())
    database = data_dir / "yuqi.sqlite3"
    if os.environ.pop("DATABASE_URL", None):
        print("Yuqi demo: DATABASE_URL ignored; the demo uses its own embedded database.")
    os.environ["YUQI_TASKS_BACKEND"] = "database"
    from yuqi.demo import record

    if args.reset:
        for name in (
            "yuqi.sqlite3",
            "yuqi.sqlite3-wal",
            "yuqi.sqlite3-shm",
            record.MARKER,
            record.LOGINS,
        ):
            (data_dir / name).unlink(missing_ok=True)
    if database.exists() and not record.is_demo(data_dir):
        print(
            f"error: {data_dir} holds a Yuqi database that is not a demo; choose another "
            "--data-dir (or add --reset to replace it)",
            file=sys.stderr,
        )
        return 2
    setup(str(data_dir))
    if record.is_demo(data_dir):
        print(f"Yuqi demo: already built in {data_dir} (--reset rebuilds it)", flush=True)
        logins = record.read_demo_logins(data_dir)
    else:
        from datetime import date, timedelta

        started = time.monotonic()
        print(
            f"Yuqi demo: building a {args.scale} service centre in {data_dir} (seed {args.seed})…",
            flush=True,
        )
        from yuqi.core.fresh_schema import migrate_fresh
        from yuqi.demo.steps.accounts import DemoPasswords

        # The users' password hashes run on threads (they release the GIL) while the schema and
        # the centre are built; the empty embedded database is built from the final migration
        # state, not by replaying every migration (yuqi.core.fresh_schema; 12 s → under 1 s).
        passwords = DemoPasswords()
        migrate_fresh()
        from django.utils import timezone

        from yuqi.core.clock import now

        end = (
            date.fromisoformat(args.end_date)
            if args.end_date
            else (timezone.localdate(now()) - timedelta(days=1))
        )
        from yuqi.demo.builder import build_demo

        summary, logins = build_demo(
            seed=args.seed, scale=args.scale, end_date=end, passwords=passwords
        )
        record.save_demo_record(data_dir, summary, logins)
        print(f"Yuqi demo: built in {time.monotonic() - started:.1f} s", flush=True)
    if args.no_serve:
        for login in logins:
            print(f"  sign in as {login.username:<10} / {login.password:<14} ({login.role})")
        return 0
    _serve(args, [(d.username, d.password, d.role) for d in logins])
    return 0


def _serve(
    args: argparse.Namespace, logins: list[tuple[str, str, str]], note: str | None = None
) -> None:
    from django.conf import settings
    from waitress import serve

    from yuqi.config.wsgi import application

    print(f"\nYuqi is serving at http://{args.host}:{args.port}/", flush=True)
    warning = public_url_warning(settings.PUBLIC_URL, args.port)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    for username, password, role in logins:
        print(f"  sign in as {username:<10} / {password:<14} ({role})", flush=True)
    if note:
        print(f"  {note}", flush=True)
    if settings.TASKS_BACKEND == "database" and not args.no_worker:
        _start_embedded_worker()
        print("  background jobs run inside this server (Ctrl+C stops it)\n", flush=True)
    else:
        print("  background jobs run with: yuqi worker (Ctrl+C stops the server)\n", flush=True)
    serve(
        application, host=args.host, port=args.port, threads=args.threads, ident="yuqi", _quiet=True
    )


def public_url_warning(public_url: str, port: int) -> str | None:
    """A warning when the links sent to customers (survey invitations by SMS and e-mail, built
    from ``YUQI_PUBLIC_URL``) name another port than the one this server listens on; None when
    they agree. Behind a reverse proxy the two differ on purpose: the warning says so."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(public_url)
        linked = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        linked = None
    if linked == port:
        return None
    return (
        f"  warning: links sent to customers use YUQI_PUBLIC_URL={public_url}, not port {port} "
        "this server listens on; set YUQI_PUBLIC_URL to the address customers reach (behind a "
        "reverse proxy that address is the proxy's)"
    )


def _start_embedded_worker() -> None:
    """Run the database queue's worker and the scheduler in threads of this process, so the
    embedded set-up needs no second command (production runs ``yuqi worker`` instead)."""
    from django_tasks_db.management.commands.db_worker import Worker

    from yuqi.core.leases import worker_id

    worker = Worker(
        queue_names=["default"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )
    stop = threading.Event()
    _start_heartbeat(stop)
    threading.Thread(target=worker.run, name="yuqi-jobs", daemon=True).start()
    threading.Thread(
        target=_scheduler_loop, args=(stop, 15.0), name="yuqi-scheduler", daemon=True
    ).start()


def _start_heartbeat(stop: threading.Event) -> None:
    """Show this process's database-queue worker alive, whatever job it runs (the lease)."""
    from yuqi.core.leases import beat, heartbeat_every

    def loop() -> None:
        from django.db import close_old_connections

        while not stop.is_set():
            try:
                beat()
            except Exception as exc:  # a busy or unreachable database: try again next beat
                print(f"yuqi worker: heartbeat error: {exc}", file=sys.stderr, flush=True)
            close_old_connections()
            stop.wait(heartbeat_every())

    beat()  # before any job is claimed
    threading.Thread(target=loop, name="yuqi-heartbeat", daemon=True).start()


def _scheduler_loop(stop: threading.Event, every: float) -> None:
    from yuqi.core.schedule import scheduler_tick

    while not stop.is_set():
        try:
            scheduler_tick()
        except Exception as exc:  # keep the worker alive; the next tick retries
            print(f"yuqi worker: scheduler error: {exc}", file=sys.stderr, flush=True)
        stop.wait(every)


def cmd_worker(args: argparse.Namespace) -> int:
    setup(args.data_dir)
    from django.conf import settings
    from django.core.management import call_command

    from yuqi.core.leases import worker_id

    stop = threading.Event()
    if settings.TASKS_BACKEND == "database":
        _start_heartbeat(stop)
    if not args.no_scheduler:
        thread = threading.Thread(
            target=_scheduler_loop, args=(stop, args.schedule_every), daemon=True
        )
        thread.start()
    print(f"Yuqi worker on the {settings.TASKS_BACKEND} queue (Ctrl+C stops it)", flush=True)
    try:
        if settings.TASKS_BACKEND == "redis":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                worker_class="yuqi.core.rq_worker.LeasedWorker",
                burst=args.burst,
            )
        elif settings.TASKS_BACKEND == "database":
            options = {"batch": True} if args.burst else {}
            call_command("db_worker", worker_id=worker_id(), **options)
        else:
            print("The immediate backend runs tasks in the web process; no worker needed.")
            while not args.burst:
                time.sleep(3600)
    finally:
        stop.set()
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    setup(args.data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuqi manage", *args.rest])
    return 0


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    """The command modules to import for ``argv``: the named command's own, none for a
    built-in command, all of them without a command (help) or for an unknown one (so that
    argparse's message lists every choice)."""
    command = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    if command in BUILT_IN_COMMANDS:
        return []
    if command in COMMAND_MODULES:
        return [COMMAND_MODULES[command]]
    return list(dict.fromkeys(COMMAND_MODULES.values()))


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``yuqi`` parser; given the arguments it will parse, only the module of the command
    they name is imported (see ``COMMAND_MODULES``)."""
    from yuqi import __version__

    parser = argparse.ArgumentParser(
        prog="yuqi",
        description="Yuqi (预期): customer expectation management for service centres.",
    )
    parser.add_argument("--version", action="version", version=f"yuqi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--data-dir", help="data folder (default: $YUQI_DATA_DIR or the per-user data folder)"
        )
        command.set_defaults(setup=setup, migrate=_migrate)
        return command

    serve = add("serve", "migrate the database if needed and serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate first")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run background jobs in this process (run yuqi worker)",
    )
    serve.set_defaults(func=cmd_serve)

    demo = add("demo", "build a realistic demo service centre and serve it")
    demo.add_argument("--seed", type=int, default=7, help="same seed, same centre")
    demo.add_argument("--scale", choices=["small", "medium", "large"], default="medium")
    demo.add_argument("--end-date", help="last day of the history (default: yesterday)")
    demo.add_argument("--reset", action="store_true", help="throw away and rebuild the demo")
    demo.add_argument("--no-serve", action="store_true", help="build, print logins, exit")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--threads", type=int, default=8)
    demo.add_argument(
        "--no-worker", action="store_true", help="do not run background jobs in this process"
    )
    demo.set_defaults(func=cmd_demo)

    worker = add("worker", "run background jobs and the periodic-job scheduler")
    worker.add_argument("--burst", action="store_true", help="run what is queued, then exit")
    worker.add_argument(
        "--no-scheduler", action="store_true", help="do not enqueue periodic jobs from this worker"
    )
    worker.add_argument(
        "--schedule-every",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="how often the scheduler looks for due periodic jobs",
    )
    worker.set_defaults(func=cmd_worker)

    for module in _modules_for(argv):
        import_module(module).register(add)

    manage = add("manage", "run a Django management command (e.g. yuqi manage migrate)")
    manage.add_argument("rest", nargs=argparse.REMAINDER, help="the command and its options")
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from yuqi.core.private_files import restrict_umask

    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    # Everything Yuqi writes (database, outbox, reports, models) is born private. Not for the
    # Django pass-through, whose developer commands write into the source tree (translation
    # catalogs); what it writes in the data folder is made private explicitly anyway.
    if args.command != "manage":
        restrict_umask()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
