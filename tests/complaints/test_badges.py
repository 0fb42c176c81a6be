"""The complaint pages take state and clock colours from the ChoiceSets (one colour source)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.complaints.factories import open_complaint, sh
from yuqi.complaints.choices import ClockState, ComplaintState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_ticket_and_queue_show_the_state_badge(as_user, supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor)
    client = as_user(supervisor)
    badge = (
        f'<span class="badge colour-{ComplaintState.NEW.colour}" data-value="new">'
        f"{ComplaintState.NEW.label}</span>"
    )
    assert badge in client.get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert badge in client.get(reverse("complaints:queue")).content.decode()


def test_a_breached_clock_is_shown_in_the_breached_colour(as_user, supervisor, frozen, outbox):
    frozen.set(sh(2026, 2, 24, 9))
    open_complaint(by=supervisor)
    frozen.set(sh(2026, 3, 2, 9))
    body = as_user(supervisor).get(reverse("complaints:queue")).content.decode()
    assert f'class="status colour-{ClockState.BREACHED.colour} clock"' in body
    assert ClockState.BREACHED.colour == "red"
