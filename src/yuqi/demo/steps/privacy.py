"""Demo step: a privacy officer's desk — three personal-information requests at different
stages (one overdue), and a few consent-ledger entries (marketing consent given, survey
contact withdrawn)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from yuqi.customers.models import Customer
from yuqi.privacy.models import ConsentEntry, ConsentSource, IdentityMethod
from yuqi.privacy.services import privacy_request_create, privacy_request_verify

SH = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class PrivacySummary:
    requests: int
    consents: int


def load_demo_privacy(*, end_date: date) -> PrivacySummary:
    refs = list(Customer.objects.order_by("pk").values_list("external_id", "pk")[20:26])
    if len(refs) < 6:
        return PrivacySummary(0, 0)

    def at(days_before: int) -> datetime:
        return datetime.combine(end_date - timedelta(days=days_before), time(10), tzinfo=SH)

    access = privacy_request_create(
        customer_ref=refs[0][0],
        kind="access",
        channel="营业厅",
        received_at=at(3),
        details="客户要求复制其投诉和通话记录",
    )
    privacy_request_verify(request=access, method=IdentityMethod.ID_CARD, note="柜台核验身份证")
    privacy_request_create(
        customer_ref=refs[1][0],
        kind="correction",
        channel="热线",
        received_at=at(1),
        details="手机号码已更换",
    )
    privacy_request_create(
        customer_ref=refs[2][0],
        kind="deletion",
        channel="书面申请",
        received_at=at(30),
        details="销户后要求删除个人信息",
    )
    entries = [
        ConsentEntry(
            customer_id=pk, purpose="marketing", given=True, source=ConsentSource.PAPER, at=at(60)
        )
        for _ref, pk in refs[3:5]
    ] + [
        ConsentEntry(
            customer_id=refs[5][1],
            purpose="survey",
            given=False,
            source=ConsentSource.PHONE,
            at=at(10),
        )
    ]
    ConsentEntry.objects.bulk_create(entries)
    return PrivacySummary(3, len(entries))
