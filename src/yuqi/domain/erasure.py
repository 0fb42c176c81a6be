"""Erasing a person from stored text (pure Python): the rules every context's erasure shares.

A person is known by a few identifiers (name, phone, e-mail, ID number). Erasing them from a
text replaces

* every exact occurrence of an identifier (the phone also written with spaces or dashes, or
  with ``+86``; the ID number's check letter in either case; the e-mail in any case), and
* every personal number :func:`yuqi.domain.pii.find_pii` finds (e-mails, ID-card numbers,
  bank cards, mobiles, landlines), whoever they belong to, since a free text that names the
  person may name their family's numbers too,

by :data:`ERASED` (not by a mask: a mask keeps the last four digits). JSON values are walked
and every string in them is erased the same way, keys included.

PIPL art. 47 asks for deletion; art. 73(4) counts information that can no longer identify the
person and cannot be restored as anonymised. Replacing the identifiers and every personal
number in a text is the anonymisation; numbers, dates and codes that aggregate figures need
stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from yuqi.domain.pii import find_pii, national_phone

__all__ = ["ERASED", "Identifiers", "erase_text", "erase_value", "mentions"]

ERASED = "〔已删除〕"
_SEPARATORS = r"[\s\-‐‑–—().]*"


@dataclass(frozen=True, slots=True)
class Identifiers:
    """What identifies one person; empty strings are ignored."""

    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    extra: tuple[str, ...] = ()

    def values(self) -> list[str]:
        """The identifiers worth searching for (names of one character are too common)."""
        found = [self.name.strip(), self.email.strip(), self.id_number.strip()]
        phone = national_phone(self.phone) if self.phone.strip() else ""
        found += [self.phone.strip(), phone]
        found += [value.strip() for value in self.extra]
        return sorted({v for v in found if len(v) >= 2}, key=len, reverse=True)

    def patterns(self) -> list[re.Pattern[str]]:
        patterns = []
        for value in self.values():
            if value.isdigit() and len(value) >= 7:
                # 13812345678 also as 138 1234 5678, 138-1234-5678 and +86 138…
                body = _SEPARATORS.join(re.escape(ch) for ch in value)
                patterns.append(re.compile(r"(?:\+?86" + _SEPARATORS + r")?" + body))
            else:
                patterns.append(re.compile(re.escape(value), re.IGNORECASE))
        return patterns


def erase_text(text: str, who: Identifiers) -> str:
    """``text`` without ``who``'s identifiers and without any personal number."""
    if not text:
        return text
    for pattern in who.patterns():
        text = pattern.sub(ERASED, text)
    matches = find_pii(text)
    if not matches:
        return text
    parts: list[str] = []
    cursor = 0
    for item in matches:
        parts.append(text[cursor : item.start])
        parts.append(ERASED)
        cursor = item.end
    parts.append(text[cursor:])
    return "".join(parts)


def erase_value(value: Any, who: Identifiers) -> Any:
    """A JSON value with every string (keys too) passed through :func:`erase_text`."""
    if isinstance(value, str):
        return erase_text(value, who)
    if isinstance(value, list | tuple):
        return [erase_value(item, who) for item in value]
    if isinstance(value, dict):
        return {erase_text(str(k), who): erase_value(v, who) for k, v in value.items()}
    return value


def mentions(texts: Iterable[str], who: Identifiers) -> bool:
    """Whether any of ``texts`` holds one of ``who``'s identifiers."""
    patterns = who.patterns()
    return any(pattern.search(text) for text in texts if text for pattern in patterns)
