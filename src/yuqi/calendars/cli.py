"""``yuqi calendar due``: check a due time on a stored business calendar.

    yuqi calendar due --from 2026-02-13T10:00 --working-days 3 [--calendar NAME] [--json]

``--working-days N``: close of business on the N-th working day after the start's date (the
starting day is not counted, PRC Civil Code art. 201/203); ``--business-hours H``: H hours of
open time (lunch breaks, nights and holidays do not count); ``--days N``: close of business on
the N-th calendar day, moved to the next working day if closed. A ``--from`` without an offset
is read in the calendar's time zone. A due time in a year without statutory holiday data is
computed from the weekly schedule and flagged (``assumed_years``, ``warning``).

Exit codes: 0 done, 2 unknown calendar or bad arguments (the reason on standard error).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TextIO

__all__ = ["register", "run_due"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of hours: {text!r}") from exc
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    parser = add("calendar", "business calendars: check a due time")
    sub = parser.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    due = sub.add_parser(
        "due",
        help="print when something started at --from is due",
        description="Print when something started at --from is due on a business calendar.",
    )
    due.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    due.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="DATETIME",
        help="ISO-8601 start, e.g. 2026-02-13T10:00 (no offset: the calendar's time zone)",
    )
    amount = due.add_mutually_exclusive_group(required=True)
    amount.add_argument(
        "--working-days",
        type=_positive_int,
        metavar="N",
        help="close of business, N-th working day",
    )
    amount.add_argument("--business-hours", type=_hours, metavar="H", help="H hours of open time")
    amount.add_argument("--days", type=_positive_int, metavar="N", help="calendar days")
    due.add_argument("--calendar", metavar="NAME", help="calendar name (default: the default)")
    due.add_argument("--json", action="store_true", help="print the result as JSON")
    due.set_defaults(func=run_due)


def _human(result) -> str:  # a DueResult
    lines = [
        f"due       {result.due:%Y-%m-%d %H:%M %z} ({result.due:%a})",
        f"from      {result.start:%Y-%m-%d %H:%M %z} ({result.start:%a})",
        f"basis     {result.amount:g} {result.basis.replace('_', ' ')}",
        f"calendar  {result.calendar}",
    ]
    if result.warning:
        lines.append(f"warning   {result.warning}")
    return "\n".join(lines)


def run_due(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    setup = getattr(args, "setup", None)
    if setup is not None:  # else the caller has set Django up (an embedding program, tests)
        setup(getattr(args, "data_dir", None))
    from django.db import DatabaseError
    from django.utils import translation

    from yuqi.calendars.selectors import due_time
    from yuqi.core.errors import DomainError

    with translation.override("en"):
        try:
            result = due_time(
                start=args.start,
                calendar_name=args.calendar,
                working_days=args.working_days,
                business_hours=args.business_hours,
                days=args.days,
            )
        except DomainError as exc:
            print(f"error: {exc.message}", file=err)
            return 2
        except DatabaseError as exc:
            print(f"error: the database is not ready ({exc}); run yuqi serve or ", file=err, end="")
            print("yuqi manage migrate first", file=err)
            return 2
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2), file=out)
        else:
            print(_human(result), file=out)
    return 0
