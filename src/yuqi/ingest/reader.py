"""Streaming reader for CSV and XLSX exports: one row at a time, never the whole file.

Use it as a context manager so the file is closed::

    with open_table(path, column_map=INTERACTION_COLUMNS) as table:
        for row in table.rows():
            ...  # row.number, row.values["arrived_at"], row.original

Decisions, and why
------------------
* **Format, encoding, delimiter**: see :mod:`yuqi.ingest.sniff`. An Excel ``sep=;`` first
  line sets the delimiter.
* **Header row**: the first non-blank row with all required columns, looking at most at
  ``HEADER_SEARCH_ROWS`` non-blank rows, so report titles above the header are skipped.
* **Row numbers** are what a person sees in Excel: the header is row 1 when nothing is above it,
  a quoted CSV cell with line breaks is one row, blank rows count but are not yielded.
* **Cell values** are always text. CSV cells are as written. XLSX cells are converted to a
  canonical string (:func:`cell_text`): numbers without a float tail (``185``, ``185.5``,
  ``13812345678``), dates as ISO (``2026-11-24 08:05:03``), durations as ``h:mm:ss``, booleans
  as ``true``/``false``. So one set of parsers serves both formats and the error report shows
  what the user sees. Formulas give their cached value.
* **Memory**: a CSV is read through a 64 KiB window; memory is flat whatever its size (one
  cell may not pass ``YUQI_IMPORT_MAX_CELL_CHARS``, 128 Ki characters by default, which also
  stops an unclosed quote from swallowing the file, and one line ``YUQI_IMPORT_MAX_ROW_MB``:
  :mod:`yuqi.ingest.limits`). An XLSX is streamed by openpyxl's read-only mode, which still keeps
  ~80 bytes per row read and the workbook's shared-string table (each distinct text once):
  bounded by Excel's 1,048,576 rows per sheet at roughly 80 MB plus the strings, which
  ``YUQI_XLSX_MAX_PART_MB`` bounds in turn (a workbook is refused before it is opened when
  its parts expand beyond the limits of :mod:`yuqi.ingest.limits`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any, Literal

from yuqi.ingest.columns import ColumnMap, HeaderMatch, column_letter
from yuqi.ingest.errors import (
    MissingColumns,
    NoMatchingSheet,
    SheetNotFound,
    UnreadableFile,
)
from yuqi.ingest.limits import DEFAULT_LIMITS, FileTooLarge, Limits
from yuqi.ingest.problems import Code
from yuqi.ingest.sniff import (
    SAMPLE_BYTES,
    detect_encoding,
    locate_decoding_error,
    sniff_delimiter,
    sniff_format,
)

__all__ = ["HEADER_SEARCH_ROWS", "SourceRow", "Table", "cell_text", "open_table"]

HEADER_SEARCH_ROWS = 10

type Records = Generator[tuple[int, list[str]]]

_SEP_LINE = re.compile(r"sep=(.)\r?\n")


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to make, a row a time
class SourceRow:
    """One data row.

    ``values`` has every field of the column map: the stripped text, or ``None`` when blank
    or when the file has no such column. ``original`` maps each column's label (its header;
    ``header [F]`` when the header repeats, ``[F]`` when it is blank) to the cell text as read,
    for the error report; it is built only when asked for (most rows never are). ``stray``
    lists the labels of non-blank cells that have no header, a sign of a misaligned row (often
    an unquoted comma in a free-text field): importers should reject such rows. ``nul`` lists
    the labels of cells holding the NUL character (code 0), which no text field may hold
    (PostgreSQL refuses it): importers reject such rows too, naming the cells.
    """

    number: int
    values: Mapping[str, str | None]
    cells: Sequence[str]
    labels: tuple[str, ...]
    stray: tuple[str, ...] = ()
    nul: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        """Whether the row is refused whatever its values (stray or NUL cells)."""
        return bool(self.stray or self.nul)

    @property
    def original(self) -> dict[str, str]:
        cells, labels = self.cells, self.labels
        original = dict(zip(labels, cells, strict=False))
        for index in range(len(labels), len(cells)):
            if cells[index].strip():
                original[f"[{column_letter(index)}]"] = cells[index]
        return original


def cell_text(value: Any) -> str:
    """The canonical text of an openpyxl cell value (``""`` for an empty cell).

    Integral floats lose their ``.0`` up to 10^15 (Excel's precision is 15 digits, so a longer
    number was already rounded and keeps its ``1.10101199001011e+17`` form to show it).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, timedelta):
        sign, total = ("-", -value) if value < timedelta(0) else ("", value)
        minutes, seconds = divmod(total.total_seconds(), 60)
        hours, minutes = divmod(int(minutes), 60)
        whole = int(seconds)
        tail = f"{seconds - whole:.3f}".lstrip("0").rstrip("0").rstrip(".")
        return f"{sign}{hours}:{minutes:02d}:{whole:02d}{tail}"
    return str(value)


# --- the table -----------------------------------------------------------------------------


def _labels(headers: Sequence[str]) -> tuple[str, ...]:
    texts = [header.strip() for header in headers]
    labels = []
    for index, text in enumerate(texts):
        letter = column_letter(index)
        if not text:
            labels.append(f"[{letter}]")
        elif texts.count(text) > 1:
            labels.append(f"{text} [{letter}]")
        else:
            labels.append(text)
    return tuple(labels)


@dataclass(frozen=True)
class _Header:
    number: int
    cells: list[str]
    match: HeaderMatch


def _find_header(records: Records, column_map: ColumnMap) -> _Header | None:
    """The first non-blank row with all required columns among the first few, else the first
    non-blank row (whose ``match.missing`` is then not empty), else ``None``."""
    first: _Header | None = None
    seen = 0
    for number, cells in records:
        if not "".join(cells).strip():
            continue
        header = _Header(number, cells, column_map.match(cells))
        if not header.match.missing:
            return header
        first = first or header
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return first


class Table:
    """An open CSV or XLSX file positioned after its header row.

    ``format`` is ``csv`` or ``xlsx``; ``encoding`` and ``delimiter`` are set for CSV,
    ``sheet`` for XLSX. ``headers`` are the header cells as written; ``mapping`` maps the
    labels of the recognised columns to their fields and ``unknown_columns`` lists the rest
    (importers may warn about them). :meth:`rows` can be iterated once.
    """

    def __init__(
        self,
        *,
        format: Literal["csv", "xlsx"],
        column_map: ColumnMap,
        header: _Header,
        records: Records,
        close: Callable[[], None],
        progress: Callable[[int], float | None],
        encoding: str | None = None,
        delimiter: str | None = None,
        sheet: str | None = None,
        nul_rows: set[int] | None = None,
        path: str | os.PathLike[str] | None = None,
        sep_line: bool = False,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        cells = list(header.cells)
        while cells and not cells[-1].strip():
            cells.pop()
        self.format = format
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        # For a reader of its own (yuqi.ingest.chunks): the CSV's path, whether an Excel
        # ``sep=`` line came first, the limits the row reader enforces.
        self.path = path
        self.sep_line = sep_line
        self.limits = limits
        self.header_row = header.number
        self.headers: tuple[str, ...] = tuple(cells)
        self._labels = _labels(cells)
        self.mapping: dict[str, str] = {
            self._labels[i]: name for i, name in sorted(header.match.columns.items())
        }
        self.unknown_columns: tuple[str, ...] = tuple(self._labels[i] for i in header.match.unknown)
        self.column_map = column_map
        self._columns = tuple(sorted(header.match.columns.items()))
        self._unlabelled = tuple(i for i, cell in enumerate(cells) if not cell.strip())
        self._records = records
        self._close = close
        self._progress = progress
        self._last = header.number
        self._started = False
        self._closed = False
        # The numbers of the rows whose text holds a NUL character, filled as the file is
        # read (by the CSV reader; a workbook's XML cannot hold one).
        self.nul_rows: set[int] = nul_rows if nul_rows is not None else set()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._records.close()
            self._close()

    def progress(self) -> float | None:
        """How much of the file has been read, 0 to 1, for a progress bar (``None`` if an
        XLSX sheet does not state its size)."""
        return self._progress(self._last)

    @property
    def width(self) -> int:
        """How many labelled columns the header has (cells past them are stray)."""
        return len(self._labels)

    @property
    def plain(self) -> bool:
        """Whether every header cell up to the last is labelled: a row as wide as the header
        then has no stray cell."""
        return not self._unlabelled

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """The rows after the header as read (row number, cells), blank rows included, for
        a reader that checks them a column at a time; :meth:`row` makes one a
        :class:`SourceRow` exactly as :meth:`rows` would. Iterated once, like :meth:`rows`."""
        if self._started:
            raise RuntimeError("Table.records() streams the file and can be iterated only once")
        self._started = True
        for number, cells in self._records:
            self._last = number
            yield number, cells

    @staticmethod
    def blank(cells: Sequence[str]) -> bool:
        """Whether a row is blank (:meth:`rows` skips it)."""
        return not (cells and (cells[0].strip() or "".join(cells).strip()))

    def _nul_labels(self, cells: Sequence[str]) -> tuple[str, ...]:
        labels = self._labels
        return tuple(
            labels[i] if i < len(labels) else f"[{column_letter(i)}]"
            for i, cell in enumerate(cells)
            if "\x00" in cell
        )

    def row(self, number: int, cells: list[str]) -> SourceRow:
        """The :class:`SourceRow` that :meth:`rows` yields for these cells (not blank)."""
        labels, unlabelled, width = self._labels, self._unlabelled, len(cells)
        values: dict[str, str | None] = dict.fromkeys(self.column_map.fields)
        for index, name in self._columns:
            if index < width:
                values[name] = cells[index].strip() or None
        stray: tuple[str, ...] = ()
        if unlabelled:
            stray = tuple(labels[i] for i in unlabelled if i < width and cells[i].strip())
        if width > len(labels):
            stray += tuple(
                f"[{column_letter(i)}]" for i in range(len(labels), width) if cells[i].strip()
            )
        nul = self._nul_labels(cells) if number in self.nul_rows else ()
        return SourceRow(number, values, cells, labels, stray, nul)

    def rows(self) -> Iterator[SourceRow]:
        """The data rows after the header, blank rows skipped."""
        if self._started:
            raise RuntimeError("Table.rows() streams the file and can be iterated only once")
        self._started = True
        absent = dict.fromkeys(self.column_map.fields)
        columns, labels, unlabelled = self._columns, self._labels, self._unlabelled
        width_labelled = len(labels)
        nul_rows = self.nul_rows
        for number, cells in self._records:
            self._last = number
            # cells[0].strip() is the same object when there is nothing to strip: usually no
            # allocation at all (this loop runs a million times on a big file)
            if not (cells and (cells[0].strip() or "".join(cells).strip())):
                continue
            width = len(cells)
            values = dict(absent)
            for index, name in columns:
                if index < width:
                    values[name] = cells[index].strip() or None
            stray: tuple[str, ...] = ()
            if unlabelled:
                stray = tuple(labels[i] for i in unlabelled if i < width and cells[i].strip())
            if width > width_labelled:
                stray += tuple(
                    f"[{column_letter(i)}]"
                    for i in range(width_labelled, width)
                    if cells[i].strip()
                )
            nul = self._nul_labels(cells) if nul_rows and number in nul_rows else ()
            yield SourceRow(number, values, cells, labels, stray, nul)
        if self._closed:
            raise ValueError("the table was closed before all its rows were read")


def open_table(
    path: str | os.PathLike[str],
    *,
    column_map: ColumnMap,
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Open a CSV or XLSX export and find its header row.

    ``sheet`` picks an XLSX sheet by name (ignored for CSV); without it the first sheet whose
    header has all the required columns is read. Raises :class:`UnreadableFile` (empty,
    binary, undecodable, unsupported format, unknown sheet: then ``SheetNotFound``),
    :class:`MissingColumns`, :class:`NoMatchingSheet` or :class:`DuplicateColumns`. A file
    with a header and no data is not an error: it has no rows. ``limits`` bound what the file
    may make the process hold (:mod:`yuqi.ingest.limits`; :class:`FileTooLarge`).
    """
    if sniff_format(path, limits) == "xlsx":
        return _open_xlsx(path, column_map, sheet)
    return _open_csv(path, column_map, limits)


# --- CSV -----------------------------------------------------------------------------------


def _open_csv(path: str | os.PathLike[str], column_map: ColumnMap, limit: Limits) -> Table:
    binary = open(path, "rb")  # noqa: SIM115 - closed by the Table, or below on failure
    try:
        encoding = detect_encoding(binary)
        binary.seek(0)
        head = binary.read(SAMPLE_BYTES)
        sample = head.decode(encoding, errors="replace")
        if len(head) == SAMPLE_BYTES:
            sample = sample[: max(sample.rfind("\n"), 0)]
        sample = sample.removeprefix("\ufeff")
        sep = _SEP_LINE.match(sample)
        delimiter = sep.group(1) if sep else sniff_delimiter(sample)
        binary.seek(0)
        size = os.fstat(binary.fileno()).st_size
        text = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")
        nul_rows: set[int] = set()
        records = _csv_records(
            path, text, encoding, delimiter, limit, skip_first=bool(sep), nul_rows=nul_rows
        )
        header = _find_header(records, column_map)
        if header is None:
            raise UnreadableFile(Code.NO_HEADER_ROW)
        if header.match.missing:
            raise MissingColumns(
                header.match.missing, headers=tuple(header.cells), row=header.number
            )
        column_map.check(header.match, header.cells)
    except BaseException:
        binary.close()
        raise
    return Table(
        format="csv",
        column_map=column_map,
        header=header,
        records=records,
        close=text.close,
        progress=lambda _row: binary.tell() / size if size else 1.0,
        encoding=encoding,
        delimiter=delimiter,
        nul_rows=nul_rows,
        path=path,
        sep_line=bool(sep),
        limits=limit,
    )


def _csv_records(
    path: str | os.PathLike[str],
    text: IO[str],
    encoding: str,
    delimiter: str,
    limit: Limits,
    *,
    skip_first: bool,
    nul_rows: set[int],
) -> Records:
    # Process-wide, but set by every reader before it reads, to the limits it was given.
    csv.field_size_limit(limit.cell_chars)
    number = 0
    reader = csv.reader(
        _lines(text, limit.row_bytes, lambda: number + 1, nul_rows), delimiter=delimiter
    )
    try:
        if skip_first:
            next(reader, None)
        for cells in reader:
            number += 1
            yield number, cells
    except UnicodeDecodeError:
        raise UnreadableFile(
            Code.MIXED_ENCODING,
            encoding=encoding,
            offset=locate_decoding_error(path, encoding),
            row=number,
        ) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FileTooLarge(
                Code.CSV_CELL_TOO_LONG,
                row=number + 1,
                limit=f"{limit.cell_chars:,}",
            ) from None
        raise UnreadableFile(
            Code.CSV_INVALID_ROW,
            row=number + 1,
            detail=exc,
        ) from None


def _lines(text: IO[str], most: int, row: Callable[[], int], nul_rows: set[int]) -> Iterator[str]:
    """The file's lines, refusing one longer than ``most`` characters before it is read whole
    (a single 500 MB line would otherwise be one 500 MB string). The number of a row with a
    NUL character goes into ``nul_rows``: the sniffer refuses a file that starts with one, but
    reads only its start."""
    while line := text.readline(most + 1):
        if "\x00" in line:
            nul_rows.add(row())
        if len(line) > most and not line.endswith(("\n", "\r")):
            raise FileTooLarge(
                Code.CSV_ROW_TOO_LONG,
                row=row(),
                limit=f"{most / (1024 * 1024):,.1f}",
            )
        yield line


# --- XLSX ----------------------------------------------------------------------------------


# Columns read past the header's last one, to notice cells under no header (a shifted row).
STRAY_COLUMNS = 16


class _Width:
    """How many columns of a sheet to read: all until the header is known, then the header's
    and ``STRAY_COLUMNS`` more. Else one empty cell in column XFD makes every row 16,384
    cells wide (review F-1's "millions of empty cells": 20,000 such rows took 155 s)."""

    def __init__(self) -> None:
        self.most: int | None = None

    def fit(self, header: Sequence[str]) -> None:
        used = len(header)
        while used and not header[used - 1].strip():
            used -= 1
        self.most = used + STRAY_COLUMNS


def _xlsx_records(worksheet: Any, width: _Width) -> Records:
    worksheet.reset_dimensions()  # stated sizes are often wrong, and would cut rows off
    rows = worksheet.iter_rows(values_only=True)
    reading = width.most
    number = 0
    try:
        while True:
            if width.most != reading:
                # narrowed once the header is known: go on from the next row, fewer columns
                reading = width.most
                rows.close()
                rows = worksheet.iter_rows(min_row=number + 1, max_col=reading, values_only=True)
            try:
                row = next(rows, None)
            except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
                raise UnreadableFile(
                    Code.SHEET_DAMAGED,
                    sheet=worksheet.title,
                    row=number,
                    detail=exc,
                ) from exc
            if row is None:
                return
            number += 1
            yield number, [cell_text(value) for value in row]
    finally:
        rows.close()


def _open_xlsx(path: str | os.PathLike[str], column_map: ColumnMap, sheet: str | None) -> Table:
    import openpyxl

    # A handle, not the path: openpyxl refuses a path whose extension is not .xlsx & co.
    handle = open(path, "rb")  # noqa: SIM115 - closed by the Table, or below on failure
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and the like: not the user's
            workbook = openpyxl.load_workbook(
                handle, read_only=True, data_only=True, keep_links=False
            )
    except Exception as exc:  # damaged or unusual workbooks fail in many ways
        handle.close()
        raise UnreadableFile(Code.XLSX_UNREADABLE, detail=exc) from exc

    def close() -> None:
        workbook.close()
        handle.close()

    try:
        chosen, header, records = _choose_sheet(workbook, column_map, sheet)
        column_map.check(header.match, header.cells)
    except BaseException:
        close()
        raise
    stated_rows = chosen.max_row_stated
    return Table(
        format="xlsx",
        column_map=column_map,
        header=header,
        records=records,
        close=close,
        progress=lambda row: min(row / stated_rows, 1.0) if stated_rows else None,
        sheet=chosen.title,
    )


@dataclass(frozen=True)
class _Sheet:
    title: str
    max_row_stated: int | None


def _choose_sheet(
    workbook: Any, column_map: ColumnMap, name: str | None
) -> tuple[_Sheet, _Header, Records]:
    worksheets = list(workbook.worksheets)
    if not worksheets:
        raise UnreadableFile(Code.NO_WORKSHEETS)
    if name is not None:
        found = [ws for ws in worksheets if ws.title == name] or [
            ws for ws in worksheets if ws.title.strip().casefold() == name.strip().casefold()
        ]
        if not found:
            raise SheetNotFound(name, tuple(ws.title for ws in worksheets))
        worksheets = found[:1]
    lacking: dict[str, tuple[str, ...]] = {}
    for worksheet in worksheets:
        stated = worksheet.max_row
        width = _Width()
        records = _xlsx_records(worksheet, width)
        header = _find_header(records, column_map)
        if header is not None and not header.match.missing:
            width.fit(header.cells)
            return _Sheet(worksheet.title, stated), header, records
        records.close()
        if header is None:
            lacking[worksheet.title] = tuple(spec.name for spec in column_map.required)
            if len(worksheets) == 1:
                raise UnreadableFile(Code.SHEET_EMPTY, sheet=worksheet.title)
            continue
        if len(worksheets) == 1:
            raise MissingColumns(
                header.match.missing,
                headers=tuple(header.cells),
                row=header.number,
                sheet=worksheet.title,
            )
        lacking[worksheet.title] = tuple(spec.name for spec in header.match.missing)
    raise NoMatchingSheet(lacking)
