"""Factories and helpers for promise tests: fixed Shanghai dates, promises through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from tests.customers.factories import CustomerFactory
from yuqi.commitments.models import Commitment
from yuqi.commitments.services import commitment_record

SH = ZoneInfo("Asia/Shanghai")


def sh(*args: int) -> dt.datetime:
    """A Shanghai wall-clock instant."""
    return dt.datetime(*args, tzinfo=SH)


#: A Tuesday in an ordinary week (no holiday near it).
TUESDAY_10 = sh(2026, 3, 10, 10, 0)


def promise(
    *,
    by,
    customer=None,
    kind: str = "callback",
    text: str = "明天上午回电说明处理结果",
    at: dt.datetime = TUESDAY_10,
    **kwargs,
) -> Commitment:
    """A promise recorded through the service (guard run, event written), at a fixed time."""
    customer = customer or CustomerFactory()
    return commitment_record(
        customer_id=customer.pk,
        kind=kind,
        text=text,
        promised_by_id=by.pk,
        promised_at=at,
        **kwargs,
    )


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A bare ledger row (no guard, no events): for measures and list tests."""

    class Meta:
        model = Commitment

    customer = factory.SubFactory(CustomerFactory)
    kind = "callback"
    text = "回电"
    promised_at = TUESDAY_10
    due_at = factory.LazyAttribute(lambda c: c.promised_at + dt.timedelta(hours=4))
    amount = None

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("amount"), int):
            kwargs["amount"] = Decimal(kwargs["amount"])
        return kwargs
