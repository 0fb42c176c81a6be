"""Reading a CSV by columns (:mod:`yuqi.ingest.chunks`): Arrow's reader gives the rows,
numbers, NUL marks and errors the row reader gives, on hostile files too."""

from __future__ import annotations

import sys

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from yuqi.ingest import chunks
from yuqi.ingest.errors import IngestError
from yuqi.ingest.limits import Limits
from yuqi.ingest.maps import INTERACTION_COLUMNS
from yuqi.ingest.reader import open_table

HEADER = "通话ID,渠道,进线时间,结束时间,业务类型,备注"


def _row(n: int, *, note: str = "ok", category: str = "咨询") -> str:
    return f"C{n:05d},电话,2026-11-02 10:00:{n % 60:02d},2026-11-02 10:05:00,{category},{note}"


def _file(rows: list[str], *, newline: str = "\n", bom: bool = False) -> bytes:
    text = newline.join([HEADER, *rows]) + newline
    return ("\ufeff" * bom + text).encode("utf-8")


PLAIN = [_row(n) for n in range(1, 200)]
# Past the sniffer's 64 KiB sample (which refuses a NUL and picks the encoding).
LONG = [_row(n) for n in range(1, 1200)]

HOSTILE: dict[str, bytes] = {
    "plain": _file(PLAIN),
    "crlf and a BOM": _file(PLAIN, newline="\r\n", bom=True),
    "bare CR line ends": _file(PLAIN, newline="\r"),
    "formula-like cells": _file(
        [
            *PLAIN[:50],
            _row(900, category="=cmd|' /C calc'!A0"),
            '=1+1,电话,x,y,z,"@SUM(A1)"',
            *PLAIN[50:],
        ]
    ),
    "embedded newlines and quotes": _file(
        [
            *PLAIN[:30],
            _row(901, note='"two\nlines, and ""quoted"""'),
            _row(902, note='"cr\r\nlf"'),
            _row(903, note='x"y'),  # a quote inside an unquoted cell
            _row(904, note='"ab"c'),  # text after the closing quote
            _row(905, note=' "spaced"'),
            *PLAIN[30:],
        ]
    ),
    "blank and whitespace rows": _file(
        [*PLAIN[:20], "", "   ", ",,,,,", " , ,\u3000, , ,\t", "\x1c,,,,,", *PLAIN[20:]]
    ),
    "a blank first cell": _file([*PLAIN[:20], " " + _row(906), ",电话,a,b,c,d", *PLAIN[20:]]),
    "ragged rows": _file([*PLAIN[:40], "C1,电话", _row(907) + ",extra,cells", *PLAIN[40:]]),
    "a NUL character": _file([*LONG[:1100], _row(908, note="a\x00b"), *LONG[1100:]]),
    "a huge cell": _file([*PLAIN[:70], _row(909, note="长" * 20_000), *PLAIN[70:]]),
    "a cell over the limit": _file([*PLAIN[:80], _row(910, note="x" * 600), *PLAIN[80:]]),
    "a row over the limit": _file([*PLAIN[:90], _row(911, note=",".join(["y" * 200] * 8))]),
    "another encoding inside": _file(LONG[:1100])
    + _row(99912, note="投诉").encode("gb18030")
    + b"\n"
    + _file(LONG[1100:])[len(HEADER.encode()) + 1 :],
    "an unclosed quote": _file([*PLAIN[:100], _row(913, note='"never closed')]),
    "trailing text without a line end": _file(PLAIN)[:-1],
}
# Files Arrow reads to their end (the others go back to the row reader where Arrow stops).
ARROW_READS = {
    "plain",
    "crlf and a BOM",
    "bare CR line ends",
    "formula-like cells",
    "embedded newlines and quotes",
    "a NUL character",
    "a huge cell",
    "trailing text without a line end",
}
LIMITS = Limits(cell_chars=500, row_bytes=1_000)


def _read(path, limits: Limits, rows: int) -> tuple[list, list, set[int], tuple | None, list, bool]:
    numbers, cells, error, arrow = [], [], None, False
    sizes = []  # chunks are cut where the row reader cuts them
    with open_table(path, column_map=INTERACTION_COLUMNS, limits=limits) as table:
        try:
            for chunk in chunks.column_chunks(table, rows):
                arrow |= chunk.columns is not None
                numbers += chunk.numbers.tolist()
                cells += [chunk.cells(i) for i in range(len(chunk))]
                sizes += [len(chunk)] if len(chunk) else []
        except IngestError as exc:
            error = (type(exc).__name__, exc.template, exc.params)
        return numbers, cells, set(table.nul_rows), error, sizes, arrow


@pytest.mark.parametrize("name", list(HOSTILE))
# One block, or a block every ~200 rows (a block is larger than the row reader's read-ahead).
@pytest.mark.parametrize("block", [1 << 20, 16 << 10])
def test_arrow_reads_what_the_row_reader_reads(tmp_path, monkeypatch, name, block):
    path = tmp_path / "file.csv"
    path.write_bytes(HOSTILE[name])
    limits = LIMITS if "limit" in name else Limits()
    monkeypatch.setattr(chunks, "BLOCK_BYTES", block)
    *arrow, used = _read(path, limits, rows=37)
    monkeypatch.setattr(chunks, "ARROW", False)
    *rows, unused = _read(path, limits, rows=37)
    assert not unused
    assert arrow == rows
    numbers, cells, _nul, _error, _sizes = rows
    assert numbers == sorted(set(numbers))
    assert len(cells) == len(numbers)
    if name in ARROW_READS and block > len(HOSTILE[name]):
        assert used, "Arrow read the file"
    if name == "plain":
        assert used
        assert numbers == list(range(2, 201))


def test_errors_name_the_row_as_before(tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes(HOSTILE["a cell over the limit"])
    *_, error, _sizes, _used = _read(path, LIMITS, rows=37)
    assert error is not None
    assert error[2]["row"] == 82
    data = HOSTILE["another encoding inside"]
    path.write_bytes(data)
    *_, error, _sizes, _used = _read(path, Limits(), rows=37)
    # the offset is exact; the row is where the row reader's decoder met it, as before
    assert error is not None
    assert error[2]["offset"] == data.index(b"C99912,") + len(b"C99912,")


def test_a_file_arrow_does_not_suit_is_read_by_the_row_reader(tmp_path):
    for data in (
        ("sep=,\n" + HEADER + "\n" + _row(1) + "\n").encode(),  # Excel's sep= line
        ("标题\n" + HEADER + "\n" + _row(1) + "\n").encode(),  # a title above the header
        (HEADER + ",,\n" + _row(1) + ",,\n").encode(),  # blank header cells
        (HEADER + "\n" + _row(1) + "\n").encode("gb18030"),
    ):
        path = tmp_path / "file.csv"
        path.write_bytes(data)
        numbers, _cells, _nul, error, _sizes, used = _read(path, Limits(), rows=37)
        assert not used
        assert error is None
        assert len(numbers) == 1


@pytest.mark.skipif(sys.maxunicode < 0x10FFFF, reason="needs every code point")
def test_the_not_space_class_is_pythons_whitespace():
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    found = pc.match_substring_regex(pa.array(points), chunks._NOT_SPACE).to_pylist()
    assert [c for c, solid in zip(points, found, strict=True) if not solid] == [
        c for c in points if c.isspace()
    ]
