"""Files that would take more memory than they are worth are refused before they are
expanded, with an error naming the limit (security review F-1)."""

from __future__ import annotations

import json
import re
import zipfile

import openpyxl
import pytest

from tests.ingest import bombs
from yuqi.core.private_files import open_private
from yuqi.ingest import ErrorReport
from yuqi.ingest.limits import MB, FileTooLarge, Limits
from yuqi.ingest.maps import CUSTOMER_COLUMNS
from yuqi.ingest.reader import open_table
from yuqi.ingest.report import KEEP_CHARS


@pytest.fixture
def no_expanding(monkeypatch):
    """Fail the test if openpyxl is asked to open the workbook at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path, no_expanding):
    path = bombs.zip_bomb(tmp_path / "bomb.xlsx", megabytes=50)
    assert path.stat().st_size < 100_000
    with pytest.raises(FileTooLarge) as caught:
        open_table(path, column_map=CUSTOMER_COLUMNS)
    assert re.fullmatch(  # the ratio depends a little on the zlib build
        r"The workbook's part xl/sharedStrings\.xml expands 1,0\d\d times its compressed size "
        r"\(50\.0 MB\), more than the ×100 allowed \(YUQI_XLSX_MAX_RATIO\): it may be a ZIP "
        r"bomb\. Save the sheet as CSV\.",
        str(caught.value),
    )


def test_the_refusal_is_in_chinese_too(tmp_path, no_expanding):
    from django.utils import translation

    path = bombs.zip_bomb(tmp_path / "bomb.xlsx", megabytes=2)
    with pytest.raises(FileTooLarge) as caught:
        open_table(path, column_map=CUSTOMER_COLUMNS)
    with translation.override("zh-hans"):  # rendered in the language of the moment
        assert re.fullmatch(
            r"该工作簿的部件 xl/sharedStrings\.xml 展开后是压缩大小的 9\d\d 倍（2\.0 MB），"
            r"超过允许的 100 倍（YUQI_XLSX_MAX_RATIO），可能是 ZIP 炸弹。请将工作表另存为 CSV。",
            str(caught.value),
        )


def test_huge_shared_strings_that_compress_little_are_refused(tmp_path, no_expanding):
    limits = Limits(xlsx_part_bytes=1 * MB)
    path = bombs.workbook(tmp_path / "strings.xlsx", strings=bombs.distinct_strings(2))
    with pytest.raises(
        FileTooLarge,
        match=r"sharedStrings\.xml expands to 2\.2 MB, more than "
        r"the 1\.0 MB allowed for a part read whole \(YUQI_XLSX_MAX_PART_MB\)",
    ):
        open_table(path, column_map=CUSTOMER_COLUMNS, limits=limits)


def test_a_workbook_expanding_beyond_the_total_is_refused(tmp_path, no_expanding):
    limits = Limits(xlsx_total_bytes=1 * MB)
    path = bombs.workbook(tmp_path / "strings.xlsx", strings=bombs.distinct_strings(2))
    with pytest.raises(FileTooLarge, match=r"more than the 1\.0 MB allowed \(YUQI_XLSX_MAX_TOTAL"):
        open_table(path, column_map=CUSTOMER_COLUMNS, limits=limits)


def test_a_row_of_millions_of_empty_cells_is_refused(tmp_path, no_expanding):
    path = bombs.workbook(tmp_path / "wide.xlsx", sheet=bombs.wide_row(2_000_000, refs=False))
    with pytest.raises(FileTooLarge, match=r"sheet1\.xml expands 1,\d{3} times.*RATIO"):
        open_table(path, column_map=CUSTOMER_COLUMNS)


def test_a_row_too_long_to_hold_is_refused_even_when_it_compresses_little(tmp_path, no_expanding):
    limits = Limits(xlsx_ratio=10_000)
    path = bombs.workbook(tmp_path / "wide.xlsx", sheet=bombs.wide_row(300_000, refs=True))
    with pytest.raises(
        FileTooLarge,
        match=r"A row of the workbook's part xl/worksheets/sheet1\.xml is longer than the 2\.0 MB"
        r" allowed for one row \(YUQI_IMPORT_MAX_ROW_MB\)",
    ):
        open_table(path, column_map=CUSTOMER_COLUMNS, limits=limits)


def test_a_workbook_within_the_limits_is_read(tmp_path):
    limits = Limits(row_bytes=1 * MB)  # the worksheet is over 1 MB, in rows far shorter
    rows = [["customer_id", "customer_name"]] + [[f"C{n}", f"name {n}"] for n in range(25_000)]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1 << 20
    with open_table(tmp_path / "ok.xlsx", column_map=CUSTOMER_COLUMNS, limits=limits) as table:
        assert sum(1 for _row in table.rows()) == 25_000


def test_a_csv_line_longer_than_a_row_may_be_is_refused_before_it_is_read(tmp_path):
    limits = Limits(row_bytes=1 * MB)
    path = tmp_path / "long.csv"
    path.write_bytes(b"customer_id,customer_name\nC1,ok\nC2," + b"x" * (3 << 20) + b"\nC3,ok\n")
    with open_table(path, column_map=CUSTOMER_COLUMNS, limits=limits) as table:
        rows = table.rows()
        assert next(rows).values["name"] == "ok"
        with pytest.raises(
            FileTooLarge,
            match=r"^Row 3 is longer than the 1\.0 MB allowed for one row "
            r"\(YUQI_IMPORT_MAX_ROW_MB\); the rows before it are imported\.$",
        ):
            next(rows)


def test_a_csv_cell_over_the_cell_limit_names_the_limit(tmp_path):
    limits = Limits(cell_chars=1000)
    path = tmp_path / "long.csv"
    path.write_bytes(b'customer_id,customer_name\nC1,ok\nC2,"' + b"x\n" * 1000 + b'"\n')
    with open_table(path, column_map=CUSTOMER_COLUMNS, limits=limits) as table:
        rows = table.rows()
        next(rows)
        with pytest.raises(FileTooLarge, match=r"Row 3 has a cell longer than the 1,000 char"):
            next(rows)


def test_the_error_report_cuts_long_values(tmp_path):
    path = tmp_path / "errors.csv"
    long = "长" * 10_000_000
    with ErrorReport(path, opener=open_private) as report:
        report.add(2, "name", f"“{long}” is too long", {"name": long, "id": "C1"})
    assert path.stat().st_size < 10 * KEEP_CHARS
    line = path.read_text("utf-8-sig").splitlines()[1]
    original = json.loads(line[line.index("{") : line.rindex("}") + 1].replace('""', '"'))
    assert original["id"] == "C1"
    assert original["name"] == "长" * KEEP_CHARS + "… [cut: 10,000,000 characters in all]"


def test_an_empty_cell_in_column_xfd_does_not_make_every_row_16384_cells_wide(tmp_path):
    """Such a sheet compresses too little for the ratio limit; read at full width, 20,000 of
    its rows took 155 s. Past the header only its columns and STRAY_COLUMNS more are read."""
    from yuqi.ingest.reader import STRAY_COLUMNS

    path = bombs.workbook(tmp_path / "far.xlsx", sheet=bombs.far_empty_cells(3000))
    with open_table(path, column_map=CUSTOMER_COLUMNS) as table:
        rows = list(table.rows())
    assert [row.number for row in rows] == list(range(2, 3002))
    assert rows[-1].values["external_id"] == "C3001"
    assert max(len(row.cells) for row in rows) == 2 + STRAY_COLUMNS


def test_cells_just_past_the_header_are_still_noticed_in_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["customer_id", "customer_name"])
    book.active.append(["C1", "赵敏", None, None, "shifted"])
    book.save(tmp_path / "stray.xlsx")
    with open_table(tmp_path / "stray.xlsx", column_map=CUSTOMER_COLUMNS) as table:
        (row,) = table.rows()
    assert row.stray == ("[E]",)
