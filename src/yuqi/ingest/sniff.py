"""What a file is before it is read: its format, its text encoding, its delimiter.

* **Format by content**, not extension: a ZIP holding ``xl/workbook.xml`` is XLSX (refused
  when its parts expand beyond :mod:`yuqi.ingest.limits`, before anything is expanded); legacy
  ``.xls``, HTML or XML "spreadsheets", PDF and other ZIPs are refused by name, everything
  else is taken for delimited text.
* **Encoding**: a byte-order mark decides (UTF-8, UTF-16); otherwise the ``SAMPLE_BYTES`` from
  the first non-ASCII byte on are decoded strictly as UTF-8 (a character cut by the sample's
  end is not an error), else as GB18030, the superset of GBK and GB2312 that Chinese Excel
  writes. A pure-ASCII start is skipped at memory speed, however long; a file of pure ASCII is
  UTF-8. NUL bytes mean a binary file. Neither decoding → both byte offsets in the error.
* **Delimiter**: comma, tab or semicolon (never the full-width ``，`` of Chinese text): the
  one that splits the sample's rows into the most consistent number of columns, at least two;
  ties go to the comma.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from typing import IO, Literal

from yuqi.ingest.errors import UnreadableFile
from yuqi.ingest.limits import DEFAULT_LIMITS, Limits, check_workbook
from yuqi.ingest.problems import Code

__all__ = [
    "DELIMITERS",
    "SAMPLE_BYTES",
    "detect_encoding",
    "locate_decoding_error",
    "sniff_delimiter",
    "sniff_format",
]

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = (b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")


def sniff_format(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> Literal["csv", "xlsx"]:
    """``xlsx`` or ``csv`` from the file's first bytes; refuses formats it can name, and a
    workbook whose parts expand beyond ``limits``."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise UnreadableFile(Code.CANNOT_OPEN, detail=exc.strerror or exc) from exc
    if not head:
        raise UnreadableFile(Code.EMPTY_FILE)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    check_workbook(archive, limits)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnreadableFile(
                Code.ZIP_DAMAGED,
                detail=exc,
            ) from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise UnreadableFile(Code.XLSB)
        raise UnreadableFile(Code.ZIP_NOT_WORKBOOK)
    if head.startswith(_OLE2):
        raise UnreadableFile(Code.XLS_LEGACY)
    if head.startswith(b"%PDF"):
        raise UnreadableFile(Code.PDF)
    lead = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if lead.startswith(_HTML):
        raise UnreadableFile(Code.HTML)
    if lead.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise UnreadableFile(Code.XML_SPREADSHEET)
    return "csv"


def _decoding_error(data: bytes, encoding: str, final: bool) -> int | None:
    """Offset in ``data`` of the first byte ``encoding`` rejects, or ``None``."""
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(data, final)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _not_text(offset: int) -> UnreadableFile:
    return UnreadableFile(
        Code.NUL_BYTES,
        offset=offset,
    )


def detect_encoding(handle: IO[bytes]) -> str:
    """``utf-8-sig``, ``utf-16``, ``utf-8`` or ``gb18030`` for a binary handle (see the
    module's docstring); leaves the handle's position anywhere."""
    handle.seek(0)
    head = handle.read(SAMPLE_BYTES)
    if not head:
        raise UnreadableFile(Code.EMPTY_FILE)
    final = len(head) < SAMPLE_BYTES
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            bad = _decoding_error(head, encoding, final)
            if bad is not None:
                raise UnreadableFile(
                    Code.BOM_MISMATCH,
                    encoding=encoding.removesuffix("-sig").upper(),
                    offset=bad,
                )
            return encoding
    start, chunk = 0, head
    while chunk.isascii():
        if b"\0" in chunk:
            raise _not_text(start + chunk.index(b"\0"))
        start += len(chunk)
        chunk = handle.read(SAMPLE_BYTES)
        if not chunk:
            return "utf-8"
    if b"\0" in chunk:
        raise _not_text(start + chunk.index(b"\0"))
    start += next(i for i, byte in enumerate(chunk) if byte > 0x7F)
    handle.seek(start)
    window = handle.read(SAMPLE_BYTES)
    final = len(window) < SAMPLE_BYTES
    utf8 = _decoding_error(window, "utf-8", final)
    if utf8 is None:
        return "utf-8"
    gb = _decoding_error(window, "gb18030", final)
    if gb is None:
        return "gb18030"
    raise UnreadableFile(
        Code.UNKNOWN_ENCODING,
        utf8=start + utf8,
        gb=start + gb,
    )


def locate_decoding_error(path: str | os.PathLike[str], encoding: str) -> int:
    """The absolute offset of the first byte of the file that ``encoding`` rejects."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    consumed = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return consumed - pending + exc.start
            consumed += len(chunk)
    return consumed


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's rows into the most consistent column count
    (of at least two columns; a comma when none does)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [
                row
                for row in csv.reader(io.StringIO(sample), delimiter=delimiter)
                if any(cell.strip() for cell in row)
            ][:100]
        except csv.Error:
            continue
        if not rows:
            continue
        widths: dict[int, int] = {}
        for row in rows:
            widths[len(row)] = widths.get(len(row), 0) + 1
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count / len(rows), width)
        if width > 1 and score > best_score:
            best, best_score = delimiter, score
    return best
