"""Automatic QA checks over text the centre already holds: pure rules, no Django.

* :func:`find_phrases` — forbidden or discouraged phrases (不知道 / 没办法 / 这不归我们管 …),
  matched case-insensitively after NFKC normalisation (full-width letters, spaces), so
  "不 知 道" and "ＩＤＯＮ'Ｔ　ＫＮＯＷ" are not missed for a space or a width.
* :func:`find_promise` — a promise made in the text (承诺 / 答应 / 保证 / 回电 … within a time):
  the promise verbs of [seed-000]'s 承诺管理 and of the text pipeline's quoted promises, plus
  "will call back / within N days" in English. A match with no promise recorded on the contact
  is flagged: the ledger only helps if every promise is in it.
* :func:`repeat_contacts` — a customer's contacts on the same category within ``days`` of the
  previous one (the first contact did not settle it). The quality context flags the earlier
  contact when its agent marked it resolved on first contact: that is the one to review.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["ContactKey", "find_phrases", "find_promise", "normalise", "repeat_contacts"]

MAX_TEXT = 20_000


def normalise(text: str) -> str:
    """NFKC, lower case, whitespace removed (Chinese has none between words anyway)."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).lower()
    return re.sub(r"\s+", "", text).replace("’", "'")


def find_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases found in ``text`` (in the order given, each once)."""
    haystack = normalise(text or "")
    return [p for p, needle in _needles(tuple(phrases)) if needle in haystack]


@functools.lru_cache(maxsize=32)
def _needles(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each phrase (once, blank ones left out) with its normalised form: a scan of many texts
    for the same rules normalises the rules once, not once per text."""
    return tuple((p, normalise(p)) for p in dict.fromkeys(phrases) if p.strip())


_PROMISE = re.compile(
    r"(承诺|答应|保证|约好|说好)"
    r"|((\d+|[一二两三四五六七八九十半]+)(个)?(工作日|天|日|小时|分钟|周)(之)?内)"
    r"|((明天|今天|稍后|尽快|马上)(给|为)?(您|你|客户)?(回电|回复|答复|处理|解决|联系))"
    r"|(will\s+(call|get)\s+back|we\s+promise|within\s+\d+\s+(working\s+)?(days?|hours?))",
    re.IGNORECASE,
)


def find_promise(text: str) -> str | None:
    """The first words that make a promise, or None."""
    match = _PROMISE.search(unicodedata.normalize("NFKC", (text or "")[:MAX_TEXT]))
    return match.group(0) if match else None


@dataclass(frozen=True, slots=True)
class ContactKey:
    id: int
    customer_id: int
    category: str
    at: datetime


def repeat_contacts(contacts: Sequence[ContactKey], *, days: int = 7) -> dict[int, int]:
    """Contact id → id of the earlier contact it repeats (same customer, same non-empty
    category, within ``days``)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    window = timedelta(days=days)
    last: dict[tuple[int, str], ContactKey] = {}
    repeats: dict[int, int] = {}
    for contact in sorted(contacts, key=lambda c: (c.at, c.id)):
        if not contact.category:
            continue
        key = (contact.customer_id, contact.category)
        previous = last.get(key)
        if previous is not None and contact.at - previous.at <= window:
            repeats[contact.id] = previous.id
        last[key] = contact
    return repeats
