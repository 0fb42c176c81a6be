"""Demo step: what customers filed themselves on the public form (a complaint with a photo, a
suggestion, a praise) and one outage notice sent to the customers of one region, plus a draft
care message that names a VIP perk, held by the tier guard for the supervisor to decide.

Everything goes through the channels services, as the pages do (the codes are skipped: the
demo customers' numbers are taken as verified).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count

from yuqi.channels import services
from yuqi.channels.attachments import CheckedFile
from yuqi.customers.models import Customer

SUBMISSIONS = (
    (
        "complaint",
        "家里宽带从昨晚开始一直断网，报修电话打了三次都没人上门，要求今天内修好并减免本月月租。",
        True,
    ),
    ("suggestion", "建议营业厅周末延长营业时间到晚上八点，上班族平时来不及办理业务。", False),
    ("praise", "昨天客服小李很耐心地帮我查清了话费账单，一次就解决了，非常感谢！", False),
)


@dataclass(frozen=True)
class DemoChannels:
    submissions: int
    tickets: tuple[str, ...]
    notices_sent: int
    recipients: int


def _photo() -> CheckedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(buffer, format="PNG")
    return CheckedFile("光猫指示灯.png", "image/png", buffer.getvalue())


def load_demo_channels() -> DemoChannels:
    people = list(Customer.objects.exclude(phone="").exclude(status="closed").order_by("pk")[:3])
    tickets = []
    for (kind, text, photo), customer in zip(SUBMISSIONS, people, strict=False):
        result = services.intake_submit(
            phone=customer.phone,
            kind=kind,
            text=text,
            language="zh-hans",
            files=[_photo()] if photo else [],
        )
        if result.number:
            tickets.append(result.number)
    supervisor = get_user_model().objects.filter(username="wangqiang").first()
    region = (
        Customer.objects.exclude(region="")
        .values("region")
        .annotate(n=Count("id"))
        .order_by("n", "region")
        .values_list("region", flat=True)
        .first()
    )
    outage = services.notice_create(
        kind="outage",
        title="宽带故障通知",
        body=(
            "您所在区域的宽带线路今晚出现故障，抢修人员正在处理，预计 23:00 前恢复。"
            "给您带来不便，敬请谅解。"
        ),
        regions=[region] if region else [],
        by=supervisor,
    )
    services.notice_send(notice_id=outage.pk, by=supervisor)
    sent = services.notice_deliver(outage.pk)  # the worker's part, done here for the demo
    # a policy notice that names a VIP perk to everyone: held by the tier guard as a draft
    services.notice_create(
        kind="policy",
        title="服务热线调整",
        body="即日起服务热线新增按键导航；如需帮助，可拨打 VIP 专席，享受优先接入。",
        by=supervisor,
    )
    return DemoChannels(len(SUBMISSIONS), tuple(tickets), 1, sent.sent_count)
