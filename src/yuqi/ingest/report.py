"""The error report: one CSV line per rejected value, written as the import goes.

UTF-8 with a byte-order mark, because Excel opens a BOM-less UTF-8 CSV as the system's ANSI
code page and garbles the Chinese. Columns: ``row`` (as numbered in the source file),
``column``, ``reason``, ``original`` (the whole source row as a JSON object, so the user sees
what was read). Cells go through :func:`yuqi.core.cells.csv_cell`, the guard of every export:
an uploaded file must not be able to plant formulas in the report.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from yuqi.core.cells import csv_cell
from yuqi.core.private_files import open_private

__all__ = ["REPORT_COLUMNS", "ErrorReport"]

REPORT_COLUMNS = ("row", "column", "reason", "original")


class _RowSet:
    """Which row numbers were seen: one bit per row, so a million bad rows cost 125 KB."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self.count = 0

    def add(self, number: int) -> None:
        byte, bit = divmod(number, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        if not self._bits[byte] >> bit & 1:
            self._bits[byte] |= 1 << bit
            self.count += 1


class ErrorReport:
    """Streams errors to ``path`` and counts them.

    ``rejected_rows`` counts each row once however many errors it has; ``errors`` counts them
    all and ``errors_by_column`` per column, for the import summary.
    """

    def __init__(self, path: str | os.PathLike[str], *, resume_at: int = 0) -> None:
        """``resume_at``: a length returned by :meth:`checkpoint` for this file; the report
        is cut back to it and continued (a resumed import), else written anew."""
        self.path = Path(path)
        if resume_at and self.path.exists() and self.path.stat().st_size >= resume_at:
            os.truncate(self.path, resume_at)
            self._file = open_private(self.path, "a", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file)
        else:
            self._file = open_private(self.path, "w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(REPORT_COLUMNS)
        self._rows = _RowSet()
        self.errors = 0
        self.errors_by_column: Counter[str] = Counter()

    def __enter__(self) -> ErrorReport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def rejected_rows(self) -> int:
        return self._rows.count

    def add(
        self,
        row_number: int,
        column: str | None,
        reason: Any,
        original: Mapping[str, Any],
    ) -> None:
        """Record one error. ``column`` is a field name or a header (``None`` for the row as a
        whole); ``reason`` may be a lazy translation or a :class:`FieldError`; ``original``
        is the row as read (``SourceRow.original``)."""
        if row_number < 0:
            raise ValueError("row numbers start at 1")
        self._writer.writerow(
            (
                row_number,
                csv_cell(column or ""),
                csv_cell(str(reason)),
                json.dumps(dict(original), ensure_ascii=False, default=str),
            )
        )
        self._rows.add(row_number)
        self.errors += 1
        self.errors_by_column[column or ""] += 1

    def checkpoint(self) -> int:
        """Write out what is buffered; return the file's length, to resume from."""
        self._file.flush()
        return self._file.buffer.tell()

    def close(self) -> None:
        self._file.close()
