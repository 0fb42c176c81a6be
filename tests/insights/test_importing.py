"""Peer indicator and offering files: headers in Chinese or English, per-row errors, re-import."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.imports.files import write_csv
from tests.ingest.test_maps import doc_block, ticked
from yuqi.cli import main
from yuqi.imports.engine import import_file
from yuqi.imports.importers import get_importer
from yuqi.imports.services import import_run_create
from yuqi.insights.importing import OFFERING_COLUMNS, PEER_VALUE_COLUMNS
from yuqi.insights.models import OurOffering, PeerCentre, PeerIndicatorValue, PeerOffering

HEADERS_ZH = ["对标中心", "行业", "地区", "指标", "期间", "数值", "来源"]


def run_import(kind: str, path: Path):
    run = import_run_create(kind=kind, file_name=path.name, path=path, by=None)
    return import_file(importer=get_importer(kind), path=path, run=run)


def report_rows(run) -> list[dict[str, str]]:
    text = Path(run.error_report).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def peer_file(tmp_path):
    return write_csv(
        tmp_path / "对标.csv",
        [
            HEADERS_ZH,
            ["某省移动10086客服中心", "电信", "华东", "接通率", "2026-05", "92.5%", "协会月报"],
            [
                "某省移动10086客服中心",
                "电信",
                "华东",
                "平均应答速度",
                "2026年5月",
                "18",
                "协会月报",
            ],
            ["某银行信用卡中心", "银行", "华东", "放弃率", "2026/5", "0.04", "神秘顾客"],
        ],
        encoding="gb18030",
    )


@pytest.mark.django_db
def test_chinese_headers_rates_in_percent_and_months(peer_file):
    run = run_import("peers", peer_file)
    assert (run.status, run.rows_created, run.rows_rejected) == ("done", 3, 0)
    answer = PeerIndicatorValue.objects.get(indicator="answer_rate")
    assert answer.value == Decimal("0.9250")
    assert (str(answer.period_start), str(answer.period_end)) == ("2026-05-01", "2026-05-31")
    assert PeerIndicatorValue.objects.get(indicator="asa_seconds").value == Decimal("18")
    assert PeerCentre.objects.get(name="某银行信用卡中心").industry == "银行"


@pytest.mark.django_db
def test_reimport_is_idempotent_and_a_change_is_an_update(peer_file, tmp_path):
    run_import("peers", peer_file)
    again = run_import("peers", peer_file)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert PeerIndicatorValue.objects.count() == 3
    changed = write_csv(
        tmp_path / "changed.csv",
        [HEADERS_ZH, ["某省移动10086客服中心", "", "", "接通率", "2026-05", "93%", "协会月报"]],
    )
    third = run_import("peers", changed)
    assert (third.rows_created, third.rows_updated) == (0, 1)
    assert PeerIndicatorValue.objects.get(indicator="answer_rate").value == Decimal("0.9300")


@pytest.mark.django_db
def test_bad_rows_are_reported_by_row_and_column_and_good_rows_kept(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            HEADERS_ZH,
            ["某省移动10086客服中心", "", "", "接通率", "2026-05", "0.91", ""],
            ["某省移动10086客服中心", "", "", "接通率", "2026-06", "135", ""],
            ["某省移动10086客服中心", "", "", "心情指数", "2026-06", "3", ""],
        ],
    )
    run = run_import("peers", path)
    assert (run.rows_created, run.rows_rejected) == (1, 2)
    rows = report_rows(run)
    assert [(r["row"], r["column"]) for r in rows] == [("3", "数值"), ("4", "指标")]
    assert "fraction from 0 to 1" in rows[0]["reason"]
    assert "心情指数" in rows[1]["reason"]


@pytest.mark.django_db
def test_a_period_can_be_given_as_dates_with_english_headers(tmp_path):
    path = write_csv(
        tmp_path / "peers.csv",
        [
            ["Peer", "Indicator", "Period start", "Period end", "Value"],
            ["Bank A", "service level", "2026-04-01", "2026-06-30", "0.82"],
            ["Bank A", "service level", "2026-07-01", "2026-06-30", "0.82"],
        ],
    )
    run = run_import("peers", path)
    assert (run.rows_created, run.rows_rejected) == (1, 1)
    assert report_rows(run)[0]["column"] == "Period end"


@pytest.mark.django_db
def test_offerings_from_excel_with_our_own_rows(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Peer", "Code", "Offering", "English name", "Since"])
    sheet.append(["某省移动10086客服中心", "callback", "智能回呼", "Smart callback", "2025-03-01"])
    sheet.append(["某银行信用卡中心", "callback", "智能回呼", "", ""])
    sheet.append(["本中心", "sms_survey", "短信满意度回访", "", ""])
    path = tmp_path / "offerings.xlsx"
    book.save(path)
    run = run_import("offerings", path)
    assert (run.rows_created, run.rows_rejected) == (3, 0)
    assert PeerOffering.objects.filter(offering__code="callback").count() == 2
    assert OurOffering.objects.get().offering.name == "短信满意度回访"
    assert not PeerCentre.objects.filter(name="本中心").exists()
    again = run_import("offerings", path)
    assert again.rows_unchanged == 3


@pytest.mark.django_db(transaction=True)
def test_the_yuqi_import_command_knows_peers(peer_file, capsys):
    assert main(["import", "peers", str(peer_file), "--quiet", "--no-migrate"]) == 0
    assert "3 created" in capsys.readouterr().out
    assert PeerIndicatorValue.objects.count() == 3


@pytest.mark.parametrize("column_map", [PEER_VALUE_COLUMNS, OFFERING_COLUMNS], ids=lambda m: m.name)
def test_docs_list_every_header_the_importers_accept(column_map):
    documented = {
        ticked(field)[0]: (required, ticked(headers))
        for field, required, headers in doc_block("columns", column_map.name)
    }
    expected = {
        spec.name: ("yes" if spec.required else "no", list(spec.aliases))
        for spec in column_map.fields.values()
    }
    assert documented == expected
