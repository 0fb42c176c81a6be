"""Excel of the results (opened with openpyxl, checked cell by cell) and CSV of raw answers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.surveys.analysis_factories import load_small, make_campaign, make_survey
from yuqi.surveys.exports import ANSWER_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    survey = make_survey()
    made = make_campaign(survey)
    load_small(survey, made)
    return made


def _workbook(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_excel_has_one_sheet_per_table(analyst, as_user, campaign) -> None:
    book = _workbook(as_user(analyst), f"/surveys/campaigns/{campaign.pk}/analysis/export.xlsx")
    assert book.sheetnames == [
        "Summary",
        "Questions",
        "SERVQUAL items",
        "SERVQUAL dimensions",
        "Response rates",
        "Breakdowns",
    ]


def test_excel_summary_rows_are_the_weighted_then_unweighted_figures(
    analyst, as_user, campaign
) -> None:
    sheet = _workbook(as_user(analyst), f"/surveys/campaigns/{campaign.pk}/analysis/export.xlsx")[
        "Summary"
    ]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Estimate",
        "Measure",
        "Value",
        "CI low",
        "CI high",
        "n",
        "Standard error",
        "Method",
    ]
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    csat = rows[("weighted by stratum", "CSAT (top-2-box)")]
    assert csat[2] == pytest.approx(0.4)
    assert csat[5] == 5
    assert csat[7] == "stratified proportion; normal interval"  # in the reader's language
    assert rows[("unweighted", "CSAT (top-2-box)")][2] == pytest.approx(0.6)
    assert rows[("weighted by stratum", "NPS")][2] == pytest.approx(10.0)
    assert rows[("weighted by stratum", "CES (mean, 1–7)")][2] == pytest.approx(3.95)
    assert sheet.cell(2, 3).number_format == "0.0%"  # CSAT is a share


def test_excel_servqual_items_cell_by_cell(analyst, as_user, campaign) -> None:
    sheet = _workbook(as_user(analyst), "/surveys/sq-small/analysis/export.xlsx")["SERVQUAL items"]
    assert [c.value for c in sheet[1]] == [
        "Item",
        "Dimension",
        "Text",
        "Mean expectation",
        "Mean perception",
        "Gap P − E",
        "CI low",
        "CI high",
        "n",
    ]
    s2 = [c.value for c in sheet[3]]
    assert s2[:3] == ["s2", "responsiveness", "接通快"]
    assert s2[3] == pytest.approx(6.0)  # E: 7, 7, 5, 5, 6
    assert s2[4] == pytest.approx(4.6)  # P: 4, 5, 3, 5, 6
    assert s2[5] == pytest.approx(-1.4)
    assert s2[6] < -1.4 < s2[7]
    assert s2[8] == 5


def test_excel_dimensions_and_overall_scores(analyst, as_user, campaign) -> None:
    sheet = _workbook(as_user(analyst), "/surveys/sq-small/analysis/export.xlsx")[
        "SERVQUAL dimensions"
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    tangibles, responsiveness = rows[0], rows[1]
    assert tangibles[0] == "tangibles"
    assert tangibles[3] == pytest.approx(-0.6)
    assert tangibles[7] == pytest.approx(0.45)  # importance (40 + 50) / 2 points
    assert responsiveness[3] == pytest.approx(-1.0)
    overall = {row[0]: row for row in rows[3:] if row[0]}
    assert overall["Unweighted SERVQUAL score"][1] == pytest.approx(-0.8)
    assert overall["Importance-weighted SERVQUAL score"][1] == pytest.approx(-1.35)
    assert overall["Expectation achievement rate"][1] == pytest.approx(0.2)


def test_excel_response_rates_and_chi_square(analyst, as_user, campaign) -> None:
    sheet = _workbook(as_user(analyst), f"/surveys/campaigns/{campaign.pk}/analysis/export.xlsx")[
        "Response rates"
    ]
    gold = [c.value for c in sheet[2]]
    assert gold[:7] == ["tier=gold", 100, 10, 2, 2, 1.0, pytest.approx(0.3424, abs=1e-4)]
    assert gold[8] == pytest.approx(0.1)
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Chi-square"
    assert last[1] == pytest.approx(5.0)  # 1.5²/0.5 + 1.5²/4.5


def test_csv_starts_with_bom_and_header(analyst, as_user, campaign) -> None:
    response = as_user(analyst).get("/surveys/sq-small/analysis/answers.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(lines[0]) == ANSWER_COLUMNS
    # 5 respondents × (6 SERVQUAL parts + NPS + CSAT + CES) + 2 × 5 importance + 2 texts
    assert len(lines) - 1 == 5 * 9 + 10 + 2


def test_csv_keeps_chinese_text_and_defuses_formulas(analyst, as_user, campaign) -> None:
    body = b"".join(
        as_user(analyst)
        .get(f"/surveys/campaigns/{campaign.pk}/analysis/answers.csv")
        .streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    texts = [row["text"] for row in rows if row["question"] == "say"]
    assert "等太久了" in texts
    assert "'=SUM(A1)" in texts
    servqual = next(r for r in rows if r["question"] == "s1" and r["part"] == "expectation")
    assert servqual["stratum"] == "tier=gold"
    assert servqual["campaign"] == campaign.code
    assert float(servqual["value"]) == 7.0
