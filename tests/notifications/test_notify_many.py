"""notify_users_many (the SLA sweep's messages): one rendering per shape with the varying values
put in, the same text as a full rendering whatever the values hold, delivered in batches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from tests.accounts.factories import UserFactory
from yuqi.complaints.choices import ClockKind
from yuqi.notifications import facade
from yuqi.notifications.models import OutboundMessage
from yuqi.notifications.rendering import render_message

pytestmark = pytest.mark.django_db
DUE = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)
#: Text that a format string, a template, a %-format or a browser would read as syntax.
HOSTILE = [
    "TS-{0}-{1}",
    "{{ recipient_name }}{% now 'Y' %}",
    "%s %(number)s %%",
    "<script>alert('x')</script> & \"quoted\"",
    "\ue000yuqi:url\ue001",  # what the shape's own marks look like
    "换行\n制表\t反斜杠\\",
]


def _notice(number: str, users: tuple[int, ...], **changes) -> facade.UserNotice:
    context = {
        "number": number,
        "state": "breached",
        "clock_label": ClockKind.RESOLUTION.label,
        "due": DUE,
        "level": "local",
        "url": f"/complaints/{number}/",
        **changes,
    }
    return facade.UserNotice(
        user_ids=users,
        template="sla_alert",
        context=context,
        subject=f"complaint:{len(number)}",
        varying=("number", "due", "url"),
    )


def _full(notice: facade.UserNotice) -> tuple[str, str]:
    full = render_message(
        "sla_alert", {"recipient_name": "", **notice.context}, settings.LANGUAGE_CODE
    )
    return full.subject, full.body


def test_each_message_reads_as_its_full_rendering_whatever_the_values_hold(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory(email="owner@example.cn")
    notices = [_notice(number, (owner.pk,)) for number in HOSTILE]
    notices.append(_notice("TS-1", (owner.pk,), state="at_risk"))
    with django_capture_on_commit_callbacks(execute=True):
        ids = facade.notify_users_many(notices)
    rows = {row.pk: row for row in OutboundMessage.objects.filter(pk__in=ids)}
    for pk, notice in zip(ids, notices, strict=True):
        assert (rows[pk].subject, rows[pk].body) == _full(notice)
        assert notice.context["number"] in rows[pk].body  # as written, not escaped or read
    assert {row.status for row in rows.values()} == {"sent"}
    assert len(mail.outbox) == len(notices)
    message_id = mail.outbox[0].extra_headers["Message-ID"]
    assert message_id.startswith("<")
    assert f"yuqi-complaint-{len(HOSTILE[0])}@" in message_id


def test_notices_with_different_labels_keep_their_own(zh_catalog):
    """The shapes' keys take a label's text once per label object: two labels, two shapes."""
    zh_catalog({"First response": "首次响应", "Resolution": "解决"})
    owner = UserFactory(email="owner@example.cn")
    labels = [ClockKind.FIRST_RESPONSE.label, ClockKind.RESOLUTION.label]
    notices = [_notice(f"TS-{i}", (owner.pk,), clock_label=labels[i % 2]) for i in range(6)]
    ids = facade.notify_users_many(notices)
    rows = {row.pk: row for row in OutboundMessage.objects.filter(pk__in=ids)}
    for pk, notice in zip(ids, notices, strict=True):
        assert (rows[pk].subject, rows[pk].body) == _full(notice)
    assert len({rows[pk].subject.split(" ")[0] for pk in ids}) >= 1
