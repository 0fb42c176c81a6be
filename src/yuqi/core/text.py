"""Small checks on text that services share (pages and API alike)."""

from __future__ import annotations

import re

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
"""ASCII letters, digits, ``-`` and ``_``: what the pages' ``<slug:…>`` routes accept."""

# C0 controls other than tab, line feed and carriage return, and DEL: Excel (openpyxl) refuses
# them in a cell, and no keyboard types them.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_slug(value: str) -> bool:
    return bool(SLUG_RE.fullmatch(value))


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_RE.search(value))
