"""The complaints context's calls into other contexts, through their facades (ADR 0002).

Imports happen inside the functions so the apps stay loosely coupled (and a test can replace
one function here instead of another context's module).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any

from yuqi.domain.calendar import BusinessCalendar


def calendar_for(*, team_id: int | None = None, name: str | None = None) -> BusinessCalendar:
    """The business calendar for a clock: the named one if a policy names it, else the team's
    (``calendars.facade.calendar_for`` falls back to the default calendar). Read once per
    (team, name) inside :func:`cached_calendars`."""
    from yuqi.calendars.facade import calendar_for as facade_calendar_for

    return facade_calendar_for(name=name) if name else facade_calendar_for(team_id=team_id)


def teams_with_own_calendar() -> list[int]:
    """The teams whose calendar is not the default one (the calendars context's mapping)."""
    from yuqi.calendars.facade import teams_with_own_calendar as facade_teams

    return facade_teams()


def cached_calendars() -> AbstractContextManager[None]:
    """The calendars context's request- or job-scoped cache (sweeps, pages of many clocks)."""
    from yuqi.calendars.facade import calendars_cached

    return calendars_cached()


def notify_customer(
    *, customer_id: int, template: str, context: dict[str, Any], subject: str
) -> list[Any]:
    """Send a bilingual status message to the customer (SMS and e-mail); returns what was sent."""
    from yuqi.notifications.facade import notify_customer as facade_notify_customer

    return facade_notify_customer(
        customer_id=customer_id, template=template, context=context, subject=subject
    )


def notify_users(
    *, user_ids: Iterable[int], template: str, context: dict[str, Any], subject: str
) -> list[Any]:
    """Send a message to staff (SLA alerts)."""
    from yuqi.notifications.facade import notify_users as facade_notify_users

    return facade_notify_users(
        user_ids=list(user_ids), template=template, context=context, subject=subject
    )


def notify_users_many(notices: list[dict[str, Any]]) -> list[int]:
    """Send many staff messages at once (the SLA sweep); each notice has the keyword
    arguments of :func:`notify_users`. Returns the ids of the logged messages."""
    from yuqi.notifications.facade import UserNotice
    from yuqi.notifications.facade import notify_users_many as facade_notify_users_many

    return facade_notify_users_many(
        [
            UserNotice(
                user_ids=tuple(n["user_ids"]),
                template=n["template"],
                context=n["context"],
                subject=n["subject"],
                varying=tuple(n.get("varying", ())),
            )
            for n in notices
        ]
    )


def commitment_record(
    *,
    customer_id: int,
    kind: str,
    text: str,
    promised_by_id: int,
    due_at: datetime | None,
    complaint_id: int,
    department: str = "",
    amount: Decimal | None = None,
) -> Any:
    """Record a promise in the ledger (the guard runs there); returns its ``CommitmentLine``."""
    from yuqi.commitments.facade import commitment_record as facade_commitment_record

    return facade_commitment_record(
        customer_id=customer_id,
        kind=kind,
        text=text,
        promised_by_id=promised_by_id,
        due_at=due_at,
        complaint_id=complaint_id,
        department=department,
        amount=amount,
    )


def broken_commitment_count(*, customer_id: int, since: datetime | None = None) -> int:
    """Broken promises to this customer (feeds the escalation risk)."""
    from yuqi.commitments.facade import broken_commitment_count as facade_broken

    return facade_broken(customer_id=customer_id, since=since)


def standard_amount_limit(*, kind: str, tier_code: str | None) -> Decimal | None:
    """The service standard's money limit for a kind of promise and tier (commitments)."""
    from yuqi.commitments.facade import standard_amount_limit as facade_limit

    return facade_limit(kind=kind, tier_code=tier_code)
