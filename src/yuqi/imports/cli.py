"""``yuqi import KIND FILE``: a bulk import from the command line, with a progress bar.
Registered by ``yuqi.cli`` (``COMMAND_MODULES``); the kinds are the importers the contexts
register (``imports.importers.register_importer``)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["cmd_import", "register"]


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``yuqi import`` (``add(name, help)`` gives a parser that takes --data-dir and
    carries ``setup`` and ``migrate`` in its defaults)."""
    importing = add(
        "import", "import customers, interactions, peer indicators or offerings from CSV/Excel"
    )
    importing.add_argument(
        "kind", choices=["customers", "interactions", "peers", "offerings", "training"]
    )
    importing.add_argument("file", help="a .csv (UTF-8 or GBK/GB18030) or .xlsx file")
    importing.add_argument(
        "--source", default="", help="source system of interactions (default: 'default')"
    )
    importing.add_argument(
        "--sheet", help="the workbook sheet to read (default: the first whose headers fit)"
    )
    importing.add_argument(
        "--columns", metavar="TOML", help="extra header aliases, see docs/import-columns.md"
    )
    importing.add_argument("--quiet", action="store_true", help="no progress bar")
    importing.add_argument("--no-migrate", action="store_true", help="do not migrate first")
    importing.set_defaults(func=cmd_import)


def _progress_printer(stream=sys.stderr):
    from yuqi.imports.engine import Progress

    last = [0.0]

    def show(progress: Progress) -> None:
        moment = time.monotonic()
        if moment - last[0] < 0.2:
            return
        last[0] = moment
        fraction = progress.fraction
        bar = ""
        if fraction is not None:
            filled = int(fraction * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {fraction:6.1%} "
        stream.write(
            f"\r{bar}{progress.rows_read:,} rows: {progress.created:,} new, "
            f"{progress.updated:,} updated, {progress.unchanged:,} unchanged, "
            f"{progress.rejected:,} rejected"
        )
        stream.flush()

    return show


def cmd_import(args: argparse.Namespace) -> int:
    args.setup(args.data_dir)
    from yuqi.imports.engine import exit_status, import_file
    from yuqi.imports.importers import get_importer
    from yuqi.imports.services import import_run_create

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    if not args.no_migrate:
        args.migrate()
    importer = get_importer(args.kind)
    columns = importer.columns
    if args.columns:
        columns = columns.with_overrides(Path(args.columns), section=args.kind)
    run = import_run_create(
        kind=args.kind,
        file_name=path.name,
        path=path.resolve(),
        by=None,
        source=args.source,
        sheet=args.sheet or "",
    )
    started = time.monotonic()
    run = import_file(
        importer=importer,
        path=path,
        run=run,
        columns=columns,
        on_progress=None if args.quiet else _progress_printer(),
    )
    seconds = time.monotonic() - started
    if not args.quiet:
        sys.stderr.write("\n")
    if run.status == "failed":
        print(f"error: {path.name}: {run.message}", file=sys.stderr)
    rate = run.rows_read / seconds if seconds > 0 else 0
    print(
        f"{args.kind}: {run.rows_read:,} rows read in {seconds:.1f} s ({rate:,.0f} rows/s): "
        f"{run.rows_created:,} created, {run.rows_updated:,} updated, "
        f"{run.rows_unchanged:,} unchanged, {run.rows_rejected:,} rejected"
        + (f" [encoding {run.encoding}]" if run.encoding else "")
        + (f" [sheet {run.sheet}]" if run.sheet else "")
    )
    if run.error_report:
        print(f"error report: {run.error_report}")
    return exit_status(run)
