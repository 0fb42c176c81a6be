"""The Kano analysis page and API show strength and Fong's test, and a close lead as mixed."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.surveys.analysis_factories import respond
from yuqi.surveys import services
from yuqi.surveys.models import Survey

pytestmark = pytest.mark.django_db

# answer numbers: like 1, must-be 2, neutral 3, live-with 4, dislike 5
O_PAIR = {"functional": 1, "dysfunctional": 5}
M_PAIR = {"functional": 3, "dysfunctional": 5}
A_PAIR = {"functional": 1, "dysfunctional": 3}


@pytest.fixture
def kano_survey():
    services.survey_install_templates(keys=["kano-service-features"])
    survey = Survey.objects.get(code="kano-service-features")
    # callback: O 10, M 9, A 6 (n = 25): lead 1 < 1.65·sqrt(19·31/50) = 5.66 → mixed
    # queue-position: O 20, A 5 (n = 25): lead 15 ≥ 1.65·sqrt(25·25/50) = 5.83 → definite
    pairs = [O_PAIR] * 10 + [M_PAIR] * 9 + [A_PAIR] * 6
    for index, callback in enumerate(pairs):
        respond(
            survey,
            {"k-callback": callback, "k-queue-position": O_PAIR if index < 20 else A_PAIR},
        )
    return survey


def test_page_shows_strengths_fong_and_mixed_class(analyst, as_user, kano_survey) -> None:
    with translation.override("en"):
        page = as_user(analyst).get("/surveys/kano-service-features/analysis/").content.decode()
    assert "<th>Fong's test</th>" in page
    assert "Total strength" in page
    assert "Category strength" in page
    assert "not significant: lead 1 &lt; 5.7" in page
    assert "significant: lead 15 ≥ 5.8" in page
    assert "mixed" in page
    assert "plan as Must-be (M) by M &gt; O &gt; A &gt; I" in page
    assert "100%" in page  # total strength of both features (A + O + M = n)
    assert "4%" in page  # category strength of callback: (10 − 9) / 25


def test_page_in_chinese(analyst, as_user, kano_survey) -> None:
    client = as_user(analyst)
    page = client.get(
        "/surveys/kano-service-features/analysis/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "Fong 检验" in page
    assert "总强度" in page
    assert "类别强度" in page
    assert "不显著：领先 1" in page
    assert "混合" in page
    assert "Kano 类别" in page  # the column is not headed 业务类型 any more


def test_api_gives_the_same_fields(analyst, as_user, kano_survey) -> None:
    response = as_user(analyst).get("/api/v1/surveys/kano-service-features/analysis")
    assert response.status_code == 200, response.content
    rows = {row["feature"]: row for row in response.json()["kano"]}
    callback = rows["callback"]
    assert callback["significant"] is False
    assert callback["mixed"] is True
    assert callback["candidates"] == ["M", "O", "A"]  # A: gap 4 < 1.65·sqrt(16·34/50) = 5.44
    assert callback["decision"] == "M"
    assert callback["total_strength"] == pytest.approx(1.0)
    assert callback["category_strength"] == pytest.approx(0.04)
    assert callback["fong_margin"] == pytest.approx(5.6631, abs=1e-4)
    assert rows["queue-position"]["significant"] is True


def test_the_excel_download_has_the_same_kano_figures(kano_survey) -> None:
    from yuqi.surveys.analysis import survey_report
    from yuqi.surveys.exports import results_workbook

    with translation.override("en"):
        book = results_workbook(survey_report(kano_survey))
    sheet = book["Kano"]
    header = [cell.value for cell in sheet[1]]
    assert header[-4:] == [
        "Total strength",
        "Category strength",
        "Fong's test",
        "Kano class to plan with",
    ]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    callback = rows["callback"]
    assert callback[-4] == pytest.approx(1.0)
    assert callback[-3] == pytest.approx(0.04)
    assert callback[-2] == "not significant (margin 5.7): mixed M/O/A"
    assert callback[-1] == "M"
    assert rows["queue-position"][-2] == "significant (margin 5.8)"


def test_the_register_takes_the_class_to_plan_with(kano_survey) -> None:
    from yuqi.surveys.facade import kano_classes

    classes = kano_classes()
    assert classes["callback"][0] == "M"  # O leads M by 1 of 25: mixed, M > O > A > I
    assert classes["queue-position"][0] == "O"  # a significant lead
