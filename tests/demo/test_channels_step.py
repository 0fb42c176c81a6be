from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory, tier
from yuqi.channels import services
from yuqi.channels.models import Attachment, IntakeSubmission, Notice
from yuqi.demo.steps.channels import load_demo_channels


@pytest.mark.django_db
def test_the_demo_files_three_opinions_and_sends_one_notice(supervisor, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SMS_BACKEND = "locmem"
    supervisor.username = "wangqiang"
    supervisor.save()
    for _ in range(4):
        CustomerFactory(tier=tier("ordinary"), region="广东 深圳")
    result = load_demo_channels()
    assert result.submissions == IntakeSubmission.objects.count() == 3
    assert len(result.tickets) == 1
    assert Attachment.objects.count() == 1
    sent = Notice.objects.get(state="sent")
    assert sent.sent_count == result.recipients == 4
    held = Notice.objects.get(state="draft")
    assert [f.code for f in services.notice_findings(held)] == ["vip_hotline"]
