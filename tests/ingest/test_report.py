"""The error report: a BOM for Excel, one line per error, rows counted once."""

from __future__ import annotations

import codecs
import csv
import io
import json

from django.utils.translation import gettext_lazy

from yuqi.core.private_files import open_private
from yuqi.ingest.errors import FieldError
from yuqi.ingest.report import REPORT_COLUMNS, ErrorReport

ROW = {"通话ID": "C7", "渠道": "传真", "等待时长(秒)": "-5"}


def read(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_one_row_with_two_errors_counts_once(tmp_path):
    path = tmp_path / "errors.csv"
    with ErrorReport(path, opener=open_private) as report:
        report.add(7, "channel", "“传真” is not one of the accepted values", ROW)
        report.add(7, "wait_seconds", FieldError(gettext_lazy("negative")), ROW)
        report.add(9, None, "the external id repeats row 7", {"通话ID": "C7"})
    assert report.rejected_rows == 2
    assert report.errors == 3
    assert report.errors_by_column == {"channel": 1, "wait_seconds": 1, "": 1}
    lines = read(path)
    assert lines[0] == list(REPORT_COLUMNS)
    assert lines[1][:3] == ["7", "channel", "“传真” is not one of the accepted values"]
    assert lines[2][:3] == ["7", "wait_seconds", "negative"]
    assert json.loads(lines[1][3]) == ROW
    assert lines[3][:2] == ["9", ""]


def test_the_report_starts_with_a_utf8_bom_and_keeps_chinese_readable(tmp_path):
    path = tmp_path / "errors.csv"
    with ErrorReport(path, opener=open_private) as report:
        report.add(2, "name", "blank", {"客户姓名": "赵敏"})
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert "赵敏".encode() in data  # JSON without \u escapes


def test_an_empty_report_has_only_its_header(tmp_path):
    path = tmp_path / "errors.csv"
    with ErrorReport(path, opener=open_private) as report:
        pass
    assert report.rejected_rows == 0
    assert read(path) == [list(REPORT_COLUMNS)]


def test_rows_out_of_order_and_far_apart_are_counted_once(tmp_path):
    with ErrorReport(tmp_path / "errors.csv", opener=open_private) as report:
        for number in (1_000_000, 3, 1_000_000, 3, 64, 1):
            report.add(number, "x", "bad", {})
    assert report.rejected_rows == 4


def test_formula_like_cells_cannot_run_in_excel(tmp_path):
    path = tmp_path / "errors.csv"
    with ErrorReport(path, opener=open_private) as report:
        report.add(2, '=HYPERLINK("http://x")', "+cmd", {"a": "=1+1"})
    line = read(path)[1]
    assert line[1].startswith("'=")
    assert line[2] == "'+cmd"
    assert json.loads(line[3]) == {"a": "=1+1"}


def test_the_masked_copy_hides_personal_columns_and_numbers_elsewhere(tmp_path):
    """Review F-4. A report of a run from before its personal columns were recorded is
    masked by its headers; numbers in cells under no header by their shape."""
    from yuqi.ingest.maps import CUSTOMER_COLUMNS
    from yuqi.ingest.report import masked_report

    path = tmp_path / "errors.csv"
    with ErrorReport(path, opener=open_private) as report:
        report.add(
            2,
            "手机号",
            "“1383333444x” has characters that do not belong in a phone number.",
            {
                "客户编号": "C1",
                "手机号": "1383333444x",
                "证件": "110101198805061234",
                "[G]": "13912345678",
            },
        )
    masked = b"".join(
        masked_report(
            path,
            personal={"证件": "id_number"},  # an alias added with --columns
            field_of=CUSTOMER_COLUMNS.field_for,
            personal_fields={"phone": "phone", "id_number": "id_number"},
        )
    )
    assert masked.startswith(codecs.BOM_UTF8)
    lines = list(csv.reader(io.StringIO(masked.decode("utf-8-sig"))))
    assert lines[0] == ["row", "column", "reason", "original"]
    assert lines[1][:3] == [
        "2",
        "手机号",
        "“******3444” has characters that do not belong in a phone number.",
    ]
    assert json.loads(lines[1][3]) == {
        "客户编号": "C1",
        "手机号": "******3444",
        "证件": "110101********1234",
        "[G]": "139****5678",
    }
