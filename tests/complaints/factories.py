"""Factories and helpers for complaint tests: fixed Shanghai dates, the default levels."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import ComplaintLevel, RootCause
from yuqi.complaints.services import complaint_open

SH = ZoneInfo("Asia/Shanghai")


def sh(*args: int) -> dt.datetime:
    """A Shanghai wall-clock instant."""
    return dt.datetime(*args, tzinfo=SH)


def level(code: str) -> ComplaintLevel:
    """The default levels (local, over_level, regulator) come with the migrations."""
    return ComplaintLevel.objects.get(code=code)


def root_cause(code: str = "billing-error") -> RootCause:
    return RootCause.objects.get(code=code)


def open_complaint(*, by, customer=None, level_code: str = "local", **kwargs):
    """A complaint opened through the service (clocks started, event written)."""
    customer = customer or CustomerFactory()
    kwargs.setdefault("account", "上个月账单多扣了 30 元流量费，客服一直没给解释。")
    kwargs.setdefault("demand", "退还多扣的费用")
    return complaint_open(customer_id=customer.pk, by=by, level=level(level_code), **kwargs)


def clock_view(**changes: object):
    """A presented SLA clock (``ClockView``): a running resolution clock at risk, 2 h left,
    with ``changes`` applied."""
    from yuqi.complaints.presenters import ClockView

    values: dict = {
        "kind": "resolution",
        "kind_label": "Resolution",
        "phase": "running",
        "state": "at_risk",
        "due_at": dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC),
        "remaining": dt.timedelta(hours=2),
        "text": "2 h 0 min left",
        "provisional": False,
        "provisional_years": (),
    }
    return ClockView(**(values | changes))
