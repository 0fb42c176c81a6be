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


def on_commitment_changed(
    sender: Any,
    complaint_id: int,
    parameters: dict[str, Any],
    by_id: int | None = None,
    **kwargs: Any,
) -> None:
    """A promise made on a ticket moved (made, kept, broken, …): write it on the timeline, in
    the ledger's transaction."""
    from yuqi.complaints.choices import EventKind
    from yuqi.complaints.services import complaint_record_external_event

    complaint_record_external_event(
        complaint_id=complaint_id, kind=EventKind.PROMISE, parameters=parameters, by_id=by_id
    )


def on_commitment_broken(sender: Any, customer_id: int, **kwargs: Any) -> None:
    """A promise to this customer broke: rescore their open tickets' escalation risk."""
    from yuqi.complaints.services import complaint_refresh_risk

    complaint_refresh_risk(customer_id=customer_id, cause="promise_broken")
