"""The evaluation run, its snapshot and its Excel and PDF exports."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.insights import evaluation, exports
from yuqi.insights import expectations as svc
from yuqi.insights.models import EvaluationRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(analyst):
    evaluation.scoring_settings_update(population=10_000)
    vip = ExpectationFactory(
        code="vip-15s",
        importance=90,
        gap=0.5,
        affected_customers=2000,
        current_value=30.0,
        target=15.0,
        current_unit="秒",
        owner=analyst,
        action="VIP 专席扩容",
        due_date=date(2026, 9, 30),
    )
    refund = ExpectationFactory(
        code="refund-3d", statement="多扣费用 3 个工作日内退还", category="billing", importance=70
    )
    svc.grade_decide(expectation=vip, grade="B", reason="需增加坐席", by=analyst)
    svc.grade_decide(expectation=refund, grade="C", reason="财务流程限制", by=analyst)
    return vip, refund


def _run() -> EvaluationRun:
    return evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)


def test_run_totals_per_grade(register):
    run = _run()
    assert run.status == "finished"
    assert run.totals == {"A": 0, "B": 1, "C": 1, "none": 0, "all": 2}


def test_snapshot_is_reproducible_after_the_register_changes(register, analyst):
    vip, _refund = register
    run = _run()
    before = exports.run_table(run)
    xlsx_before = load_workbook(io.BytesIO(exports.evaluation_xlsx(run))).active
    svc.expectation_update(expectation=vip, statement="改了", importance=10, by=analyst)
    svc.grade_decide(expectation=vip, grade="A", reason="改了", by=analyst)
    vip.delete()
    run.refresh_from_db()
    assert exports.run_table(run) == before
    after = load_workbook(io.BytesIO(exports.evaluation_xlsx(run))).active
    assert [[c.value for c in r] for r in after.iter_rows()] == [
        [c.value for c in r] for r in xlsx_before.iter_rows()
    ]


def test_changes_since_the_last_run(register, analyst):
    vip, refund = register
    _run()
    svc.grade_decide(expectation=vip, grade="A", reason="专席已到位", by=analyst)
    svc.expectation_status_set(expectation=refund, status="retired", by=analyst)
    ExpectationFactory(code="video")
    second = _run()
    assert second.changes["grade_moved"] == [{"code": "vip-15s", "from": "B", "to": "A"}]
    assert second.changes["new"] == ["video"]
    assert second.changes["retired"] == ["refund-3d"]


def test_excel_export_cell_by_cell(register):
    run = _run()
    sheet = load_workbook(io.BytesIO(exports.evaluation_xlsx(run))).active
    assert sheet["A1"].value == "客户期望评测结果表"
    assert [c.value for c in sheet[2]] == list(exports.HEADERS["zh"])
    assert sheet.freeze_panes == "A3"
    row = [c.value for c in sheet[3]]
    assert row[:4] == [1, "vip-15s", "VIP 客户期望 15 秒内接通", "接通/等待"]
    assert row[5:11] == [90, "30 秒", "15 秒", 0.5, "B", run.rows.get(code="vip-15s").score]
    assert row[11:] == ["陈静", "VIP 专席扩容", "2026-09-30"]
    assert sheet["J4"].value == "C"
    assert sheet["A6"].value == "A 等级: 0"
    assert sheet["E6"].value == "合计: 2"
    assert sheet.column_dimensions["C"].width == 40
    assert next(iter(sheet.tables.values())).ref == "A2:N4"


def test_excel_export_in_english(register):
    sheet = load_workbook(io.BytesIO(exports.evaluation_xlsx(_run(), "en"))).active
    assert sheet["C2"].value == "Expectation"
    assert sheet["C3"].value == "VIP customers expect an answer within 15 s"
    assert sheet["D3"].value == "Getting through and waiting"


def test_pdf_export_embeds_the_chinese_text(register):
    from pypdf import PdfReader

    body = exports.evaluation_pdf(_run())
    reader = PdfReader(io.BytesIO(body))
    text = "".join(page.extract_text() for page in reader.pages)
    text = "".join(ch for ch in text if ch not in " \x00\n")
    assert "客户期望评测结果表" in text
    assert "多扣费用3个工作日内退还" in text
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    descendant = fonts[0]["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"]
    assert any(key in descriptor for key in ("/FontFile2", "/FontFile3"))


def _pdf_text_with_many_glyphs() -> tuple[bytes, list[str]]:
    """A run whose table uses well over 255 distinct characters (the review's case)."""
    common = (
        "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着"
        "去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主"
        "行方又如前所本见经头面公同三已老从动两长"
    )
    statements = ["每次投诉都给话费补偿", "Callback within 2 hours (SLA 95%)"]
    common += "".join(chr(0x4E00 + 61 * i) for i in range(200))  # CJK ideographs, spread out
    statements += [common[i : i + 24] for i in range(0, len(common), 24)]
    for number, statement in enumerate(statements):
        ExpectationFactory(code=f"many-{number}", statement=statement, importance=50)
    return exports.evaluation_pdf(_run()), statements


def test_pdf_text_layer_extracts_as_the_text_shown(register):
    """Review 2026-12: extraction gave "每次投诉都客客客费…" once >255 glyphs were used."""
    from pypdf import PdfReader

    body, statements = _pdf_text_with_many_glyphs()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "\x00" not in text
    flat = re.sub(r"\s", "", text)  # cells wrap: lines break inside a statement
    assert len(set(flat)) > 255
    for statement in [*statements, "客户期望评测结果表", "多扣费用 3 个工作日内退还"]:
        assert re.sub(r"\s", "", statement) in flat


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdftotext_gives_back_the_text_shown(register, tmp_path):
    body, statements = _pdf_text_with_many_glyphs()
    (tmp_path / "t.pdf").write_bytes(body)
    out = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "t.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = re.sub(r"\s", "", out)
    for statement in [*statements, "客户期望评测结果表"]:
        assert re.sub(r"\s", "", statement) in flat


def test_pdf_export_is_the_same_later(register, analyst):
    run = _run()
    first = exports.evaluation_pdf(run)
    vip, _refund = register
    svc.expectation_update(expectation=vip, statement="改了", by=analyst)
    assert exports.evaluation_pdf(run) == first


def test_missing_font_is_a_clear_error(register, monkeypatch):
    monkeypatch.setattr(exports, "FONT_PATHS", (("/nonexistent/font.ttc", 2),))
    monkeypatch.delenv("YUQI_PDF_FONT", raising=False)
    with pytest.raises(exports.PdfFontMissing, match="fonts-noto-cjk"):
        exports.evaluation_pdf(_run())


def test_monthly_task_runs_last_month_once(register, monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(evaluation, "now", lambda: datetime(2026, 6, 2, 1, tzinfo=UTC))
    monkeypatch.setattr("yuqi.insights.expectations.now", evaluation.now)
    monkeypatch.setattr(evaluation, "evidence_collect", lambda **kw: None)
    evaluation.monthly_evaluation.call()
    assert "already" in evaluation.monthly_evaluation.call()
    run = EvaluationRun.objects.get()
    assert (run.period_start, run.period_end) == (MAY_START, MAY_END)
