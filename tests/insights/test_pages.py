"""The benchmarks page per role, its downloads, and the upload form."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.insights.factories import (
    OurOfferingFactory,
    PeerCentreFactory,
    PeerOfferingFactory,
    PeerValueFactory,
)
from yuqi.imports.models import ImportRun
from yuqi.insights.models import PeerIndicatorValue

URL = "/insights/benchmarks/"


@pytest.fixture
def data(db):
    PeerValueFactory(peer=PeerCentreFactory(name="某省移动10086"), value=Decimal("0.92"))
    PeerValueFactory(peer=PeerCentreFactory(name="某银行信用卡中心"), value=Decimal("0.88"))
    PeerOfferingFactory(
        peer=PeerCentreFactory(name="某省移动10086"),
        offering__code="video",
        offering__name="视频客服",
    )
    OurOfferingFactory(offering__code="sms", offering__name="短信满意度回访")


def test_agents_may_not_see_benchmarks(as_user, agent):
    assert as_user(agent).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["supervisor", "analyst", "manager", "admin_user"])
def test_benchmarks_page_for_roles_that_see_insights(as_user, persona, request, data):
    body = as_user(request.getfixturevalue(persona)).get(URL).content.decode()
    assert 'data-indicator="answer_rate"' in body
    assert 'data-offering="video"' in body  # 他有我无
    assert "视频客服" in body


def test_supervisors_see_no_import_form_analysts_do(as_user, supervisor, analyst, data):
    assert "benchmarks/import/" not in as_user(supervisor).get(URL).content.decode()
    assert "benchmarks/import/" in as_user(analyst).get(URL).content.decode()


def test_nav_shows_benchmarks_to_analysts(as_user, analyst):
    assert 'href="/insights/benchmarks/"' in as_user(analyst).get("/").content.decode()


def test_csv_download_has_the_indicator_rows(as_user, analyst, data):
    response = as_user(analyst).get(URL + "download.csv?period_from=2026-05&period_to=2026-05")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "Answer rate" in text
    assert "0.92" in text


def test_excel_download_of_offering_gaps(as_user, manager, data):
    response = as_user(manager).get(URL + "offering-gaps.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1:5] == ("video", "视频客服", "Callback", 1)
    assert rows[2][1] == "sms"


def test_upload_imports_now_and_reports_rejected_rows(as_user, analyst, db):
    content = "对标中心,指标,期间,数值\n甲,接通率,2026-05,91%\n乙,接通率,2026-05,abc\n"
    upload = SimpleUploadedFile("peers.csv", content.encode("utf-8"), content_type="text/csv")
    client = as_user(analyst)
    response = client.post(URL + "import/", {"kind": "peers", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    assert client.get(response["Location"]).status_code == 200
    report = client.get(f"/imports/{run.pk}/errors.csv")
    assert "abc" in b"".join(report.streaming_content).decode("utf-8-sig")
    assert (run.kind, run.rows_created, run.rows_rejected) == ("peers", 1, 1)
    assert PeerIndicatorValue.objects.get().value == Decimal("0.9100")


def test_supervisors_cannot_upload(as_user, supervisor, db):
    upload = SimpleUploadedFile("peers.csv", b"a,b\n", content_type="text/csv")
    response = as_user(supervisor).post(URL + "import/", {"kind": "peers", "file": upload})
    assert response.status_code == 403
