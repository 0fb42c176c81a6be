"""The work queue's rows, read as ``values()``, show what the ticket's models showed: the
level's and category's label, the tier's name, the owner's and team's names and the live
clocks, in both languages (``yuqi.complaints.queries``)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import TeamFactory
from yuqi.complaints.models import Complaint, ComplaintCategory
from yuqi.complaints.queries import (
    QUEUE_ROW_VALUES,
    clock_view_of,
    live_clock_rows,
    queue_rows,
    ticket_url,
)
from yuqi.core.clock import now


def _expected(ticket: Complaint, moment) -> dict:
    """A row as the former code built it from the model instances."""
    tier = ticket.customer.tier
    clocks = ticket.clocks.exclude(phase="stopped").order_by("kind", "started_at")
    return {
        "level_label": ticket.level.label,
        "state_label": str(ticket.get_state_display()),
        "category_label": ticket.category.label if ticket.category else "",
        "tier_label": str(tier) if tier else "",
        "tier_is_vip": bool(tier and tier.is_vip),
        "owner_name": str(ticket.owner) if ticket.owner else "",
        "team_name": str(ticket.team) if ticket.team else "",
        "clocks": tuple(clock_view_of(c, team_id=ticket.team_id, now=moment) for c in clocks),
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_from_values_equal_rows_from_the_models(supervisor, language):
    owner = UserFactory(username="li", display_name="", first_name="娜", last_name="李")
    plain = open_complaint(by=supervisor, customer=CustomerFactory(tier=None))
    full = open_complaint(by=supervisor)
    Complaint.objects.filter(pk=full.pk).update(
        owner=owner,
        team=TeamFactory(code="team-x", name=""),  # no name: the code is shown
        category=ComplaintCategory.objects.order_by("pk").first(),
    )
    moment = now()
    with translation.override(language):
        tickets = list(Complaint.objects.order_by("pk").values(*QUEUE_ROW_VALUES))
        rows = queue_rows(tickets, now=moment, url=ticket_url(), top_rank=None)
        for ticket, row in zip(Complaint.objects.order_by("pk"), rows, strict=True):
            for field, value in _expected(ticket, moment).items():
                assert getattr(row, field) == value, field
            assert row.url == f"/complaints/{ticket.number}/"
    assert rows[0].number == plain.number
    assert rows[0].tier_label == ""
    assert rows[1].owner_name == "娜 李"
    assert rows[1].team_name == "team-x"
    assert rows[1].clocks, "an open ticket has live clocks"


def test_live_clocks_of_no_tickets_read_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert live_clock_rows([]) == {}


def test_a_number_reverse_would_quote_is_reversed_alone():
    url = ticket_url()
    assert url("TS-2026-000001") == "/complaints/TS-2026-000001/"
    assert url("a b") == "/complaints/a%20b/"
