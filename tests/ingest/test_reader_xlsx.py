"""Reading XLSX workbooks: choosing the sheet, cell values as canonical text, bad workbooks."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from yuqi.ingest.errors import MissingColumns, NoMatchingSheet, SheetNotFound, UnreadableFile
from yuqi.ingest.maps import CUSTOMER_COLUMNS, INTERACTION_COLUMNS
from yuqi.ingest.reader import cell_text, open_table


def workbook(path, sheets: dict[str, list[list[object]]]):
    """Write a workbook whose sheets hold these rows (None is an empty cell)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


NOTES = [["本表由话务系统导出"], ["请勿修改表头"]]
SUMMARY = [["技能组", "通话量"], ["账单查询", 120]]
CALLS = [
    ["通话ID", "渠道", "进线时间", "等待时长(秒)", "是否放弃"],
    ["C1", "电话", dt.datetime(2026, 11, 24, 8, 5, 3), 12, False],
    ["C2", "在线客服", dt.datetime(2026, 11, 24, 8, 6, 0), 3.0, True],
]


def test_the_first_sheet_with_the_required_columns_is_read(tmp_path):
    path = workbook(tmp_path / "calls.xlsx", {"说明": NOTES, "汇总": SUMMARY, "明细": CALLS})
    with open_table(path, column_map=INTERACTION_COLUMNS) as table:
        assert (table.format, table.sheet, table.encoding) == ("xlsx", "明细", None)
        rows = list(table.rows())
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].values["arrived_at"] == "2026-11-24 08:05:03"
    assert rows[0].values["wait_seconds"] == "12"
    assert rows[1].values["wait_seconds"] == "3"
    assert rows[1].values["abandoned"] == "true"


def test_a_named_sheet_is_read(tmp_path):
    other = [row[:] for row in CALLS]
    other[1][0] = "X1"
    path = workbook(tmp_path / "calls.xlsx", {"十一月": CALLS, "十二月": other})
    with open_table(path, column_map=INTERACTION_COLUMNS, sheet="十二月") as table:
        assert table.sheet == "十二月"
        assert next(table.rows()).values["external_id"] == "X1"


def test_an_absent_sheet_name_lists_the_sheets(tmp_path):
    path = workbook(tmp_path / "calls.xlsx", {"说明": NOTES, "明细": CALLS})
    with pytest.raises(SheetNotFound) as caught:
        open_table(path, column_map=INTERACTION_COLUMNS, sheet="通话")
    assert caught.value.sheets == ("说明", "明细")
    assert "no sheet named “通话”; its sheets are: “说明”, “明细”" in str(caught.value)


def test_no_matching_sheet_says_what_each_lacks(tmp_path):
    path = workbook(tmp_path / "calls.xlsx", {"说明": NOTES, "汇总": SUMMARY, "空": []})
    with pytest.raises(NoMatchingSheet) as caught:
        open_table(path, column_map=INTERACTION_COLUMNS)
    required = ("external_id", "channel", "arrived_at")
    assert caught.value.lacking == {"说明": required, "汇总": required, "空": required}
    assert "“汇总”: external_id, channel, arrived_at" in str(caught.value)


def test_a_named_sheet_without_the_columns_names_the_sheet(tmp_path):
    path = workbook(tmp_path / "calls.xlsx", {"汇总": SUMMARY, "明细": CALLS})
    with pytest.raises(MissingColumns, match="Sheet “汇总” lacks required columns") as caught:
        open_table(path, column_map=INTERACTION_COLUMNS, sheet="汇总")
    assert caught.value.sheet == "汇总"


def test_an_empty_single_sheet_is_unreadable(tmp_path):
    path = workbook(tmp_path / "empty.xlsx", {"Sheet1": []})
    with pytest.raises(UnreadableFile, match="Sheet “Sheet1” is empty"):
        open_table(path, column_map=CUSTOMER_COLUMNS)


def test_a_header_only_sheet_has_zero_rows(tmp_path):
    path = workbook(tmp_path / "customers.xlsx", {"客户": [["客户编号", "客户姓名"]]})
    with open_table(path, column_map=CUSTOMER_COLUMNS) as table:
        assert list(table.rows()) == []


def test_row_numbers_count_empty_rows_and_title_rows(tmp_path):
    path = tmp_path / "customers.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "客户资料 2026-11"
    sheet["B3"], sheet["C3"] = "客户编号", "客户姓名"
    sheet["B4"], sheet["C4"] = "K1", "赵敏"
    sheet["B7"], sheet["C7"] = "K2", "李娜"
    book.save(path)
    with open_table(path, column_map=CUSTOMER_COLUMNS) as table:
        assert table.header_row == 3
        assert table.headers == ("", "客户编号", "客户姓名")
        rows = list(table.rows())
    assert [(row.number, row.values["name"]) for row in rows] == [(4, "赵敏"), (7, "李娜")]
    assert rows[0].stray == ()


def test_an_xlsx_renamed_csv_is_read_as_a_workbook(tmp_path):
    path = workbook(tmp_path / "calls.csv", {"明细": CALLS})
    with open_table(path, column_map=INTERACTION_COLUMNS) as table:
        assert table.format == "xlsx"


def test_a_damaged_workbook_is_unreadable(tmp_path):
    good = workbook(tmp_path / "good.xlsx", {"明细": CALLS}).read_bytes()
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableFile, match=r"damaged|cannot be read"):
        open_table(path, column_map=INTERACTION_COLUMNS)


def test_a_zip_with_a_workbook_part_but_garbage_inside_is_unreadable(tmp_path):
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    with pytest.raises(UnreadableFile, match="workbook cannot be read"):
        open_table(path, column_map=INTERACTION_COLUMNS)


def test_progress_follows_the_rows(tmp_path):
    path = workbook(tmp_path / "calls.xlsx", {"明细": CALLS})
    with open_table(path, column_map=INTERACTION_COLUMNS) as table:
        list(table.rows())
        assert table.progress() == 1.0


def test_cells_become_canonical_text():
    assert cell_text(None) == ""
    assert cell_text(" 赵敏 ") == " 赵敏 "
    assert cell_text(13812345678) == "13812345678"
    assert cell_text(185.0) == "185"
    assert cell_text(185.5) == "185.5"
    assert cell_text(0.1) == "0.1"
    assert cell_text(110101199001011234.0) == "1.1010119900101123e+17"
    assert cell_text(True) == "true"
    assert cell_text(dt.datetime(2026, 11, 24, 8, 5, 3)) == "2026-11-24 08:05:03"
    assert cell_text(dt.datetime(2026, 11, 24, 8, 5, 3, 500000)) == "2026-11-24 08:05:03.500000"
    assert cell_text(dt.date(2026, 11, 24)) == "2026-11-24"
    assert cell_text(dt.time(0, 3, 5)) == "00:03:05"
    assert cell_text(dt.timedelta(hours=26, seconds=65)) == "26:01:05"
    assert cell_text(dt.timedelta(seconds=185.25)) == "0:03:05.25"
    assert cell_text(-dt.timedelta(seconds=5)) == "-0:00:05"


def test_durations_and_times_from_excel_cells(tmp_path):
    path = tmp_path / "calls.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["通话ID", "渠道", "进线时间", "通话时长", "话后处理时长"])
    sheet.append(["C1", "电话", dt.datetime(2026, 11, 24, 8, 5), dt.time(0, 3, 5), 30])
    sheet["E2"].value = dt.timedelta(minutes=1, seconds=5)
    sheet["E2"].number_format = "[h]:mm:ss"
    book.save(path)
    with open_table(path, column_map=INTERACTION_COLUMNS) as table:
        row = next(table.rows())
    assert row.values["talk_seconds"] == "00:03:05"
    assert row.values["wrap_seconds"] == "0:01:05"
    assert row.values["arrived_at"] == "2026-11-24 08:05:00"
