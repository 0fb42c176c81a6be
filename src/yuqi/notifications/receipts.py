"""Delivery receipts (状态报告) pushed by the SMS gateways: each updates the message log row
the gateway's message id names — ``delivered`` with the time, or ``failed`` with the
provider's code and text.

* Alibaba Cloud pushes a JSON array of ``{"biz_id", "out_id", "success", "err_code",
  "err_msg", "report_time", ...}`` and expects ``{"code": 0, "msg": "成功"}``;
* Tencent Cloud pushes a JSON array of ``{"sid", "report_status": "SUCCESS"|"FAIL",
  "errmsg", "description", "user_receive_time", ...}`` and expects ``{"result": 0,
  "errmsg": "OK"}``.

Neither signs its push: the callback address carries a secret (``YUQI_SMS_RECEIPT_TOKEN``),
and the view limits the body's size and the number of items (``views_receipts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.domain.pii import mask_pii
from yuqi.notifications.choices import ChannelName, MessageStatus, SmsProvider
from yuqi.notifications.models import OutboundMessage

MAX_ITEMS = 500


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    delivered: bool
    error: str


class ReceiptError(ValueError):
    """A push that is not a list of receipts."""


def _text(item: Mapping[str, Any], key: str, limit: int = 100) -> str:
    value = item.get(key)
    return "" if value is None else str(value)[:limit]


def parse_receipts(provider: str, payload: Any) -> list[Receipt]:
    """The receipts in a provider's push; raises :class:`ReceiptError` for any other shape."""
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list) or len(payload) > MAX_ITEMS:
        raise ReceiptError(f"expected a list of at most {MAX_ITEMS} receipts")
    receipts = []
    for item in payload:
        if not isinstance(item, dict):
            raise ReceiptError("every receipt is a JSON object")
        if provider == SmsProvider.ALIYUN:
            success = item.get("success")
            delivered = success is True or str(success).lower() == "true"
            pid = _text(item, "biz_id")
            error = f"{_text(item, 'err_code')} {_text(item, 'err_msg', 200)}".strip()
        elif provider == SmsProvider.TENCENT:
            delivered = _text(item, "report_status").upper() == "SUCCESS"
            pid = _text(item, "sid")
            error = f"{_text(item, 'errmsg')} {_text(item, 'description', 200)}".strip()
        else:
            raise ReceiptError(f"unknown provider {provider!r}")
        if pid:
            receipts.append(Receipt(pid, delivered, "" if delivered else error))
    return receipts


def receipts_apply(*, provider: str, receipts: Iterable[Receipt]) -> int:
    """Record each receipt on its message (sent → delivered or failed); returns how many
    messages changed. Receipts for unknown ids, or repeated, change nothing."""
    changed = 0
    for receipt in receipts:
        rows = OutboundMessage.objects.filter(
            channel=ChannelName.SMS,
            provider=provider,
            provider_id=receipt.provider_id,
            status=MessageStatus.SENT,
        )
        if receipt.delivered:
            changed += rows.update(status=MessageStatus.DELIVERED, delivered_at=now())
        else:
            error = mask_pii(
                _("Delivery receipt: %(error)s") % {"error": receipt.error or _("not delivered")}
            )
            changed += rows.update(status=MessageStatus.FAILED, error=error)
    return changed


ACKNOWLEDGEMENTS = {
    SmsProvider.ALIYUN.value: {"code": 0, "msg": "成功"},
    SmsProvider.TENCENT.value: {"result": 0, "errmsg": "OK"},
}
