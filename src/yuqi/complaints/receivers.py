"""Reactions to other contexts' signals, connected in ``ComplaintsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def on_calendar_changed(sender: Any, calendar_name: str | None = None, **kwargs: Any) -> None:
    """A calendar, period or holiday row changed: recompute open clocks in the background
    (after the change commits, so the job reads the new calendar)."""
    from yuqi.complaints.tasks import recompute_open_clocks

    cause = f"calendar_changed:{calendar_name or ''}"
    transaction.on_commit(lambda: recompute_open_clocks.enqueue(cause))
