"""The ``yuqi`` command: serve, worker, createuser, manage (and more as contexts arrive)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

SETTINGS = "yuqi.config.settings"


def _setup(data_dir: str | None) -> None:
    if data_dir:
        os.environ["YUQI_DATA_DIR"] = str(Path(data_dir).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup(args.data_dir)
    from django.conf import settings
    from django.db import connection

    from yuqi.accounts.bootstrap import ensure_initial_admin

    print(f"Yuqi: data folder {settings.DATA_DIR} ({connection.vendor})", flush=True)
    if not args.no_migrate:
        print("Yuqi: bringing the database up to date…", flush=True)
        _migrate()
    login = ensure_initial_admin(Path(settings.DATA_DIR))
    url = f"http://{args.host}:{args.port}/"
    print(f"\nYuqi is serving at {url}", flush=True)
    if login.password:
        print(f"  sign in as: {login.username} / {login.password}", flush=True)
    else:
        print(f"  administrator: {login.username} (password changed since set-up)", flush=True)
    print("  background jobs run with: yuqi worker (Ctrl+C stops the server)\n", flush=True)
    from waitress import serve

    from yuqi.config.wsgi import application

    serve(
        application, host=args.host, port=args.port, threads=args.threads, ident="yuqi", _quiet=True
    )
    return 0


def _scheduler_loop(stop: threading.Event, every: float) -> None:
    from django.db import close_old_connections

    from yuqi.core.schedule import enqueue_due_jobs

    while not stop.is_set():
        close_old_connections()
        try:
            enqueue_due_jobs()
        except Exception as exc:  # keep the worker alive; the next tick retries
            print(f"yuqi worker: scheduler error: {exc}", file=sys.stderr, flush=True)
        stop.wait(every)


def cmd_worker(args: argparse.Namespace) -> int:
    _setup(args.data_dir)
    from django.conf import settings
    from django.core.management import call_command

    stop = threading.Event()
    if not args.no_scheduler:
        thread = threading.Thread(
            target=_scheduler_loop, args=(stop, args.schedule_every), daemon=True
        )
        thread.start()
    print(f"Yuqi worker on the {settings.TASKS_BACKEND} queue (Ctrl+C stops it)", flush=True)
    try:
        if settings.TASKS_BACKEND == "redis":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=args.burst)
        elif settings.TASKS_BACKEND == "database":
            options = {"batch": True} if args.burst else {}
            call_command("db_worker", **options)
        else:
            print("The immediate backend runs tasks in the web process; no worker needed.")
            while not args.burst:
                time.sleep(3600)
    finally:
        stop.set()
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    _setup(args.data_dir)
    from django.core.exceptions import ValidationError

    from yuqi.accounts.services import user_create
    from yuqi.core.errors import DomainError

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    try:
        user = user_create(
            username=args.username,
            password=password,
            roles=args.role,
            email=args.email,
            display_name=args.name,
        )
    except ValidationError as exc:
        print("error: password: " + " ".join(exc.messages), file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"error: {exc.field or 'user'}: {exc.message}", file=sys.stderr)
        return 2
    print(f"created user {user.username} with roles: {', '.join(args.role) or '(none)'}")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup(args.data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuqi manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
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
        return command

    serve = add("serve", "migrate the database if needed and serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate first")
    serve.set_defaults(func=cmd_serve)

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

    createuser = add("createuser", "create a user with one or more roles")
    createuser.add_argument("username")
    createuser.add_argument(
        "--role",
        action="append",
        default=[],
        help="agent, supervisor, analyst, manager or admin (repeatable)",
    )
    createuser.add_argument("--email", default="")
    createuser.add_argument("--name", default="", help="display name")
    createuser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    createuser.set_defaults(func=cmd_createuser)

    manage = add("manage", "run a Django management command (e.g. yuqi manage migrate)")
    manage.add_argument("rest", nargs=argparse.REMAINDER, help="the command and its options")
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
