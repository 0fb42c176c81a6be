"""Hostile workbooks for tests and benchmarks, small on disk: ZIP entries written by streaming
(``ZipFile.open(name, "w")``), so a 500 MB part never exists in memory or on disk expanded."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# customer_id | customer_name, then one customer whose name is shared string 2
_SHEET = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c><c r="B2" t="s"><v>2</v></c>'
    "</row></sheetData></worksheet>"
)
_STRINGS_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'
MB = 1024 * 1024

Chunks = Callable[[], Iterator[bytes]]


def _strings(text: Chunks) -> Iterator[bytes]:
    yield (
        _STRINGS_HEAD + "<si><t>customer_id</t></si><si><t>customer_name</t></si><si><t>"
    ).encode()
    yield from text()
    yield b"</t></si></sst>"


def workbook(path: Path, *, strings: Chunks | None = None, sheet: Chunks | None = None) -> Path:
    """A one-sheet customers workbook; ``strings`` streams the text of shared string 2 (the
    customer's name), ``sheet`` the whole worksheet XML instead of the small one."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, chunks in (
            ("xl/worksheets/sheet1.xml", sheet or (lambda: iter([_SHEET.encode()]))),
            ("xl/sharedStrings.xml", lambda: _strings(strings or (lambda: iter([b"Zhao"])))),
        ):
            with archive.open(name, "w", force_zip64=True) as entry:
                for chunk in chunks():
                    entry.write(chunk)
    return path


def repeated(byte: bytes, megabytes: float) -> Chunks:
    """``megabytes`` of one byte repeated: compresses about a thousandfold."""

    def chunks() -> Iterator[bytes]:
        block, left = byte * MB, int(megabytes * MB)
        while left > 0:
            yield block[:left]
            left -= MB

    return chunks


def distinct_strings(megabytes: float) -> Chunks:
    """Shared strings 3, 4, … of seven digits each until ``megabytes``: compresses only
    about fivefold, like real text."""

    def chunks() -> Iterator[bytes]:
        written, number = 0, 0
        while written < megabytes * MB:
            chunk = b"".join(b"<si><t>%07d</t></si>" % (number + k) for k in range(10_000))
            number += 10_000
            written += len(chunk)
            yield chunk

    # the first string closes the name's <t> opened by _strings, the last one is left open
    def closed() -> Iterator[bytes]:
        yield b"x</t></si>"
        yield from chunks()
        yield b"<si><t>y"

    return closed


def zip_bomb(path: Path, megabytes: float = 500) -> Path:
    """The review's F-1 bomb: one customer whose name is ``megabytes`` of "a" (500 MB from a
    ~0.5 MB file)."""
    return workbook(path, strings=repeated(b"a", megabytes))


def wide_row(cells: int, *, refs: bool) -> Chunks:
    """A worksheet whose second row has ``cells`` empty cells: ``<c/>`` (compresses a
    thousandfold) or, with ``refs``, each with its own reference (compresses far less)."""

    def chunks() -> Iterator[bytes]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c>'
        ).encode()
        for start in range(0, cells, 10_000):
            if refs:
                yield b"".join(b'<c r="B%d"/>' % n for n in range(start, start + 10_000))
            else:
                yield b"<c/>" * 10_000
        yield b"</row></sheetData></worksheet>"

    return chunks


def far_empty_cells(rows: int) -> Chunks:
    """A customers worksheet whose ``rows`` data rows each have an empty cell in the last
    column Excel has (XFD, the 16,384th): compresses only about eightfold."""

    def chunks() -> Iterator[bytes]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        ).encode()
        for start in range(2, rows + 2, 10_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>C%d</t></is></c><c r="XFD%d"/></row>'
                % (n, n, n, n)
                for n in range(start, min(start + 10_000, rows + 2))
            )
        yield b"</sheetData></worksheet>"

    return chunks
