"""Choice sets of the notifications context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The message kind of a one-time code: the customer just asked for it and waits for it, so
#: quiet hours never hold it (whatever ``YUQI_SMS_QUIET_EXEMPT`` lists); it still counts, and
#: is refused, under the daily limit per number.
CODE_KIND = "verification_code"


class ChannelName(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued (sent when the change is saved)")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered (receipt)")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (no address)")


class SmsProvider(models.TextChoices):
    ALIYUN = "aliyun", _("Alibaba Cloud SMS")
    TENCENT = "tencent", _("Tencent Cloud SMS")
