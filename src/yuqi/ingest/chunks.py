"""A CSV's data rows a chunk of columns at a time, for a reader that checks columns.

:func:`column_chunks` yields the non-blank rows after the header as :class:`Chunk` objects:
their row numbers, and their cells either as Arrow columns or as the lists of text the
row reader (:mod:`yuqi.ingest.reader`) gives.

**Arrow's CSV reader** (``pyarrow.csv``, every column read as text) reads a plain UTF-8 file
(``utf-8`` or ``utf-8-sig``; the header on the first row, no ``sep=`` line, no blank or
unlabelled header cell) without one Python call per row: about a tenth of the CPU of
Python's ``csv`` and the per-row transposition. Its records are the ``csv`` module's for
such a file (quoted line breaks, doubled quotes, a quote inside or after a field, bare
``\\r`` line ends: ``tests/ingest/test_chunks.py`` compares both on hostile files), so row
``n`` of the file is the ``n``-th record, as the row reader numbers it. What it does not take
goes back to the row reader, **from the first row of the block** where it met it, for the
rest of the file, so the row reader enforces its rules and names the row exactly as before:

* a row of another width than the header (Arrow refuses the block), text that is not UTF-8
  (likewise), a row longer than Arrow's block;
* a block holding a cell that might pass ``cell_chars`` or a row that might pass
  ``row_bytes`` (:mod:`yuqi.ingest.limits`), bounded from above by the cells' bytes: the row
  reader then raises :class:`FileTooLarge` naming the row.

A row with a NUL character is kept but noted in the table's ``nul_rows`` (the row reader
notes it the same way); a row that may be blank (no character of its first cell other than
Python's whitespace) is tested as the row reader does, on its cells.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from yuqi.ingest.errors import IngestError

if TYPE_CHECKING:
    import pyarrow as pa

    from yuqi.ingest.reader import Table

__all__ = ["Chunk", "column_chunks"]

# Whether Arrow may read a file that suits it (tests turn it off to compare with the row reader).
ARROW = True
# Arrow's block: a record longer than this is refused by Arrow (then the row reader reads).
BLOCK_BYTES = 4 << 20
# A character for which ``str.isspace()`` is false, as RE2 sees it (``tests/ingest/test_chunks``
# checks the class against every code point).
_NOT_SPACE = "[^\t\n\x0b\x0c\r\x1c-\x1f\x85\\p{Z}]"


@dataclass
class Chunk:
    """Rows of a file, blank rows left out: ``numbers`` (as the row reader numbers them) and
    either ``columns`` (Arrow, one array per column of the header, every row as wide as the
    header) or ``records`` (the cells as the row reader gives them, of any width)."""

    numbers: np.ndarray
    columns: list[pa.Array] | None = None
    records: list[list[str]] | None = None
    progress: float | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def cells(self, index: int) -> list[str]:
        """The cells of one row as the row reader gives them."""
        if self.records is not None:
            return self.records[index]
        assert self.columns is not None
        return [column[index].as_py() for column in self.columns]

    def cut(self, start: int, stop: int) -> Chunk:
        """Rows ``start`` to ``stop`` (Arrow's columns: no copy)."""
        assert self.columns is not None
        return Chunk(
            self.numbers[start:stop],
            columns=[column.slice(start, stop - start) for column in self.columns],
            progress=self.progress,
        )

    def then(self, other: Chunk) -> Chunk:
        """This chunk's rows, then ``other``'s (both read by Arrow)."""
        import pyarrow as pa

        if not len(other):
            return self
        if not len(self):
            return other
        assert self.columns is not None
        assert other.columns is not None
        return Chunk(
            np.concatenate([self.numbers, other.numbers]),
            columns=[
                pa.concat_arrays([mine, theirs])
                for mine, theirs in zip(self.columns, other.columns, strict=True)
            ],
            progress=other.progress,
        )

    def columns_of(
        self, positions: Sequence[int], width: int, plain: bool, nul_rows: set[int]
    ) -> tuple[list[int], list[pa.Array]]:
        """The rows a column check may take (as wide as the header, which labels every cell;
        no NUL character), and the columns at ``positions`` for those rows."""
        import pyarrow as pa

        if self.columns is not None:
            numbers = self.numbers
            if nul_rows and (nul := np.isin(numbers, np.fromiter(nul_rows, np.int64))).any():
                keep = ~nul
                candidates = np.flatnonzero(keep).tolist()
                mask = pa.array(keep)
                return candidates, [self.columns[p].filter(mask) for p in positions]
            return list(range(len(numbers))), [self.columns[p] for p in positions]
        assert self.records is not None
        records, numbers = self.records, self.numbers.tolist()
        candidates = [
            index
            for index, cells in enumerate(records)
            if len(cells) == width and plain and not (nul_rows and numbers[index] in nul_rows)
        ]
        # The chunk turned into columns in one C-level pass (zip), only the mapped ones kept.
        transposed = list(zip(*(records[i] for i in candidates), strict=True))
        arrays = [
            pa.array(transposed[position] if transposed else [], pa.string())
            for position in positions
        ]
        return candidates, arrays


def column_chunks(table: Table, rows: int) -> Iterator[Chunk]:
    """The table's non-blank data rows in chunks of ``rows`` (the last one shorter; see the
    module's docstring), cut where the row reader's chunks are cut. Raises what the row
    reader raises, where it raises it."""
    last = table.header_row
    carry: Chunk | None = None
    if _arrow_suits(table):
        for chunk, last in _arrow_chunks(table, rows):  # noqa: B007 - last is read below
            if chunk is None:
                break  # Arrow stops here: the row reader goes on after row ``last``
            carry = chunk if carry is None else carry.then(chunk)
            while len(carry) >= rows:
                yield carry.cut(0, rows)
                carry = carry.cut(rows, len(carry))
        else:
            if carry is not None:
                yield carry  # Arrow read the file to its end
            return
    yield from _row_chunks(table, rows, after=last, carry=carry)


def _row_chunks(table: Table, rows: int, *, after: int, carry: Chunk | None) -> Iterator[Chunk]:
    numbers: list[int] = carry.numbers.tolist() if carry is not None else []
    records: list[list[str]] = (
        [carry.cells(i) for i in range(len(carry))] if carry is not None else []
    )
    try:
        for number, cells in table.records():
            if number <= after:
                continue  # read by Arrow already
            # Table.blank, inlined: this loop runs once per row of the file.
            if not (cells and (cells[0].strip() or "".join(cells).strip())):
                continue
            numbers.append(number)
            records.append(cells)
            if len(records) >= rows:
                yield Chunk(np.array(numbers, np.int64), records=records, progress=table.progress())
                numbers, records = [], []
    except IngestError:
        # The file cannot be read past here: the rows before it first.
        yield Chunk(np.array(numbers, np.int64), records=records, progress=table.progress())
        raise
    yield Chunk(np.array(numbers, np.int64), records=records, progress=table.progress())


def _arrow_suits(table: Table) -> bool:
    return (
        ARROW
        and table.format == "csv"
        and table.path is not None
        and table.encoding in ("utf-8", "utf-8-sig")
        and table.header_row == 1
        and not table.sep_line
        and table.plain
        and len(table.headers) == table.width >= 2
        and table.delimiter is not None
        and len(table.delimiter) == 1
        and table.delimiter not in '"\r\n'
    )


class _Unsure(Exception):
    """A block the row reader must read (a limit might be passed)."""


def _arrow_chunks(table: Table, rows: int) -> Iterator[tuple[Chunk | None, int]]:
    """(chunk, number of its last record) pairs; (None, n) when the row reader must go on
    after record ``n`` (Arrow refused what follows, or a limit might be passed)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    assert table.path is not None
    assert table.delimiter is not None
    width = table.width
    source = pa.OSFile(str(table.path))
    size = source.size()
    try:
        reader = pa_csv.open_csv(
            source,
            read_options=pa_csv.ReadOptions(
                autogenerate_column_names=True, block_size=BLOCK_BYTES, use_threads=False
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=table.delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except pa.ArrowInvalid:
        source.close()
        yield None, table.header_row
        return
    try:
        # A chunk is handed on only once the next block has been read: when Arrow stops, the
        # row reader goes on after the last chunk handed on, at least a block (more than the
        # row reader's own read-ahead) before what stopped Arrow, so it stops where it
        # always did (a wrong byte is met by its decoder a little before its row).
        records = 0  # records read so far, the header's included: the last one's number
        handed = 0  # records handed on in chunks
        ready: tuple[Chunk, int] | None = None
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid:
                batch = None
            if batch is not None:
                if records == 0 and not _header_matches(batch, table):
                    yield None, table.header_row
                    return
                try:
                    _check_limits(batch, table)
                except _Unsure:
                    batch = None
            if batch is None:
                yield None, handed
                return
            if ready is not None:
                yield ready
                handed, ready = ready[1], None
            pending.append(batch)
            pending_rows += batch.num_rows
            records += batch.num_rows
            if pending_rows >= rows:
                ready = _chunk(pending, records - pending_rows, table, size, source), records
                pending, pending_rows = [], 0
        if ready is not None:
            yield ready
        yield _chunk(pending, records - pending_rows, table, size, source), records
    finally:
        source.close()


def _header_matches(batch: pa.RecordBatch, table: Table) -> bool:
    if batch.num_columns != table.width or not batch.num_rows:
        return False
    return [column[0].as_py() for column in batch.columns] == list(table.headers)


def _check_limits(batch: pa.RecordBatch, table: Table) -> None:
    """Raise :class:`_Unsure` when a cell or row of the batch might pass the table's limits
    (bytes bound characters from above; a record's text is at most twice its cells' bytes,
    quotes doubled, plus two quotes and a delimiter a cell)."""
    import pyarrow.compute as pc

    limits = table.limits
    lengths = [pc.binary_length(column) for column in batch.columns]
    longest = [pc.max(length).as_py() or 0 for length in lengths]
    if max(longest, default=0) > limits.cell_chars:
        raise _Unsure
    if sum(2 * most + 3 for most in longest) <= limits.row_bytes:
        return
    total = lengths[0]
    for length in lengths[1:]:
        total = pc.add(total, length)
    if 2 * (pc.max(total).as_py() or 0) + 3 * len(lengths) > limits.row_bytes:
        raise _Unsure


def _chunk(
    batches: list[pa.RecordBatch], first: int, table: Table, size: int, source: pa.OSFile
) -> Chunk:
    """The batches' rows as one chunk; ``first`` records were read before them (so the first
    row is number ``first + 1``). The header (record 1) and blank rows are left out."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = (
        [
            pa.concat_arrays([batch.column(i) for batch in batches])
            if len(batches) > 1
            else batches[0].column(i)
            for i in range(table.width)
        ]
        if batches
        else []
    )
    count = sum(batch.num_rows for batch in batches)
    numbers = np.arange(first + 1, first + 1 + count, dtype=np.int64)
    keep: np.ndarray | None = None
    if first == 0 and count:  # the header
        keep = np.ones(count, bool)
        keep[0] = False
    if count:
        # Blank rows: a row whose first cell holds a character other than whitespace is
        # not; the others (few) are tested on their cells as the row reader does.
        solid = pc.match_substring_regex(columns[0], _NOT_SPACE).to_numpy(zero_copy_only=False)
        if not solid.all():
            for index in np.flatnonzero(~solid).tolist():
                cells = [column[index].as_py() for column in columns]
                if not "".join(cells).strip():
                    if keep is None:
                        keep = np.ones(count, bool)
                    keep[index] = False
        for column in columns:
            data = column.buffers()[2]
            if data is not None and b"\x00" in data.to_pybytes():
                nul = pc.match_substring(column, "\x00").to_numpy(zero_copy_only=False)
                table.nul_rows.update(numbers[nul].tolist())
    if keep is not None:
        mask = pa.array(keep)
        columns = [column.filter(mask) for column in columns]
        numbers = numbers[keep]
    return Chunk(numbers, columns=columns, progress=source.tell() / size if size else 1.0)
