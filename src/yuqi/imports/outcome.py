"""The one-line account of a finished import run that a page shows as a message, for the pages
that import a small file at once instead of sending the person to the Imports page (peer
benchmarks, training records)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


def run_counts_text(run: Any) -> str:
    """The run's file, counts and closing message in the reader's language."""
    text = _(
        "%(file)s: %(read)d rows read, %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged, %(rejected)d rejected."
    ) % {
        "file": run.file_name,
        "read": run.rows_read,
        "created": run.rows_created,
        "updated": run.rows_updated,
        "unchanged": run.rows_unchanged,
        "rejected": run.rows_rejected,
    }
    return f"{text} {run.message}" if run.message else text


def report_run(request: HttpRequest, run: Any) -> None:
    """The counts as a message: a warning when rows were rejected or the run said why."""
    level = messages.warning if run.rows_rejected or run.message else messages.success
    level(request, run_counts_text(run))
