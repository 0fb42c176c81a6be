"""Demo step of the complaint book: every open ticket gets its playbooks and contact
clock; at least one open ticket per level and per complainer type has a confirmed type, a
ticked playbook step and a logged contact attempt, and one regulator ticket an appeal with its
statutory deadlines. Everything goes through the complaints services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from yuqi.complaints import book, services
from yuqi.complaints.choices import OPEN_STATES, ComplainerType
from yuqi.complaints.models import Complaint, RegulatorAppeal
from yuqi.core import clock

LEVELS = ("local", "over_level", "regulator")


@dataclass(frozen=True)
class DemoBook:
    tickets: int
    showcased: int
    appeals: int


def _handler():
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(groups__name="supervisor").first() or users.first()


def load_demo_complaint_book() -> DemoBook:
    by = _handler()
    open_tickets = list(
        Complaint.objects.filter(state__in=OPEN_STATES).select_related("level").order_by("pk")
    )
    now = clock.now()
    for ticket in open_tickets:
        book.book_apply(complaint=ticket, by=None, at=ticket.opened_at, cause="opened")
    showcase: list[Complaint] = []
    for code in LEVELS:
        ticket = next((t for t in open_tickets if t.level.code == code and t not in showcase), None)
        if ticket is not None:
            showcase.append(ticket)
    types = list(ComplainerType.values)
    for index, ticket in enumerate(showcase + [t for t in open_tickets if t not in showcase]):
        if index >= max(len(types), len(showcase)):
            break
        if ticket not in showcase:
            showcase.append(ticket)
        ticket.refresh_from_db()
        ticket = services.complaint_confirm_type(
            complaint=ticket,
            complainer_type=types[index % len(types)],
            by=by,
            expected_version=ticket.version,
        )
        first = next(iter(book.playbooks_for(ticket)), None)
        if first is not None and first.steps.exists():
            book.complaint_tick_step(complaint=ticket, step_id=first.steps.first().pk, by=by)
        book.complaint_log_contact(
            complaint=ticket,
            channel="phone",
            reached=index % 2 == 0,
            note="已致电客户说明处理进度" if index % 2 == 0 else "无人接听",
            by=by,
            at=now - dt.timedelta(hours=2),
        )
        if ticket.complainer_type == "activist" and by is not None:
            book.complaint_name_senior_owner(complaint=ticket, senior=by, by=by)
    appeals = 0
    for ticket in [t for t in showcase if t.level.code == "regulator"][:1]:
        received = ticket.opened_at.date()
        if not RegulatorAppeal.objects.filter(complaint=ticket).exists():
            book.complaint_record_appeal(
                complaint=ticket,
                data=book.AppealInput(
                    number=f"GXB-{received:%Y%m%d}-{ticket.pk:04d}",
                    body="miit",
                    received_on=received,
                    dispute="billing",
                    event_date=received - dt.timedelta(days=40),
                ),
                by=by,
            )
            appeals += 1
    return DemoBook(tickets=len(open_tickets), showcased=len(showcase), appeals=appeals)
