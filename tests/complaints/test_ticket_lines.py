# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% timeline_items %}``, ``{% sent_items %}``, ``{% promise_items %}`` and ``{%
checklist_items %}`` draw the ticket page's lists exactly as the template loops they replaced
did, customer-typed text escaped, in both languages and time zones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from yuqi.complaints.presenters import TimelineLine

#: The former loop of ``complaints/partials/ticket.html``.
LOOP = (
    '{% load yuqi_format %}  <ol class="timeline">{% for line in timeline %}\n'
    '    <li data-kind="{{ line.kind }}"><time>{{ line.at|minute }}</time> <strong>{{ line.label }}</strong> {{ line.text }}{% if line.by %} <span class="muted">· {{ line.by }}</span>{% endif %}</li>\n'
    "  {% endfor %}</ol>"
)
NEW = '{% load ticket_lines %}  <ol class="timeline">{% timeline_items timeline %}</ol>'

HOSTILE = "<script>alert(1)</script> {{ x }} =1+1 & \"'"

LINES = [
    TimelineLine(
        at=datetime(2026, 12, 7, 16, 5, tzinfo=UTC),
        kind="opened",
        label=gettext_lazy("Opened"),
        by="王强",
        text=f"客户说：{HOSTILE}",
    ),
    TimelineLine(
        at=datetime(2026, 12, 7, 23, 59, 59, tzinfo=UTC),
        kind='note"<x>',
        label="备注 <b>",
        by="",
        text="",
    ),
    TimelineLine(
        at=datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
        kind="state_changed",
        label="State",
        by=HOSTILE,
        text=mark_safe("<em>kept as marked</em>"),
    ),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
@pytest.mark.parametrize("lines", [LINES, LINES[:1], []], ids=["three", "one", "none"])
def test_the_tag_draws_what_the_loop_drew(language, zone, lines):
    with translation.override(language), timezone.override(zone):
        context = {"timeline": lines}
        old = Template(LOOP).render(Context(context))
        new = Template(NEW).render(Context(context))
    assert new == old


def test_customer_text_is_escaped():
    drawn = Template(NEW).render(Context({"timeline": LINES}))
    assert "<script>" not in drawn
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }} =1+1 &amp; &quot;&#x27;" in drawn
    assert 'data-kind="note&quot;&lt;x&gt;"' in drawn
    assert "<em>kept as marked</em>" in drawn  # marked safe upstream, as the loop printed it


#: The former loops of the messages sent, the promises and the checklist (both ways).
SENT_LOOP = (
    '{% load i18n yuqi_format %}  <ul class="messages-sent">{% for message in sent %}\n'
    '    <li><time>{{ message.sent_at|default:message.created_at|minute }}</time> <span class="badge muted">{{ message.channel_label }}</span> {{ message.subject|default:message.template }} <span class="muted">{{ message.recipient }} · {{ message.status_label }}</span></li>\n'
    '  {% empty %}<li class="muted">{% translate "No messages sent yet." %}</li>{% endfor %}</ul>'
)
SENT_NEW = '{% load ticket_lines %}  <ul class="messages-sent">{% sent_items sent %}</ul>'
PROMISE_LOOP = (
    '{% load i18n badges yuqi_format %}  <ul class="promises">{% for promise in promises %}\n'
    '    <li>{% badge promise.status "commitments.CommitmentStatus" %} {{ promise.kind_label }} · {{ promise.text }} <span class="muted">{% translate "due" %} {{ promise.due_at|minute }} · {{ promise.promised_by }}</span></li>\n'
    '  {% empty %}<li class="muted">{% translate "No promises on this ticket." %}</li>{% endfor %}</ul>'
)
PROMISE_NEW = '{% load ticket_lines %}  <ul class="promises">{% promise_items promises %}</ul>'
CHECKLIST_LOOP = (
    "{% if tickable %}"
    '    <ol class="checklist">{% for item in checklist %}<li><label><input type="checkbox" name="{{ item.code }}"{% if item.done %} checked{% endif %}> {{ item.label }}</label></li>{% endfor %}</ol>'
    "{% else %}"
    '  <ol class="checklist">{% for item in checklist %}<li>{% if item.done %}✔{% else %}<span class="muted">○</span>{% endif %} {{ item.label }}</li>{% endfor %}</ol>'
    "{% endif %}"
)
CHECKLIST_NEW = (
    "{% load ticket_lines %}{% if tickable %}"
    '    <ol class="checklist">{% checklist_items checklist True %}</ol>'
    "{% else %}"
    '  <ol class="checklist">{% checklist_items checklist False %}</ol>'
    "{% endif %}"
)


@dataclass
class Sent:
    """The fields of ``notifications.facade.SentMessage`` the list shows."""

    channel_label: str
    recipient: str
    subject: str
    template: str
    status_label: str
    created_at: datetime
    sent_at: datetime | None


@dataclass
class Promise:
    """The fields of ``commitments.facade.CommitmentLine`` the list shows."""

    status: str
    kind_label: str
    text: str
    due_at: datetime
    promised_by: str


SENT = [
    Sent("短信", "138****5678", HOSTILE, "t", "已发送", LINES[0].at, LINES[1].at),
    Sent("Email", "z***@example.cn", "", "<tpl>", "Failed", LINES[2].at, None),
]
PROMISES = [
    Promise("open", "回电", HOSTILE, LINES[0].at, "王强"),
    Promise("no-such-status", "<kind>", "", LINES[1].at, HOSTILE),
    Promise("kept", "Refund", "退款 30 元", LINES[2].at, ""),
]


def _checklist():
    from yuqi.complaints.choices import ChecklistItem

    items = [
        {"code": code, "label": label, "done": n % 2 == 0}
        for n, (code, label) in enumerate(ChecklistItem.choices)
    ]
    return [*items, {"code": '"><x>', "label": HOSTILE, "done": True}]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
@pytest.mark.parametrize("count", [2, 1, 0])
def test_the_sent_and_promise_tags_draw_what_the_loops_drew(language, zone, count):
    with translation.override(language), timezone.override(zone):
        sent = {"sent": SENT[:count]}
        assert Template(SENT_NEW).render(Context(sent)) == Template(SENT_LOOP).render(Context(sent))
        promises = {"promises": PROMISES[: count + 1 if count else 0]}
        assert Template(PROMISE_NEW).render(Context(promises)) == Template(PROMISE_LOOP).render(
            Context(promises)
        )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("tickable", [True, False])
def test_the_checklist_tag_draws_what_the_loops_drew(language, tickable):
    with translation.override(language):
        context = {"checklist": _checklist(), "tickable": tickable}
        new = Template(CHECKLIST_NEW).render(Context(context))
        assert new == Template(CHECKLIST_LOOP).render(Context(context))
    assert "<script>" not in new
    assert "&lt;script&gt;" in new


def test_customer_text_in_messages_and_promises_is_escaped():
    for drawn in (
        Template(SENT_NEW).render(Context({"sent": SENT})),
        Template(PROMISE_NEW).render(Context({"promises": PROMISES})),
    ):
        assert "<script>" not in drawn
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }} =1+1" in drawn
