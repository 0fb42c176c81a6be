"""The one guard every exported spreadsheet cell goes through (CSV and Excel).

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``, ``-`` or ``@``
(CSV/formula injection, OWASP). A leading tab or carriage return is how payloads slip past
guards that only look at the first character after the spreadsheet trims it. So a *text*
cell starting with any of these gets a leading apostrophe and is then shown as text. Numbers
stay numbers: an ``int``/``float``/``Decimal`` is never touched, nor is text that is exactly a
plain number (``-3``, ``+1.5``, ``2e3``), which a spreadsheet reads as that number.

openpyxl also refuses to store control characters that XML 1.0 cannot carry
(``IllegalCharacterError``); for Excel those are removed, so one stray ``\\x1a`` in a question
text cannot make an export answer 500. CSV keeps them (they are harmless there).

Use :func:`csv_cell` / :func:`xlsx_cell` on every value, or the writers :func:`csv_row` and
:func:`append_xlsx_row`; ``tests/core/test_export_cells.py`` feeds payloads through every
export route of the product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_START", "append_xlsx_row", "csv_cell", "csv_row", "xlsx_cell"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# The characters openpyxl's ``ILLEGAL_CHARACTERS_RE`` refuses (C0 controls but tab, LF, CR).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _inert_text(text: str) -> str:
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs as a formula."""
    return _inert_text(value) if isinstance(value, str) else value


def xlsx_cell(value: Any) -> Any:
    """``value`` as an openpyxl cell value: never a formula, never an illegal character."""
    if not isinstance(value, str):
        return value
    return _inert_text(_XML_ILLEGAL.sub("", value))


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def append_xlsx_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append`` through :func:`xlsx_cell` (an openpyxl worksheet, write-only or not)."""
    sheet.append([xlsx_cell(value) for value in values])
