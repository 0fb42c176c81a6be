"""Message templates: first line the subject, times in Asia/Shanghai, both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from yuqi.notifications.rendering import TEMPLATES, render_message
from yuqi.notifications.templatetags.notifications_format import local_time

UTC = dt.UTC
DUE = dt.datetime(2026, 2, 25, 9, 30, tzinfo=UTC)  # 17:30 in Shanghai

CONTEXTS = {
    "complaint_received": {
        "number": "TS-20260213-0001",
        "first_response_due": DUE,
        "out_of_hours": False,
    },
    "complaint_status": {
        "number": "TS-20260213-0001",
        "state_label": "investigating",
        "next_step": "we are checking the bill",
        "due": DUE,
    },
    "complaint_resolved": {
        "number": "TS-20260213-0001",
        "solution": "refund of ¥30",
        "callback_due": DUE,
    },
    "commitment_made": {"text": "call back about the bill", "due": DUE},
    "commitment_changed": {
        "text": "repair the line",
        "old_due": DUE,
        "new_due": DUE + dt.timedelta(days=1),
        "reason": "parts delayed",
    },
    "commitment_reminder": {"text": "call back", "customer_name": "赵敏", "due": DUE},
    "sla_alert": {
        "number": "TS-20260213-0001",
        "clock_label": "first response",
        "state": "breached",
        "due": DUE,
        "url": "https://yuqi.example/complaints/1/",
    },
    "survey_invitation": {"name": "赵敏", "url": "https://yuqi.example/s/abc", "expires": DUE},
}


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_template_renders(name, language):
    message = render_message(name, CONTEXTS[name], language)
    assert message.subject
    assert "\n" not in message.subject
    assert message.body
    assert "{" not in message.subject + message.body
    assert "%(" not in message.subject + message.body


def test_times_are_shown_in_shanghai():
    message = render_message("commitment_made", CONTEXTS["commitment_made"], "en")
    assert "2026-02-25 17:30" in message.body


def test_out_of_hours_states_when_to_expect_a_reply():
    context = {**CONTEXTS["complaint_received"], "out_of_hours": True}
    message = render_message("complaint_received", context, "en")
    assert "outside our working hours; expect a reply by 2026-02-25 17:30" in message.body


def test_in_hours_states_the_first_response_time():
    message = render_message("complaint_received", CONTEXTS["complaint_received"], "en")
    assert "outside" not in message.body
    assert "We will contact you by 2026-02-25 17:30." in message.body
    assert message.subject == "We have received your complaint TS-20260213-0001"


def test_at_risk_and_breached_alerts_differ():
    breached = render_message("sla_alert", CONTEXTS["sla_alert"], "en")
    at_risk = render_message("sla_alert", {**CONTEXTS["sla_alert"], "state": "at risk"}, "en")
    assert breached.subject.startswith("Breached")
    assert at_risk.subject.startswith("At risk")
    assert "https://yuqi.example/complaints/1/" in at_risk.body


def test_chinese_comes_from_the_catalog(zh_catalog):
    zh_catalog(
        {
            "We have received your complaint %(number)s": "您的投诉 %(number)s 已受理",
            "We will contact you by %(due)s.": "我们将在 %(due)s 前与您联系。",
        }
    )
    message = render_message("complaint_received", CONTEXTS["complaint_received"], "zh-hans")
    assert message.subject == "您的投诉 TS-20260213-0001 已受理"
    assert "我们将在 2026-02-25 17:30 前与您联系。" in message.body
    english = render_message("complaint_received", CONTEXTS["complaint_received"], "en")
    assert english.subject == "We have received your complaint TS-20260213-0001"


def test_customer_text_is_not_html_escaped():
    context = {**CONTEXTS["commitment_made"], "text": 'replace the "<b>" router & modem'}
    message = render_message("commitment_made", context, "en")
    assert 'replace the "<b>" router & modem' in message.body


def test_local_time_reads_iso_text_and_dates():
    assert local_time("2026-02-25T09:30:00+00:00") == "2026-02-25 17:30"
    assert local_time(dt.date(2026, 2, 25)) == "2026-02-25"
    assert local_time(None) == ""
