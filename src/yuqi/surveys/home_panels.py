"""The agent's "my work" on the home page (``core.panels``, page ``home``): the outbound survey
calls waiting (the call list is shared by the team, first come first served) and, for those who
follow unhappy answers up, my open follow-ups. Registered from ``apps.py`` ``ready()``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yuqi.core.panels import Panel
from yuqi.surveys.choices import FollowUpStatus
from yuqi.surveys.selectors import call_list, follow_up_list

LIMIT = 5


def home_survey_calls(user_id: int, user: Any) -> Panel | None:
    if not (user and user.is_authenticated and user.has_perm("surveys.enter_answers")):
        return None
    calls = call_list()
    context: dict[str, Any] = {
        "calls": list(calls[:LIMIT]),
        "calls_total": calls.count(),
        "calls_url": reverse("surveys:calls"),
        "follow_ups": [],
        "follow_ups_total": 0,
    }
    if user.has_perm("surveys.change_followup"):
        mine = follow_up_list(status=FollowUpStatus.OPEN, owner_id=user_id)
        context |= {
            "follow_ups": list(mine[:LIMIT]),
            "follow_ups_total": mine.count(),
            "follow_ups_url": reverse("surveys:follow_ups") + "?mine=1",
        }
    return Panel("surveys/panels/home_survey_calls.html", context, order=16)
