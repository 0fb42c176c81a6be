"""Reading CSV exports: encodings, delimiters, header rows, row numbers and bad files."""

from __future__ import annotations

import codecs
import random

import pytest

from yuqi.ingest.errors import DuplicateColumns, MissingColumns, UnreadableFile
from yuqi.ingest.maps import CUSTOMER_COLUMNS, INTERACTION_COLUMNS
from yuqi.ingest.reader import open_table
from yuqi.ingest.sniff import SAMPLE_BYTES

CUSTOMERS_ZH = (
    "客户编号,客户姓名,手机号,客户等级,地区\r\n"
    "K001,赵敏,13812345678,金卡,浙江\r\n"
    "K002,李娜,13900001111,普通,北京\r\n"
)


def write(tmp_path, data: bytes, name: str = "data.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(path, column_map=CUSTOMER_COLUMNS, **kwargs):
    with open_table(path, column_map=column_map, **kwargs) as table:
        return table, list(table.rows())


# --- encodings -----------------------------------------------------------------------------


def test_a_gbk_file_with_chinese_headers_is_read_as_gb18030(tmp_path):
    path = write(tmp_path, CUSTOMERS_ZH.encode("gbk"))
    table, rows = read_all(path)
    assert table.format == "csv"
    assert table.encoding == "gb18030"
    assert table.headers == ("客户编号", "客户姓名", "手机号", "客户等级", "地区")
    assert table.mapping == {
        "客户编号": "external_id",
        "客户姓名": "name",
        "手机号": "phone",
        "客户等级": "tier",
        "地区": "region",
    }
    assert [row.values["name"] for row in rows] == ["赵敏", "李娜"]
    assert rows[0].original == {
        "客户编号": "K001",
        "客户姓名": "赵敏",
        "手机号": "13812345678",
        "客户等级": "金卡",
        "地区": "浙江",
    }


def test_gb18030_only_characters_are_read(tmp_path):
    """GBK has no 𠀀 (a four-byte GB18030 character): the superset is what is detected."""
    text = "客户编号,客户姓名\nK1,王𠀀\n"
    table, rows = read_all(write(tmp_path, text.encode("gb18030")))
    assert table.encoding == "gb18030"
    assert rows[0].values["name"] == "王𠀀"


def test_utf8_with_bom_keeps_the_first_header_clean(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF8 + CUSTOMERS_ZH.encode("utf-8"))
    table, rows = read_all(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "客户编号"
    assert rows[0].values["external_id"] == "K001"


def test_utf8_without_bom(tmp_path):
    table, rows = read_all(write(tmp_path, CUSTOMERS_ZH.encode("utf-8")))
    assert table.encoding == "utf-8"
    assert len(rows) == 2


def test_utf16_with_bom_as_excel_saves_unicode_text(tmp_path):
    text = CUSTOMERS_ZH.replace(",", "\t")
    table, rows = read_all(write(tmp_path, text.encode("utf-16")))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert rows[1].values["name"] == "李娜"


def test_pure_ascii_is_utf8(tmp_path):
    table, rows = read_all(write(tmp_path, b"external_id,name\nK1,Zhao Min\n"))
    assert table.encoding == "utf-8"
    assert rows[0].values == {
        **dict.fromkeys(CUSTOMER_COLUMNS.fields),
        "external_id": "K1",
        "name": "Zhao Min",
    }


def test_a_character_cut_at_the_sample_boundary_is_not_a_decoding_error(tmp_path):
    """The sample starts at the first non-ASCII byte; 65,536 = 3 × 21,845 + 1, so a run of
    three-byte characters is cut one byte into a character at the sample's end."""
    data = b"external_id,name\nK1," + "赵".encode() * 30_000 + b"\n"
    window = data[20 : 20 + SAMPLE_BYTES]
    with pytest.raises(UnicodeDecodeError, match="unexpected end of data"):
        window.decode("utf-8")
    table, rows = read_all(write(tmp_path, data))
    assert table.encoding == "utf-8"
    assert rows[0].values["name"] == "赵" * 30_000


def test_ascii_first_then_gbk_far_into_the_file_is_still_detected(tmp_path):
    """Detection looks past a pure-ASCII start for the first non-ASCII bytes."""
    lines = [b"external_id,name\r\n"]
    lines += [f"K{n},Zhao\r\n".encode() for n in range(20_000)]  # > SAMPLE_BYTES of ASCII
    lines.append("K-last,赵敏\r\n".encode("gbk"))
    path = write(tmp_path, b"".join(lines))
    table, rows = read_all(path)
    assert table.encoding == "gb18030"
    assert rows[-1].values["name"] == "赵敏"


def test_a_file_that_is_neither_utf8_nor_gbk_names_the_byte_offsets(tmp_path):
    data = b"external_id,name\nK1,\xff\xfe\xfd\n"
    with pytest.raises(
        UnreadableFile, match=r"UTF-8 \(bad byte at offset 20\).*GB18030 \(bad byte at offset 20\)"
    ):
        open_table(write(tmp_path, data), column_map=CUSTOMER_COLUMNS)


def test_a_file_in_two_encodings_fails_with_the_offset_of_the_first_bad_byte(tmp_path):
    utf8_part = b"external_id,name\n" + "K1,赵敏\n".encode() * 30_000
    gbk_part = "K2,李娜\n".encode("gbk")
    path = write(tmp_path, utf8_part + gbk_part)
    with open_table(path, column_map=CUSTOMER_COLUMNS) as table:
        assert table.encoding == "utf-8"
        with pytest.raises(UnreadableFile) as caught:
            list(table.rows())
    assert f"byte {len(utf8_part) + 3} " in str(caught.value)


# --- bad files -----------------------------------------------------------------------------


def test_an_empty_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="The file is empty"):
        open_table(write(tmp_path, b""), column_map=CUSTOMER_COLUMNS)


def test_a_file_of_blank_lines_has_no_header(tmp_path):
    with pytest.raises(UnreadableFile, match="no header row"):
        open_table(write(tmp_path, b"\r\n  \r\n,,,\r\n"), column_map=CUSTOMER_COLUMNS)


def test_a_header_only_file_has_zero_rows(tmp_path):
    table, rows = read_all(write(tmp_path, "客户编号,客户姓名\r\n".encode("gbk")))
    assert rows == []
    assert table.header_row == 1


def test_a_binary_file_renamed_csv_is_refused(tmp_path):
    data = random.Random(3).randbytes(50_000)
    with pytest.raises(UnreadableFile, match=r"NUL bytes.*binary file renamed \.csv"):
        open_table(write(tmp_path, data, "export.csv"), column_map=CUSTOMER_COLUMNS)


def test_a_binary_file_without_nul_bytes_is_refused_as_undecodable(tmp_path):
    data = bytes(b for b in random.Random(4).randbytes(5_000) if b)
    with pytest.raises(UnreadableFile, match="neither UTF-8"):
        open_table(write(tmp_path, data, "export.csv"), column_map=CUSTOMER_COLUMNS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), r"Excel 97-2003 workbook \(.xls\)"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
        (b"%PDF-1.7\n", "PDF"),
        (
            b'<?xml version="1.0"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "XML spreadsheet",
        ),
    ],
)
def test_other_formats_saved_as_csv_are_named(tmp_path, data, message):
    with pytest.raises(UnreadableFile, match=message):
        open_table(write(tmp_path, data, "export.csv"), column_map=CUSTOMER_COLUMNS)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "export.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export.csv", "external_id,name\n")
    with pytest.raises(UnreadableFile, match="ZIP archive, not an Excel workbook"):
        open_table(path, column_map=CUSTOMER_COLUMNS)


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="cannot be opened"):
        open_table(tmp_path / "nope.csv", column_map=CUSTOMER_COLUMNS)


def test_an_unclosed_quote_is_reported_with_its_row(tmp_path):
    data = b'external_id,name,notes\nK1,a,"ok"\nK2,b,"never closed\n' + b"x" * 200_000 + b"\n"
    with open_table(write(tmp_path, data), column_map=CUSTOMER_COLUMNS) as table:
        rows = table.rows()
        assert next(rows).number == 2
        with pytest.raises(
            UnreadableFile,
            match=r"Row 3 has a cell longer than the 131,072 characters allowed.*quote is left",
        ):
            next(rows)


# --- delimiters ----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_sniffed(tmp_path, delimiter):
    text = CUSTOMERS_ZH.replace(",", delimiter)
    table, rows = read_all(write(tmp_path, text.encode("gbk")))
    assert table.delimiter == delimiter
    assert rows[0].values["phone"] == "13812345678"


def test_a_full_width_comma_is_text_not_a_delimiter(tmp_path):
    text = "客户编号,客户姓名,备注\nK1,赵敏,已回访，满意\nK2,李娜,无\n"
    table, rows = read_all(write(tmp_path, text.encode("gbk")))
    assert table.delimiter == ","
    assert rows[0].original["备注"] == "已回访，满意"


def test_semicolons_inside_text_do_not_win_over_commas(tmp_path):
    text = "客户编号,客户姓名,备注\nK1,赵敏,a;b;c;d\nK2,李娜,e;f\nK3,王强,g\n"
    table, _ = read_all(write(tmp_path, text.encode("utf-8")))
    assert table.delimiter == ","


def test_an_excel_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path):
    text = "sep=;\r\nexternal_id;name\r\nK1;Zhao, Min\r\n"
    table, rows = read_all(write(tmp_path, text.encode()))
    assert table.delimiter == ";"
    assert table.header_row == 1
    assert (rows[0].number, rows[0].values["name"]) == (2, "Zhao, Min")


# --- headers and rows ----------------------------------------------------------------------


def test_row_numbers_are_excel_rows(tmp_path):
    """A quoted cell with a line break is one row; blank rows count but are skipped."""
    text = 'external_id,name,notes\r\nK1,a,"two\r\nlines"\r\n\r\n,,\r\nK2,b,x\r\n'
    _, rows = read_all(write(tmp_path, text.encode()))
    assert [(row.number, row.values["external_id"]) for row in rows] == [(2, "K1"), (5, "K2")]
    assert rows[0].original["notes"] == "two\r\nlines"


def test_values_are_stripped_and_blank_is_none_but_original_is_as_written(tmp_path):
    _, rows = read_all(write(tmp_path, b"external_id,name,phone\n  K1 , Zhao ,  \n"))
    assert rows[0].values["external_id"] == "K1"
    assert rows[0].values["phone"] is None
    assert rows[0].values["email"] is None  # not in the file at all
    assert rows[0].original == {"external_id": "  K1 ", "name": " Zhao ", "phone": "  "}


def test_title_rows_above_the_header_are_skipped(tmp_path):
    text = "客户资料导出 2026-11-24,,\r\n,,\r\n客户编号,客户姓名,地区\r\nK1,赵敏,浙江\r\n"
    table, rows = read_all(write(tmp_path, text.encode("gbk")))
    assert table.header_row == 3
    assert rows[0].number == 4


def test_a_missing_required_column_names_it_and_its_aliases(tmp_path):
    path = write(tmp_path, "客户编号,手机号\nK1,13812345678\n".encode("gbk"))
    with pytest.raises(MissingColumns) as caught:
        open_table(path, column_map=CUSTOMER_COLUMNS)
    assert [spec.name for spec in caught.value.missing] == ["name"]
    message = str(caught.value)
    assert "name (name, customer_name, full_name, 客户姓名, 姓名," in message
    assert caught.value.row == 1
    assert caught.value.headers == ("客户编号", "手机号")


def test_missing_interaction_columns_are_all_listed(tmp_path):
    path = write(tmp_path, "通话ID,备注\nC1,x\n".encode("gbk"))
    with pytest.raises(MissingColumns) as caught:
        open_table(path, column_map=INTERACTION_COLUMNS)
    assert [spec.name for spec in caught.value.missing] == ["channel", "arrived_at"]
    assert "渠道" in str(caught.value)
    assert "进线时间" in str(caught.value)


def test_full_width_and_unit_suffixed_headers_map(tmp_path):
    text = (
        "通话ＩＤ,渠道,进线时间,等待时长(秒),通话时长（秒）,话后处理时长【秒】, 座席-工号 \n"
        "C1,电话,2026-11-24 08:05,12,185,30,A01\n"
    )
    table, rows = read_all(write(tmp_path, text.encode("gbk")), INTERACTION_COLUMNS)
    assert table.mapping == {
        "通话ＩＤ": "external_id",
        "渠道": "channel",
        "进线时间": "arrived_at",
        "等待时长(秒)": "wait_seconds",
        "通话时长（秒）": "talk_seconds",
        "话后处理时长【秒】": "wrap_seconds",
        "座席-工号": "agent",
    }
    assert rows[0].values["wait_seconds"] == "12"
    assert rows[0].values["agent"] == "A01"


def test_two_columns_for_one_field_are_refused(tmp_path):
    path = write(tmp_path, "客户编号,客户姓名,电话,联系电话\nK1,赵敏,1,2\n".encode("gbk"))
    with pytest.raises(
        DuplicateColumns, match="Columns C “电话”, D “联系电话” all mean the field phone"
    ):
        open_table(path, column_map=CUSTOMER_COLUMNS)


def test_unknown_and_repeated_unknown_columns_are_kept_for_the_report(tmp_path):
    text = "客户编号,客户姓名,来源,备用,备用\nK1,赵敏,网厅,x,y\n"
    table, rows = read_all(write(tmp_path, text.encode("gbk")))
    assert table.unknown_columns == ("来源", "备用 [D]", "备用 [E]")
    assert rows[0].original["备用 [E]"] == "y"


def test_cells_without_a_header_are_flagged_as_stray(tmp_path):
    text = "external_id,name,,notes\nK1,a,,n\nK2,b,oops,n,more\nK3,c\n"
    _, rows = read_all(write(tmp_path, text.encode()))
    assert [row.stray for row in rows] == [(), ("[C]", "[E]"), ()]
    assert rows[1].original["[E]"] == "more"
    assert rows[2].values["name"] == "c"  # a short row is not an error


def test_cells_holding_a_nul_past_the_sniffed_start_are_named(tmp_path):
    """The sniffer refuses a file that starts with NUL but reads only its start: a NUL further
    on (after a long Chinese start) marks its row, naming the cell, by either way of reading."""
    padding = "".join(f"K{n},赵敏{'长' * 40},13812345678\n" for n in range(2_000))
    text = "客户编号,客户姓名,手机号\n" + padding + "K-nul,王\x00五,139\nK-after,李四,137\n"
    path = write(tmp_path, text.encode())
    assert len(padding.encode()) > SAMPLE_BYTES
    _, rows = read_all(path)
    assert [row.nul for row in rows[-2:]] == [("客户姓名",), ()]
    assert rows[-2].refused
    assert not rows[-1].refused
    assert not any(row.nul for row in rows[:-2])
    with open_table(path, column_map=CUSTOMER_COLUMNS) as table:
        records = list(table.records())
        number, cells = records[-2]
        assert number in table.nul_rows
        assert table.row(number, cells).nul == ("客户姓名",)


def test_rows_can_be_read_once(tmp_path):
    with open_table(write(tmp_path, CUSTOMERS_ZH.encode()), column_map=CUSTOMER_COLUMNS) as table:
        assert len(list(table.rows())) == 2
        with pytest.raises(RuntimeError):
            list(table.rows())


def test_progress_reaches_one(tmp_path):
    with open_table(write(tmp_path, CUSTOMERS_ZH.encode()), column_map=CUSTOMER_COLUMNS) as table:
        list(table.rows())
        assert table.progress() == 1.0


def test_the_file_is_closed_after_the_with_block(tmp_path):
    with open_table(write(tmp_path, CUSTOMERS_ZH.encode()), column_map=CUSTOMER_COLUMNS) as table:
        rows = table.rows()
        next(rows)
    with pytest.raises(ValueError, match="closed"):
        list(rows)
