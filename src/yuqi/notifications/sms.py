"""The 【signature】 Chinese SMS gateways require at the start of every text (the sender's
registered name, e.g. 【预期客服】): prefixed once, when the message is logged, so the log shows
what was sent and a text that already carries it is left alone."""

from __future__ import annotations

from django.conf import settings


def signature() -> str:
    """The configured signature without brackets (``YUQI_SMS_SIGNATURE``); "" for none."""
    return getattr(settings, "YUQI_SMS_SIGNATURE", "")


def sign(body: str, name: str | None = None) -> str:
    """``body`` starting with ``【name】`` exactly once (unchanged without a signature)."""
    name = signature() if name is None else name.strip().strip("【】").strip()
    if not name:
        return body
    mark = f"【{name}】"
    text = body.lstrip()
    while text.startswith(mark):
        text = text[len(mark) :].lstrip()
    return mark + text
