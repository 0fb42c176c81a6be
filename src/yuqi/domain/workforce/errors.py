"""Errors of the workforce context: each carries its message in English and in Chinese.

The domain has no translation machinery (no Django), so a bad-input error states both texts
and the caller (CLI, later the web app) shows the one in the user's language.
"""

from __future__ import annotations


class WorkforceError(ValueError):
    """Bad input to the workforce solvers, with the field or row it concerns."""

    def __init__(self, en: str, zh: str, *, field: str = "") -> None:
        self.en = en
        self.zh = zh
        self.field = field
        super().__init__(en)

    def message(self, language: str = "en") -> str:
        """The message in ``language`` (``zh…`` for Chinese, anything else English)."""
        return self.zh if language.lower().startswith("zh") else self.en
