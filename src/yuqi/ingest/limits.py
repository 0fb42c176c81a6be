"""How much one import file may make the server hold, checked before anything is expanded
(security review F-1: a 511 KB ``.xlsx`` whose shared strings expand to 500 MB took 5 GB).

An ``.xlsx`` is a ZIP archive. Its central directory states each part's compressed and
uncompressed size, and :mod:`zipfile` never returns more than the stated size (a part that
inflates further fails its CRC check), so the stated sizes can be trusted to bound the work.
Before openpyxl opens a workbook, :func:`check_workbook` refuses it when:

* all its parts together expand beyond ``xlsx_total_bytes`` (``YUQI_XLSX_MAX_TOTAL_MB``: the
  environment variable behind the application's setting, named in the message);
* one part expands more than ``xlsx_ratio`` times its compressed size
  (``YUQI_XLSX_MAX_RATIO``; parts under 1 MiB are not held to it, as tiny parts compress
  oddly and cost nothing): repeated text compresses a thousandfold, real sheets rarely beyond
  ×20;
* a part that openpyxl reads whole into memory (everything but the worksheets: the shared
  string table, styles, the workbook) expands beyond ``xlsx_part_bytes``
  (``YUQI_XLSX_MAX_PART_MB``). openpyxl keeps every shared string as a Python object: 64 MB of
  short distinct strings took 441 MB and 93 s to load, 16 MB about a quarter of that;
* a worksheet (streamed a row at a time) has a row longer than ``row_bytes``
  (``YUQI_IMPORT_MAX_ROW_MB``): the XML parser builds a whole row in memory before openpyxl
  sees it. Found by inflating the worksheet in 1 MiB steps, never holding more.

A CSV cell is bounded by ``cell_chars`` (``YUQI_IMPORT_MAX_CELL_CHARS``) and a CSV line by
``row_bytes`` (in characters), checked as the file streams (:mod:`yuqi.ingest.reader`).

Every refusal is a :class:`FileTooLarge` naming the limit and its environment variable.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from yuqi.ingest.errors import UnreadableFile
from yuqi.ingest.problems import Code

__all__ = ["DEFAULT_LIMITS", "FileTooLarge", "Limits", "check_workbook"]

MB = 1024 * 1024
RATIO_FROM_BYTES = MB
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
# A row's start tag, with or without a namespace prefix (<row, <x:row), not <rowBreaks.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b")
_TAIL = 64


class FileTooLarge(UnreadableFile):
    """The file would take more memory or time to read than the configured limits allow."""


@dataclass(frozen=True)
class Limits:
    """The limits to read a file under; the defaults are the settings' defaults. The
    application builds its own from its settings (``yuqi.imports.limits.import_limits``) and
    passes it to :func:`~yuqi.ingest.reader.open_table`."""

    xlsx_total_bytes: int = 1024 * MB
    xlsx_part_bytes: int = 16 * MB
    xlsx_ratio: int = 100
    row_bytes: int = 2 * MB
    cell_chars: int = 131_072  # the csv module's own default


#: The limits when the caller names none.
DEFAULT_LIMITS = Limits()


def _mb(size: int) -> str:
    return f"{size / MB:,.1f}"


def check_workbook(archive: zipfile.ZipFile, limit: Limits) -> None:
    """Refuse a workbook whose parts expand beyond ``limit`` (see the module's docstring);
    raises :class:`FileTooLarge`."""
    entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    if total > limit.xlsx_total_bytes:
        raise FileTooLarge(
            Code.XLSX_TOO_LARGE,
            size=_mb(total),
            limit=_mb(limit.xlsx_total_bytes),
        )
    for entry in entries:
        if entry.file_size >= RATIO_FROM_BYTES:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > limit.xlsx_ratio:
                raise FileTooLarge(
                    Code.XLSX_RATIO_TOO_HIGH,
                    part=entry.filename,
                    ratio=f"{ratio:,.0f}",
                    size=_mb(entry.file_size),
                    limit=limit.xlsx_ratio,
                )
        if not _WORKSHEET.fullmatch(entry.filename) and entry.file_size > limit.xlsx_part_bytes:
            raise FileTooLarge(
                Code.XLSX_PART_TOO_LARGE,
                part=entry.filename,
                size=_mb(entry.file_size),
                limit=_mb(limit.xlsx_part_bytes),
            )
    for entry in entries:
        if _WORKSHEET.fullmatch(entry.filename) and entry.file_size > limit.row_bytes:
            _check_rows(archive, entry, limit.row_bytes)


def _check_rows(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, most: int) -> None:
    """Refuse a worksheet in which some stretch between two row tags (or before the first, or
    after the last) is longer than ``most`` bytes."""
    since = 0  # bytes from the last row tag (or the start) to the end of what was read
    tail = b""  # the end of the previous chunk, in case a row tag is cut in two
    with archive.open(entry) as stream:
        while chunk := stream.read(MB):
            data = tail + chunk
            before = since - len(tail)  # stream bytes since the last row tag, at data[0]
            last = None
            for match in _ROW_TAG.finditer(data):
                at = match.start()
                gap = before + at if last is None else at - last
                if gap > most:
                    _row_too_long(entry.filename, most)
                last = at
            since = since + len(chunk) if last is None else len(data) - last
            if since > most:
                _row_too_long(entry.filename, most)
            tail = data[-_TAIL:]


def _row_too_long(part: str, most: int) -> None:
    raise FileTooLarge(
        Code.XLSX_ROW_TOO_LONG,
        part=part,
        limit=_mb(most),
    )
