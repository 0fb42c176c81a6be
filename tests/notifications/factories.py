from __future__ import annotations

import datetime as dt

import factory

from yuqi.notifications.models import OutboundMessage

UTC = dt.UTC


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundMessage

    subject_ref = "complaint:1"
    channel = "sms"
    recipient = "138****0001"
    address = "13800000001"
    language = "zh-hans"
    template = "complaint_status"
    subject = "Update"
    body = "body"
    status = "sent"
    created_at = factory.Sequence(lambda n: dt.datetime(2026, 2, 13, 2, tzinfo=UTC))
