"""The columnar import reading a plain UTF-8 CSV with Arrow (:mod:`yuqi.ingest.chunks`):
the same counts, error report and stored rows as with the row reader, on hostile files."""

from __future__ import annotations

import pytest
from django.db import connection  # noqa: F401 - named by the skipif condition

from tests.customers.factories import CustomerFactory
from tests.imports.files import write_csv
from tests.imports.test_bulk_checks import HEADERS, row
from tests.imports.test_columnar import PLAIN, _import, _lines, _report, _stored
from yuqi.imports import columnar
from yuqi.ingest import chunks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="COPY is PostgreSQL's"),
]

# Past the sniffer's 64 KiB sample, which refuses a file starting with a NUL character.
PADDING = [
    row(
        f"PAD{n}",
        arrived_at=f"2026-11-03 {n // 60 % 24:02d}:{n % 60:02d}:00",
        answered_at="",
        ended_at=f"2026-11-03 {n // 60 % 24:02d}:{n % 60:02d}:30",
    )
    for n in range(900)
]
HOSTILE = [
    row("X1", notes='two\nlines, "quoted", and a comma'),
    row("X2", notes="cr\r\nlf"),
    row("X3", category="@SUM(A1)", notes="-2+3"),
    row("X4", notes="+cmd"),
    row("X5", notes="a\x00b"),  # a NUL character: refused, naming the cell
    row("X6", notes="长" * 20_000),  # a huge (allowed) cell
    row("X7", caller_number=" 13812345678 "),
    row("X1", notes="again"),  # a duplicate of a row read by Arrow
]
RAGGED = [
    "R1,电话",  # too few cells
    ",".join(row("R2")) + ",stray,cells",  # too many
    "",  # a blank line
    "   ",  # whitespace only
    ",".join(row("R3")),  # a plain row after them (read by the row reader)
]


def _even() -> list[list[str]]:
    """The mixed file's lines as wide as its header (Arrow stops at the others)."""
    return [line for line in _lines() if len(line) == len(HEADERS)]


def _write(path, *, ragged: bool):
    write_csv(path, [*_even(), *PADDING, *HOSTILE])
    if ragged:
        with path.open("ab") as handle:
            handle.write(("\n".join(RAGGED) + "\n").encode())
            handle.write(path.read_bytes().split(b"\n", 1)[1][:2000].rsplit(b"\n", 1)[0])
    return path


@pytest.mark.parametrize("ragged", [False, True], ids=["arrow to the end", "rows from the stop"])
def test_arrow_stores_and_reports_what_the_row_reader_does(tmp_path, monkeypatch, ragged):
    CustomerFactory(external_id="C1")
    path = _write(tmp_path / "hostile.csv", ragged=ragged)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 97)  # several chunks
    monkeypatch.setattr(columnar, "MOST_SLOW", 1.0)  # never give way to the row path
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    # Blocks of 64 KiB (a huge cell of 60 KB fits): Arrow hands on six chunks, then stops.
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 64 << 10 if ragged else 4 << 20)
    read = []
    real = chunks.Chunk.__init__

    def init(self, *args, **kwargs):
        real(self, *args, **kwargs)
        read.append("arrow" if self.columns is not None else "rows")

    monkeypatch.setattr(chunks.Chunk, "__init__", init)
    arrow = _import(path, "arrow")
    assert "arrow" in read
    assert ("rows" in read) == ragged
    again = _import(path, "arrow")
    assert (again.rows_created, again.rows_updated) == (0, 0)
    monkeypatch.setattr(chunks, "ARROW", False)
    read.clear()
    rows = _import(path, "rows")
    assert set(read) == {"rows"}

    counts = ("rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected")
    assert [getattr(arrow, n) for n in counts] == [getattr(rows, n) for n in counts]
    assert _report(arrow) == _report(rows)
    assert _report(again) == _report(rows)
    assert _stored("arrow") == _stored("rows")
    assert len(_stored("arrow")) == arrow.rows_created > len(PLAIN) + len(PADDING)
    first = len(_even()) + len(PADDING) + 1  # the number of HOSTILE[0]'s row
    named = {int(line[0]) for line in _report(arrow)}
    assert {first + 4, first + 7} <= named  # the NUL cell, the duplicate
    assert {first + 8, first + 9} <= named or not ragged  # too few cells, stray cells
