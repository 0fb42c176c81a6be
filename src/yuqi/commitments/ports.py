"""The commitments context's calls into other contexts, through their facades (ADR 0002).

Complaints is not called from here: it sits above the ledger and listens to
:mod:`yuqi.commitments.signals` (and registers its ticket lookup in :mod:`yuqi.commitments.links`).

Kept in one module, importing inside functions, so the dependencies are visible at a glance,
no import cycle can form at start-up, and tests can replace one function.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from yuqi.domain.calendar import BusinessCalendar


def calendar(name: str | None = None, *, team_id: int | None = None) -> BusinessCalendar:
    """The team's calendar, else the named one, else the default; the default also if the name
    no longer exists (a promise keeps the name of the calendar its due time was computed on)."""
    from yuqi.calendars.facade import UnknownCalendar, calendar_for

    try:
        return calendar_for(team_id=team_id, name=name or None)
    except UnknownCalendar:
        return calendar_for(team_id=team_id)


def customer_ref(customer_id: int) -> Any | None:
    from yuqi.customers.facade import customer_refs

    return customer_refs([customer_id]).get(customer_id)


def customer_id_for(external_id: str) -> int | None:
    from yuqi.customers.facade import customer_ids_by_external_id

    return customer_ids_by_external_id([external_id]).get(external_id)


def notify_customer(*, customer_id: int, template: str, context: dict, subject: str) -> None:
    from yuqi.notifications.facade import notify_customer as send

    send(customer_id=customer_id, template=template, context=context, subject=subject)


def notify_users(*, user_ids: Iterable[int], template: str, context: dict, subject: str) -> None:
    ids = sorted(set(user_ids))
    if not ids:
        return
    from yuqi.notifications.facade import notify_users as send

    send(user_ids=ids, template=template, context=context, subject=subject)
