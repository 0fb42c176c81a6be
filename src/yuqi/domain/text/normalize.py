"""Text normalisation and masking of personal numbers, before any derived text is stored.

``normalize(text)`` applies, in this order:

1. **full width → half width**: ``Ａ１２３！？`` → ``A123!?``, the ideographic space → a space
   (Chinese punctuation such as ``，`` becomes ``,`` too, so rules see one form);
2. **traditional → simplified** (``zhconv``, only when the text holds a character that the
   conversion table changes, so simplified text costs one set look-up per character);
3. **whitespace**: runs of spaces, tabs and line breaks → one space, trimmed;
4. **masking** (:func:`yuqi.domain.pii.mask_pii`): e-mails, ID-card numbers, bank cards, mobiles,
   landlines;
5. **numbers**: thousands separators inside digit groups dropped (``1,000`` → ``1000``).

Masks keep a recognisable shape, so a handler still sees *what* was there: ``138****5678``,
``0755-****5678``, ``110101********123X``, ``6222 **** **** 1234``, ``z***@example.com``.

Chinese numerals (``两百``, ``十五``, ``一千五``) are not rewritten in the text, where they are
words; ``chinese_number`` reads them where a value is needed (see ``extract``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from yuqi.domain.pii import mask_pii

__all__ = [
    "chinese_number",
    "normalize",
    "to_halfwidth",
    "to_simplified",
]

_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
_WHITESPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")
# zhconv maps 帳 → 帐; mainland usage for money matters is 账.
_SIMPLIFIED_FIXES = (("帐单", "账单"), ("帐户", "账户"), ("帐号", "账号"), ("帐", "账"))


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms and the ideographic space → their half-width twins."""
    return text.translate(_HALFWIDTH)


@lru_cache(maxsize=1)
def _converter() -> tuple[re.Pattern[str], object]:
    from zhconv import zhconv

    table = zhconv.getdict("zh-hans")  # loads the bundled table once
    singles = sorted(key for key, value in table.items() if len(key) == 1 and key != value)
    return re.compile("[" + re.escape("".join(singles)) + "]"), zhconv.convert


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (mainland forms).

    Uses ``zhconv`` (pure Python, MIT, ships MediaWiki's conversion table, ~200 KB, no
    native code, works offline): OpenCC's Python ports are larger and the full table is not
    needed for complaint text. Text without any convertible character is returned as is.
    """
    traditional, convert = _converter()
    if traditional.search(text) is None:
        return text
    converted = convert(text, "zh-hans")  # type: ignore[operator]
    if "帐" in converted:
        for old, new in _SIMPLIFIED_FIXES:
            converted = converted.replace(old, new)
    return converted


def normalize(text: str, *, simplify: bool = True, mask: bool = True) -> str:
    """The normal form used for every derived text (see the module docstring for the steps)."""
    if not text:
        return ""
    result = to_halfwidth(text)
    if simplify:
        result = to_simplified(result)
    result = _WHITESPACE.sub(" ", result).strip()
    if mask:
        result = mask_pii(result)
    if "," in result:
        result = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), result)
    return result


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5}
_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4})
_DIGITS.update({"伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9})
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}


def chinese_number(text: str) -> int | None:
    """The value of a Chinese (or mixed) numeral, or ``None`` when it is not one.

    ``三`` → 3, ``十五`` → 15, ``两百`` → 200, ``两百五`` → 250 (a trailing digit after a unit
    is the next lower unit, as spoken), ``一千零五`` → 1005, ``3万`` → 30000, ``120`` → 120.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total = 0  # completed 万/亿 sections
    section = 0  # value inside the current section
    digit: int | None = None
    last_unit = 1
    i = 0
    while i < len(text):
        char = text[i]
        if char.isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            digit = int(text[i:j])
            i = j
            continue
        if char in _DIGITS:
            value = _DIGITS[char]
            positional = digit is not None and text[i - 1] in _DIGITS and text[i - 1] not in "零〇"
            digit = digit * 10 + value if positional and digit is not None else value
        elif char in _UNITS:
            unit = _UNITS[char]
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif char in _BIG_UNITS:
            unit = _BIG_UNITS[char]
            section += digit or 0
            total += (section or 1) * unit
            section, digit, last_unit = 0, None, unit
        else:
            return None
        i += 1
    if digit is not None:
        previous = text[-2] if len(text) >= 2 else ""
        if previous in _UNITS or previous in _BIG_UNITS:
            section += digit * (last_unit // 10 if last_unit >= 10 else 1)
        else:
            section += digit
    return total + section
