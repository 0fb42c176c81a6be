"""Hostile and oversized files through every way in: the ``yuqi import`` command, the Imports
page and the benchmarks upload (security review F-1, F-15). The API takes no files (its bulk
endpoints take JSON; see tests/core for bodies over the limit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.imports.files import write_csv
from tests.ingest import bombs
from yuqi.cli import main
from yuqi.customers.models import Customer
from yuqi.imports.models import ImportRun

pytestmark = pytest.mark.django_db(transaction=True)

# Messages are in Chinese, the default language
RATIO_LIMIT = "超过允许的 100 倍（YUQI_XLSX_MAX_RATIO），可能是 ZIP 炸弹"


def test_the_import_command_refuses_a_zip_bomb(tmp_path, capsys):
    path = bombs.zip_bomb(tmp_path / "bomb.xlsx", megabytes=50)
    assert main(["import", "customers", str(path), "--no-migrate"]) == 2
    assert RATIO_LIMIT in capsys.readouterr().err
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read, run.error_report) == ("failed", 0, "")
    assert not Customer.objects.exists()


def test_the_imports_page_refuses_a_zip_bomb(as_user, manager, tmp_path):
    path = bombs.zip_bomb(tmp_path / "bomb.xlsx", megabytes=50)
    client = as_user(manager)
    upload = SimpleUploadedFile("bomb.xlsx", path.read_bytes())
    assert client.post("/imports/", {"kind": "customers", "file": upload}).status_code == 302
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read, run.error_report) == ("failed", 0, "")
    assert RATIO_LIMIT in run.message
    assert "YUQI_XLSX_MAX_RATIO" in client.get(f"/imports/{run.pk}/").content.decode()


def test_the_benchmarks_upload_refuses_a_zip_bomb(as_user, analyst, tmp_path):
    path = bombs.workbook(tmp_path / "bomb.xlsx", strings=bombs.repeated(b"a", 50))
    upload = SimpleUploadedFile("peers.xlsx", path.read_bytes())
    client = as_user(analyst)
    response = client.post("/insights/benchmarks/import/", {"kind": "peers", "file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read) == ("failed", 0)
    assert RATIO_LIMIT in run.message
    page = client.get(response["Location"]).content.decode()
    assert "YUQI_XLSX_MAX_RATIO" in page


def _customers_with_a_huge_name(tmp_path, size: int):
    path = write_csv(
        tmp_path / "customers.csv",
        [["customer_id", "customer_name", "phone"], ["C1", "赵敏", ""], ["C2", "周芷若", ""]],
    )
    with path.open("ab") as handle:
        handle.write(b"C3," + b"x" * size + b",\r\nC4,after,\r\n")
    return path


def test_a_10_mb_field_stops_the_import_naming_the_limit_and_keeps_the_rows_before(
    tmp_path, capsys
):
    path = _customers_with_a_huge_name(tmp_path, 10 * 1024 * 1024)
    assert main(["import", "customers", str(path), "--no-migrate"]) == 1
    err = capsys.readouterr().err
    assert "第 4 行超过单行允许的 2.0 MB（YUQI_IMPORT_MAX_ROW_MB）；此前各行已导入。" in err
    assert "引号" not in err  # not the old "is a quote left unclosed?"
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read, run.rows_created) == ("failed", 2, 2)
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["C1", "C2"]


def test_a_name_longer_than_the_field_is_a_rejected_row_with_a_short_report(tmp_path):
    path = _customers_with_a_huge_name(tmp_path, 100_000)  # under the cell limit
    assert main(["import", "customers", str(path), "--quiet", "--no-migrate"]) == 1
    run = ImportRun.objects.get()
    assert (run.status, run.rows_created, run.rows_rejected) == ("done", 3, 1)
    report = Path(run.error_report).read_text(encoding="utf-8-sig")
    assert "超过 100 个字符" in report
    assert len(report) < 3000
    assert "x" * 1024 + "…［已截断，共 100,000 个字符］" in report


def test_the_api_takes_no_files_so_no_upload_skips_the_limits(client):
    """Every file reaches the reader through the command, the Imports page or the benchmarks
    upload, all tested above. Should the API ever take a file, it must go through
    ``yuqi.ingest.open_table`` (whose sniffing checks the limits) and get a test here."""
    schema = client.get("/api/openapi.json").json()
    media = {
        content_type
        for path in schema["paths"].values()
        for operation in path.values()
        for content_type in operation.get("requestBody", {}).get("content", {})
    }
    assert media == {"application/json"}


def test_a_10_mb_field_uploaded_on_the_imports_page_keeps_the_rows_before(
    as_user, manager, tmp_path
):
    path = _customers_with_a_huge_name(tmp_path, 10 * 1024 * 1024)
    client = as_user(manager)
    upload = SimpleUploadedFile("customers.csv", path.read_bytes(), content_type="text/csv")
    assert client.post("/imports/", {"kind": "customers", "file": upload}).status_code == 302
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read, run.rows_created, run.rows_rejected) == ("failed", 2, 2, 0)
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "第 4 行超过单行允许的 2.0 MB（YUQI_IMPORT_MAX_ROW_MB）；此前各行已导入。" in page
