"""A paused clock says "paused" once, in English and in Chinese (the badge partial no longer
adds its own "paused ·" before the presenter's text), and a paused clock already past its
target says it is overdue."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.complaints.factories import open_complaint, sh
from yuqi.complaints.services import complaint_transition

pytestmark = pytest.mark.django_db


def _waiting(supervisor):
    ticket = open_complaint(by=supervisor)
    ticket = complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=ticket.version
    )
    return complaint_transition(
        complaint=ticket, target="waiting_customer", by=supervisor, expected_version=ticket.version
    )


def _clock_texts(body: str) -> list[str]:
    spans = re.findall(r'<span class="status [^"]*clock"[^>]*>(.*?)</span>', body, re.S)
    return [re.sub(r"<[^>]+>", "", span) for span in spans]


@pytest.mark.parametrize(("language", "word"), [("en", "paused"), ("zh-hans", "已暂停")])
def test_paused_is_said_once(as_user, supervisor, frozen, outbox, settings, language, word):
    settings.LANGUAGE_CODE = language
    ticket = _waiting(supervisor)
    with translation.override(language):
        body = as_user(supervisor).get(reverse("complaints:detail", args=[ticket.number])).content
    paused = [t for t in _clock_texts(body.decode()) if word in t]
    assert paused, _clock_texts(body.decode())
    assert all(text.count(word) == 1 for text in paused), paused


def test_a_paused_clock_past_its_target_says_overdue(as_user, supervisor, frozen, outbox):
    from yuqi.complaints.models import SlaClock
    from yuqi.complaints.queries import clock_view_of

    ticket = open_complaint(by=supervisor)
    frozen.set(sh(2026, 3, 2, 15))  # the 4-business-hour first response is overdue
    ticket = complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=ticket.version
    )
    frozen.set(sh(2026, 3, 10, 10))  # the 3-working-day resolution too, then it waits
    complaint_transition(
        complaint=ticket, target="waiting_customer", by=supervisor, expected_version=ticket.version
    )
    clock = SlaClock.objects.get(complaint=ticket, kind="resolution")
    assert clock.phase == "paused"
    with translation.override("en"):
        view = clock_view_of(clock, team_id=None, now=sh(2026, 3, 10, 10))
    assert view.text.startswith("paused, overdue ")
