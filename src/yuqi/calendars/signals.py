"""``calendar_changed``: sent after a calendar, period, date, entered year or team mapping row
is saved or deleted, once the transaction commits (so receivers read the new rows).

Receivers (complaints, commitments) recompute the due times of open clocks. One signal is sent
per changed row; receivers should be idempotent (recomputing twice gives the same answer).
``calendar_name`` is None when a row that applies to every calendar changed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

log = logging.getLogger(__name__)

calendar_changed = Signal()  # providing_args: calendar_name: str | None


def _calendar_name(instance: Any) -> str | None:
    from yuqi.calendars.models import BusinessCalendar

    if isinstance(instance, BusinessCalendar):
        return instance.name
    calendar_id = getattr(instance, "calendar_id", None)
    if calendar_id is None:
        return None
    return BusinessCalendar.objects.filter(pk=calendar_id).values_list("name", flat=True).first()


def bump_token() -> None:
    """A new token for :class:`~yuqi.calendars.models.CalendarsVersion`, in the writer's
    transaction: processes that kept calendars built under the old one build them again."""
    import uuid

    from yuqi.calendars.models import CalendarsVersion

    if not CalendarsVersion.objects.filter(pk=1).update(token=uuid.uuid4()):
        CalendarsVersion.objects.create(pk=1)


def _row_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    bump_token()  # also for loaddata: the rows did change
    if kwargs.get("raw"):
        return  # loaddata: nothing real changed
    name = _calendar_name(instance)
    transaction.on_commit(lambda: _send(sender, name))


def _send(sender: type, name: str | None) -> None:
    """Every receiver runs even if another fails; failures are logged, never raised into the
    request that saved the calendar (the change itself is already committed)."""
    for receiver, result in calendar_changed.send_robust(sender=sender, calendar_name=name):
        if isinstance(result, Exception):
            log.error("calendar_changed receiver %r failed", receiver, exc_info=result)


def connect() -> None:
    """Called from the app's ready()."""
    from yuqi.calendars import models

    for model in (
        models.BusinessCalendar,
        models.WorkingPeriod,
        models.CalendarDate,
        models.EnteredYear,
        models.TeamCalendar,
    ):
        uid = f"calendars-changed-{model.__name__}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + "-delete")
