"""Masking of personal data: one set of rules for fields, free text and logs (pure Python).

Fields (a customer's stored phone, e-mail, ID number; a message's address):

* :func:`mask_phone` ``13812345678`` → ``138****5678``: a number of 11 or more digits keeps
  its first 3 and last 4 digits, one ``*`` per hidden digit (``+86``, spaces and dashes are
  dropped first); 7–10 digits keep the last 4; shorter ones are all stars;
* :func:`mask_email` ``zhaomin@example.com`` → ``z***@example.com``: the first character of
  the local part, always three stars, the domain; a one-character local part shows nothing;
* :func:`mask_id_number` ``110101199001011234`` → ``110101********1234``: the region code
  and the last 4 stay, the birth date is hidden;
* :func:`mask_card` ``6222 0212 3456 7890`` → ``6222 **** **** 7890``: the first and last 4
  digits stay, separators are kept.

Free text (complaint text before it is stored, log lines): :func:`find_pii` finds e-mails,
ID-card numbers, bank cards, mobiles and landlines and masks each with the field rule above
(a mobile keeps a written ``+86`` prefix; a landline written with a separator keeps its area
code and separator, ``0755-****5678``, since the writer told where the area code ends).
:func:`mask_pii` returns the text with every one replaced.

Used by the customers' pages and API, notifications (addresses in the log and the console
backends), the interactions' caller column, the complaint page, the text pipeline and the log
filter (``core/log_masking.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "LANDLINE_NUMBER",
    "MOBILE_NUMBER",
    "PiiMatch",
    "find_pii",
    "mask_card",
    "mask_email",
    "mask_id_number",
    "mask_phone",
    "mask_pii",
    "national_phone",
]

# --- fields (the phone patterns are also the importer's, ingest.parse.normalise_phone) ---

MOBILE_NUMBER = re.compile(r"1[3-9]\d{9}")
# Area codes: 010 and 02x are three digits with an 8-digit number; others (0311, 0571...)
# four digits with a 7- or 8-digit number. Local numbers never start with 0 or 1.
LANDLINE_NUMBER = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")
PHONE_NOISE = re.compile(r"[\s\-‐‑–—().]+")


def _keep(text: str, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + (text[-tail:] if tail else "")


def national_phone(text: str) -> str:
    """``text`` without spaces, dashes, dots and brackets, and without ``+86``/``0086`` (or
    ``86`` before a mobile); after ``+86`` a landline gets its area code's 0 back
    (``+86 10 1234 5678`` → ``01012345678``). Not checked: the importer's
    ``ingest.parse.normalise_phone`` refuses what is not a mainland number."""
    digits = PHONE_NOISE.sub("", text)
    international = False
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits, international = digits[len(prefix) :], True
    if len(digits) == 13 and digits.startswith("86") and MOBILE_NUMBER.fullmatch(digits[2:]):
        digits = digits[2:]
    if international and not digits.startswith("0") and not MOBILE_NUMBER.fullmatch(digits):
        digits = "0" + digits
    return digits


def _phone_digits(value: str) -> str:
    """A mainland number as bare digits (:func:`national_phone`); anything else: all its
    digits."""
    text = unicodedata.normalize("NFKC", value).strip()
    digits = national_phone(text)
    if digits.isascii() and (MOBILE_NUMBER.fullmatch(digits) or LANDLINE_NUMBER.fullmatch(digits)):
        return digits
    return re.sub(r"\D", "", text)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678`` (see the module docstring). Never raises."""
    if not value or not value.strip():
        return ""
    digits = _phone_digits(value)
    if len(digits) >= 11:
        return _keep(digits, 3, 4)
    if len(digits) >= 7:
        return _keep(digits, 0, 4)
    return "*" * max(len(digits), 4)


def mask_email(value: str) -> str:
    """``zhaomin@example.com`` → ``z***@example.com``; ``a@example.cn`` → ``***@example.cn``
    (a single character would be the whole local part); text without ``@`` keeps only its
    first character."""
    text = value.strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return text[0] + "***"
    return (local[0] if len(local) > 1 else "") + "***@" + domain


def mask_id_number(value: str) -> str:
    """``110101199001011234`` → ``110101********1234``: the first 6 characters (the region
    code) and the last 4 stay, one ``*`` per hidden character, so the birth date is hidden.
    This applies to 15- and 18-character resident ID numbers and anything of 15 characters or
    more; shorter documents (passports, permits) keep only their last 4 characters when 8 or
    longer, and are all stars below that."""
    text = re.sub(r"\s+", "", value)
    if len(text) >= 15:
        return _keep(text, 6, 4)
    if len(text) >= 8:
        return _keep(text, 0, 4)
    return "*" * len(text)


def mask_card(value: str) -> str:
    """``6222 0212 3456 7890`` → ``6222 **** **** 7890``: every digit but the first 4 and the
    last 4 becomes ``*``; spaces and dashes stay where they were. Fewer than 12 digits: all
    digits but the last 4 are hidden."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit()]
    head = 4 if len(positions) >= 12 else 0
    hidden = set(positions[head : max(len(positions) - 4, head)])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


# --- free text -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One personal number found in a text: its kind, span and the mask that replaces it."""

    kind: str  # email, id_card, bank_card, mobile, landline
    start: int
    end: int
    mask: str


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])([1-9]\d{5})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"(\d{3}[0-9Xx])(?![0-9A-Za-z])"
)
_BANK_CARD = re.compile(r"(?<![\d*])(\d{4})((?:[ -]?\d{4}){2,3})([ -]?\d{1,3})?(?![\d*])")
_MOBILE = re.compile(r"(?<![\d*])((?:\+?86[ -]?)?)(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![\d*])")
_LANDLINE = re.compile(r"(?<![\d*])(\(?0\d{2,3}\)?)([ -]?)(\d{3,4})[ -]?(\d{4})(?![\d*])")


def find_pii(text: str) -> list[PiiMatch]:
    """Personal numbers in ``text``, left to right, non-overlapping.

    Kinds, tried in this order (an earlier kind wins an overlap): e-mail; ID card (18
    characters: 6-digit area, a valid-looking birth date, 3 digits, a digit or X); bank card
    (16–19 digits, optionally in groups of four); mainland mobile ``1[3-9]`` + 9 digits,
    optionally with +86 and separators; landline with an area code ``0xx(x)`` + 7–8 digits.
    """
    found: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str], mask: str) -> None:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(PiiMatch(kind, start, end, mask))

    for match in _EMAIL.finditer(text):
        add("email", match, mask_email(match.group(0)))
    for match in _ID_CARD.finditer(text):
        add("id_card", match, mask_id_number(match.group(0)))
    for match in _BANK_CARD.finditer(text):
        if 16 <= len(re.sub(r"\D", "", match.group(0))) <= 19:
            add("bank_card", match, mask_card(match.group(0)))
    for match in _MOBILE.finditer(text):
        prefix, head, middle, tail = match.groups()
        add("mobile", match, prefix + mask_phone(head + middle + tail))
    for match in _LANDLINE.finditer(text):
        add("landline", match, _landline_mask(match))
    found.sort(key=lambda item: item.start)
    return found


def _landline_mask(match: re.Match[str]) -> str:
    area, sep, exchange, tail = match.groups()
    if sep or area.endswith(")"):
        return f"{area}{sep}****{tail}"
    return mask_phone(area + exchange + tail)


def mask_pii(text: str) -> str:
    """``text`` with every personal number of :func:`find_pii` replaced by its mask."""
    matches = find_pii(text)
    if not matches:
        return text
    parts: list[str] = []
    cursor = 0
    for item in matches:
        parts.append(text[cursor : item.start])
        parts.append(item.mask)
        cursor = item.end
    parts.append(text[cursor:])
    return "".join(parts)
