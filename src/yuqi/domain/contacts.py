"""The contact vocabulary: how an export writes yes/no, channels and directions, and when an
unanswered contact counts as abandoned.

One home for the words that ``yuqi import`` (``interactions/validation.py`` through
``ingest/parse.py``) and ``yuqi kpi`` (the DuckDB statement in
``operations/kpi/file_engine.py``) both read, so the two agree on the same file by
construction. The channel and direction codes are the values of ``interactions.choices``'s
``Channel`` and ``Direction`` (a test keeps them equal).

Normalising: a yes/no word is compared after NFKC, trimming and case folding
(:func:`word_key`); a label after that and with spaces, ``_`` and ``-`` removed
(:func:`label_key`), so ``Web Chat``, ``web_chat`` and ``ＷＥＢＣＨＡＴ`` are all ``webchat``.

The abandonment rule (the importer's, documented in ``docs/import-columns.md``): a contact's
own ``abandoned`` value wins when it has one, yes or no; without one, an inbound contact on a
real-time channel (phone, web chat, app, social) that reached a queue and has no answer time
is abandoned: the customer gave up while waiting. E-mail, SMS, IVR and store visits are not
answered in real time, so a missing answer time says nothing there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "DIRECTIONS",
    "DIRECTION_LABELS",
    "INBOUND",
    "NO_WORDS",
    "OUTBOUND",
    "REAL_TIME_CHANNELS",
    "YES_WORDS",
    "abandoned",
    "channel_code",
    "direction_code",
    "label_key",
    "word_key",
    "yes_no",
]

#: The words read as *yes*, lower case (any case is accepted).
YES_WORDS = frozenset({"是", "有", "真", "对", "√", "✓", "y", "yes", "true", "t", "1", "1.0", "on"})
#: The words read as *no*, lower case (any case is accepted).
NO_WORDS = frozenset(
    {"否", "无", "没有", "假", "错", "×", "✗", "n", "no", "false", "f", "0", "0.0", "off"}
)

PHONE, IVR, EMAIL, WEB_CHAT, APP, SOCIAL, SMS, VISIT = (
    "phone", "ivr", "email", "webchat", "app", "social", "sms", "visit",
)  # fmt: skip
#: Every channel code, in the order of ``interactions.choices.Channel``.
CHANNELS = (PHONE, IVR, EMAIL, WEB_CHAT, APP, SOCIAL, SMS, VISIT)
#: Channels answered in real time: no answer time on an inbound contact there means abandoned.
REAL_TIME_CHANNELS = frozenset({PHONE, WEB_CHAT, APP, SOCIAL})

INBOUND, OUTBOUND = "inbound", "outbound"
DIRECTIONS = (INBOUND, OUTBOUND)

#: Every accepted channel label (Chinese, English, the code itself) → its code.
CHANNEL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("phone", "voice", "call", "电话", "语音", "热线", "来电"), PHONE),
        **dict.fromkeys(("ivr", "自助语音", "语音导航", "自助服务"), IVR),
        **dict.fromkeys(("email", "邮件", "电子邮件", "邮箱"), EMAIL),
        **dict.fromkeys(
            ("webchat", "chat", "web", "在线客服", "在线", "网页", "在线咨询"), WEB_CHAT
        ),
        **dict.fromkeys(("app", "手机app", "客户端", "手机客户端"), APP),
        **dict.fromkeys(("social", "wechat", "weibo", "微信", "公众号", "小程序", "微博"), SOCIAL),
        **dict.fromkeys(("sms", "短信", "短消息"), SMS),
        **dict.fromkeys(("visit", "store", "walk_in", "营业厅", "门店", "到店", "柜台"), VISIT),
    }
)
#: Every accepted direction label → its code.
DIRECTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("inbound", "in", "呼入", "来电", "入"), INBOUND),
        **dict.fromkeys(("outbound", "out", "呼出", "外呼", "去电", "回访", "出"), OUTBOUND),
    }
)

_LABEL_NOISE = re.compile(r"[\s_\-]+")


def word_key(text: str) -> str:
    """``text`` as yes/no words are compared: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def label_key(text: str) -> str:
    """``text`` as labels are compared: :func:`word_key` without spaces, ``_`` and ``-``."""
    return _LABEL_NOISE.sub("", word_key(text))


_YES_NO = {**dict.fromkeys(YES_WORDS, True), **dict.fromkeys(NO_WORDS, False)}
_CHANNELS = {label_key(label): code for label, code in CHANNEL_LABELS.items()}
_DIRECTIONS = {label_key(label): code for label, code in DIRECTION_LABELS.items()}


def yes_no(text: str) -> bool | None:
    """``True`` for a yes word, ``False`` for a no word, ``None`` for anything else."""
    return _YES_NO.get(word_key(text))


def channel_code(text: str) -> str | None:
    """The channel code a label means (``微信`` → ``social``), ``None`` if unknown."""
    return _CHANNELS.get(label_key(text))


def direction_code(text: str) -> str | None:
    """The direction code a label means (``外呼`` → ``outbound``), ``None`` if unknown."""
    return _DIRECTIONS.get(label_key(text))


def abandoned(
    *, flagged: bool | None, answered: bool, direction: str, channel: str, queued: bool
) -> bool:
    """Whether a contact counts as abandoned (the rule in the module docstring).

    ``flagged`` is the contact's own yes/no (``None`` when the file leaves it blank);
    ``direction`` and ``channel`` are codes; ``queued`` says the contact reached a queue.
    """
    if flagged is not None:
        return flagged
    return not answered and direction == INBOUND and channel in REAL_TIME_CHANNELS and queued
