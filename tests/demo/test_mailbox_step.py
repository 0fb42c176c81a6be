"""The mailbox demo step: e-mails already read by the mailbox's own run, threaded onto open
tickets, one new ticket for a customer matched by address, one attachment refused; all on
the mailbox page."""

from __future__ import annotations

import pytest

from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import Complaint
from yuqi.demo.steps.mailbox import load_demo_mailbox
from yuqi.mailbox.models import InboundAttachment, InboundMail


@pytest.mark.django_db
def test_the_demo_mailbox_threads_creates_and_refuses(supervisor, settings, tmp_path, as_user):
    settings.DATA_DIR = tmp_path
    first = open_complaint(by=supervisor, customer=CustomerFactory(email="li.na@example.cn"))
    second = open_complaint(by=supervisor, customer=CustomerFactory(email="wang@example.cn"))
    writer = CustomerFactory(email="zhao.min@example.cn", monthly_value=999)
    before = Complaint.objects.count()

    result = load_demo_mailbox()

    assert (result.read, result.created, result.threaded) == (4, 1, 3)
    assert result.refused_attachments == 1
    new = Complaint.objects.exclude(pk__in=[first.pk, second.pk]).get()
    assert Complaint.objects.count() == before + 1
    assert new.customer_id == writer.pk  # matched by the sender's address
    assert result.tickets == (new.number,)
    threaded = dict(
        InboundMail.objects.filter(outcome="threaded").values_list("uid", "complaint_id")
    )
    assert sorted(threaded.values()) == sorted([first.pk, second.pk, new.pk])
    assert InboundAttachment.objects.get(status="stored").filename == "光猫指示灯.png"
    assert InboundAttachment.objects.get(status="refused").filename.endswith(".exe")

    page = as_user(supervisor).get("/mailbox/").content.decode()
    assert new.number in page
    assert first.number in page
