"""What the review saw in Chinese mode on the ticket and queue: "已销户" for a closed ticket,
root causes and risk reasons as codes, the account column headed "账户"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.complaints.factories import open_complaint, root_cause
from tests.complaints.test_workflow_services import callback, resolved
from yuqi.complaints import services
from yuqi.complaints.presenters import timeline_lines

pytestmark = pytest.mark.django_db


def test_a_closed_ticket_reads_closed_with_its_root_cause_in_words(
    as_user, supervisor, frozen, outbox
):
    complaint = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    complaint = services.complaint_close(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        root_cause=root_cause("network-fault"),
    )
    page = as_user(supervisor).get(reverse("complaints:detail", args=[complaint.number]))
    html = page.content.decode()
    assert "已销户" not in html
    assert "已结案" in html
    assert root_cause("network-fault").label in html
    assert "network-fault" not in html
    assert "accepted: True" not in html
    assert "message_ids" not in html


def test_every_timeline_line_is_in_words(supervisor, frozen, outbox):
    complaint = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    lines = timeline_lines(list(complaint.events.order_by("at", "id")))
    for line in lines:
        for raw in (": True", "_", "[", "{"):
            assert raw not in line.text, line


def test_risk_reasons_are_named_not_coded(as_user, supervisor, frozen, outbox):
    complaint = open_complaint(by=supervisor, account="再不解决我就投诉到工信部！")
    html = as_user(supervisor).get(reverse("complaints:detail", args=[complaint.number]))
    html = html.content.decode()
    assert "mentions_regulator" not in html
    assert "提到监管机构" in html


def test_the_queue_heads_the_account_column_as_the_customers_account(
    as_user, supervisor, frozen, outbox
):
    open_complaint(by=supervisor)
    html = as_user(supervisor).get(reverse("complaints:queue")).content.decode()
    assert "<th>账户</th>" not in html
    assert "客户陈述" in html
