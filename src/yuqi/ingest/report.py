"""The error report: one CSV line per rejected value, written as the import goes.

UTF-8 with a byte-order mark, because Excel opens a BOM-less UTF-8 CSV as the system's ANSI
code page and garbles the Chinese. Columns: ``row`` (as numbered in the source file),
``column``, ``reason``, ``original`` (the whole source row as a JSON object, so the user sees
what was read; each value and the reason cut after ``KEEP_CHARS`` characters, with a
marker). Cells go through :func:`yuqi.domain.cells.csv_cell`, the guard of every export:
an uploaded file must not be able to plant formulas in the report. The report is opened by
the ``opener`` the caller passes (``yuqi.core.private_files.open_private`` in the engine, so
the file is born 0600): this package imports no ``core``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from yuqi.domain.cells import csv_cell
from yuqi.domain.pii import mask_email, mask_id_number, mask_phone, mask_pii
from yuqi.ingest.problems import Code, Problem, render

__all__ = ["KEEP_CHARS", "REPORT_COLUMNS", "ErrorReport", "Opener", "cut", "masked_report"]

#: Opens the report for writing: ``opener(path, mode, encoding=..., newline=...)``, as ``open``.
Opener = Callable[..., IO[str]]

REPORT_COLUMNS = ("row", "column", "reason", "original")
# Characters of one value (and of a reason) kept in the report: a 500 MB cell must not make a
# 500 MB report (security review F-1). The cut is marked with the value's full length.
KEEP_CHARS = 1024


def cut(text: str, keep: int = KEEP_CHARS) -> str:
    """``text`` if at most ``keep`` characters, else its start and a marker."""
    if len(text) <= keep:
        return text
    return text[:keep] + render(Problem(Code.CUT_MARKER, {"n": f"{len(text):,}"}))


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

    def __init__(self, path: str | os.PathLike[str], *, opener: Opener, resume_at: int = 0) -> None:
        """``opener`` opens the file for writing (the caller decides its permissions);
        ``resume_at``: a length returned by :meth:`checkpoint` for this file; the report
        is cut back to it and continued (a resumed import), else written anew."""
        self.path = Path(path)
        if resume_at and self.path.exists() and self.path.stat().st_size >= resume_at:
            os.truncate(self.path, resume_at)
            self._file = opener(self.path, "a", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file)
        else:
            self._file = opener(self.path, "w", encoding="utf-8-sig", newline="")
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
                csv_cell(cut(column or "")),
                csv_cell(cut(str(reason), 2 * KEEP_CHARS)),
                json.dumps(
                    {
                        cut(str(key)): cut(value) if isinstance(value, str) else value
                        for key, value in original.items()
                    },
                    ensure_ascii=False,
                    default=lambda value: cut(str(value)),
                ),
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


# --- the masked copy ------------------------------------------------------------------------

MASKS: dict[str, Callable[[str], str]] = {
    "phone": mask_phone,
    "email": mask_email,
    "id_number": mask_id_number,
}


def masked_report(
    path: str | os.PathLike[str],
    *,
    personal: Mapping[str, str],
    field_of: Callable[[str], str | None] = lambda _label: None,
    personal_fields: Mapping[str, str] | None = None,
) -> Iterator[bytes]:
    """The report at ``path`` with personal data masked, as UTF-8 chunks (with the BOM), for
    viewers who may not see it unmasked (security review F-4).

    A value is masked as its column's kind when its label is in ``personal`` (label → "phone",
    "email" or "id_number", recorded when the file was read) or when ``field_of(label)`` is
    one of ``personal_fields`` (the importer's, for reports written before labels were
    recorded); the raw value is also masked wherever the reason quotes it. Everything else,
    cells under no header included, has phone, ID-card, bank-card numbers and e-mail addresses
    found in its text masked (``mask_pii``), so a misaligned row leaks nothing either.
    """
    fields = personal_fields or {}

    def kind_of(label: str) -> str | None:
        if label in personal:
            return personal[label]
        field = field_of(label)
        return fields.get(field) if field else None

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        writer.writerow(header)
        yield codecs.BOM_UTF8 + buffer.getvalue().encode()
        for line in reader:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(_masked_line(line, kind_of))
            yield buffer.getvalue().encode()


def _masked_line(line: list[str], kind_of: Callable[[str], str | None]) -> list[str]:
    if len(line) != len(REPORT_COLUMNS):
        return [mask_pii(cell) for cell in line]
    row, column, reason, original_text = line
    try:
        original = json.loads(original_text)
    except ValueError:
        return [row, mask_pii(column), mask_pii(reason), mask_pii(original_text)]
    if not isinstance(original, dict):
        return [row, mask_pii(column), mask_pii(reason), mask_pii(original_text)]
    masked: dict[str, Any] = {}
    for label, value in original.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        kind = kind_of(label)
        if kind is None:
            masked[label] = mask_pii(text)
            continue
        hidden = MASKS[kind](text)
        masked[label] = hidden
        raw = text.strip()
        if raw:
            reason = reason.replace(raw, hidden)
    return [
        row,
        mask_pii(column),
        mask_pii(reason),
        json.dumps(masked, ensure_ascii=False),
    ]
