"""The agent's "my work" on the home page (``core.panels``, page ``home``): the outbound survey
calls waiting (the call list is shared by the team, first come first served) and, for those who
follow unhappy answers up, my open follow-ups. Registered from ``apps.py`` ``ready()``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledFirstAndTotal
from yuqi.core.panels import Panel
from yuqi.surveys.choices import FollowUpStatus
from yuqi.surveys.models import FollowUp, Invitation
from yuqi.surveys.selectors import call_list, follow_up_list

LIMIT = 5

#: Both lists are read on every home page of those who call customers: compiled once.
_CALLS = CompiledFirstAndTotal(
    lambda *, at: call_list(at=at),
    LIMIT,
    model=Invitation,
    at=Invitation._meta.get_field("expires_at"),
)
_FOLLOW_UPS = CompiledFirstAndTotal(
    lambda *, owner_id: follow_up_list(status=FollowUpStatus.OPEN, owner_id=owner_id),
    LIMIT,
    model=FollowUp,
    owner_id=FollowUp._meta.get_field("owner"),
)


def home_survey_calls(user_id: int, user: Any) -> Panel | None:
    if not (user and user.is_authenticated and user.has_perm("surveys.enter_answers")):
        return None
    calls, calls_total = _CALLS.read(at=now())  # counted only when the read is full
    context: dict[str, Any] = {
        "calls": calls,
        "calls_total": calls_total,
        "calls_url": reverse("surveys:calls"),
        "follow_ups": [],
        "follow_ups_total": 0,
    }
    if user.has_perm("surveys.change_followup"):
        mine, mine_total = _FOLLOW_UPS.read(owner_id=user_id)
        context |= {
            "follow_ups": mine,
            "follow_ups_total": mine_total,
            "follow_ups_url": reverse("surveys:follow_ups") + "?mine=1",
        }
    return Panel("surveys/panels/home_survey_calls.html", context, order=16)
