# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% contact_timeline %}`` draws the 360's recent contacts exactly as the template loop it
replaced did."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from yuqi.interactions.facade import ContactLine

#: The former loop of ``interactions/panels/customer_timeline.html``.
LOOP = (
    "{% load i18n %}"
    "{% for line in panel.timeline %}\n"
    '    <li class="{% if line.abandoned %}abandoned{% endif %}">\n'
    '      <time>{{ line.arrived_at|date:"Y-m-d H:i" }}</time>\n'
    '      <span class="badge">{{ line.channel_label }}</span>\n'
    "      {% if line.queue %}<span>{{ line.queue }}</span>{% endif %}\n"
    "      {% if line.category %}<strong>{{ line.category }}</strong>{% endif %}\n"
    '      {% if line.abandoned %}<span class="warn">{% blocktranslate with s=line.wait_seconds %}gave up after {{ s }} s{% endblocktranslate %}</span>\n'
    '      {% else %}<span class="muted">{% blocktranslate with w=line.wait_seconds h=line.handle_seconds %}waited {{ w }} s, handled in {{ h }} s{% endblocktranslate %}</span>\n'
    '        {% if line.agent %}<span class="muted">· {{ line.agent }}</span>{% endif %}\n'
    '        {% if line.transferred %}<span class="badge muted">{% translate "transferred" %}</span>{% endif %}\n'
    '        {% if line.first_contact_resolved is True %}<span class="badge">{% translate "resolved first time" %}</span>{% elif line.first_contact_resolved is False %}<span class="badge muted">{% translate "not resolved" %}</span>{% endif %}\n'
    "      {% endif %}\n"
    '      {% if line.outcome_label %}<span class="badge muted">{{ line.outcome_label }}</span>{% endif %}\n'
    "      {% if line.complaint_number %}<a href=\"{% url 'complaints:detail' line.complaint_number %}\">→ {{ line.complaint_number }}</a>\n"
    '      {% elif panel.may_open_complaint and not line.abandoned %}<a class="open-complaint" href="{% url \'complaints:new\' %}?contact={{ line.id }}">{% translate "Open a complaint from this contact" %}</a>{% endif %}\n'
    '      {% if line.notes %}<div class="contact-notes muted">{{ line.notes|truncatechars:200 }}</div>{% endif %}\n'
    "    </li>\n"
    "    {% endfor %}"
)
NEW = "{% load contact_timeline %}{% contact_timeline panel.timeline panel.may_open_complaint %}"


def _line(**changes: object) -> ContactLine:
    values: dict = {
        "id": 12345,
        "arrived_at": datetime(2026, 12, 6, 15, 58, tzinfo=UTC),
        "channel": "phone",
        "channel_label": "电话",
        "direction": "inbound",
        "queue": "普通话务 <b>",
        "agent": "王强 & co",
        "category": "话费查询",
        "abandoned": False,
        "wait_seconds": 1234,
        "handle_seconds": 210,
        "transferred": False,
        "first_contact_resolved": None,
        "outcome": "",
        "outcome_label": "",
        "complaint_number": "",
        "notes": "",
        "customer_id": 1,
    }
    values.update(changes)
    return ContactLine(**values)


LINES = [
    _line(),
    _line(abandoned=True, queue="", agent="", category="", wait_seconds=95),
    _line(
        transferred=True, first_contact_resolved=True, outcome="resolved", outcome_label="已解决"
    ),
    _line(first_contact_resolved=False, complaint_number="TS-20261207-0001", agent=""),
    _line(notes="客户 <说> " + "很长的备注" * 60, category="", queue=""),
    _line(abandoned=True, complaint_number="TS-1", notes="x & y"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("may_open", [True, False])
@pytest.mark.parametrize("lines", [LINES, LINES[:1], []])
def test_the_tag_draws_what_the_loop_drew(language, may_open, lines):
    panel = {"timeline": lines, "may_open_complaint": may_open}
    with translation.override(language):
        old = Template(LOOP).render(Context({"panel": panel}))
        new = Template(NEW).render(Context({"panel": panel}))
    assert new == old
