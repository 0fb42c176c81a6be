"""Exports are inert: every spreadsheet cell the product writes goes through one guard.

Review 2026-12 F-3 (the evaluation table's Excel wrote ``=HYPERLINK(...)`` as a live formula)
and F-10 (a control character in a question text made the survey analysis Excel answer 500).

Three layers: the guard itself; hostile text stored where users can type it, then read back
from the export routes that show it; and every export route of the URL map, enumerated, each
of which must pass its cells through the guard (a new export route fails the enumeration test
until it is listed here).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from yuqi.core import cells

PAYLOADS = (
    '=HYPERLINK("http://x.invalid","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


# --------------------------------------------------------------------------- the guard


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_starting_like_a_formula_is_prefixed(payload):
    assert cells.csv_cell(payload) == "'" + payload
    assert cells.xlsx_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", [-3, -2.5, 0, 7, None, date(2026, 5, 1)])
def test_numbers_and_other_values_are_left_alone(value):
    assert cells.csv_cell(value) == value
    assert cells.xlsx_cell(value) == value


@pytest.mark.parametrize("text", ["-3", "+1.5", "-2e3", "满意", "a=b", "ok"])
def test_plain_numbers_and_ordinary_text_stay_as_they_are(text):
    assert cells.csv_cell(text) == text


def test_excel_cells_lose_the_characters_openpyxl_refuses():
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    cells.append_xlsx_row(sheet, ["问题\x1a文本\x03", "\x1a=1+1"])  # no IllegalCharacterError
    book.save(io.BytesIO())
    assert cells.xlsx_cell("问题\x1a文本\x03") == "问题文本"
    assert cells.xlsx_cell("\x1a=1+1") == "'=1+1"


# --------------------------------------------------------------------------- reading exports


def _file_cells(response) -> list[tuple[object, str]]:
    """Every cell of a CSV or Excel download as (value, openpyxl data type or "csv")."""
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    if body[:2] == b"PK":
        book = load_workbook(io.BytesIO(body))
        return [
            (cell.value, cell.data_type)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    text = body.decode("utf-8-sig")
    return [(value, "csv") for row in csv.reader(io.StringIO(text)) for value in row]


def assert_inert(response) -> list[tuple[object, str]]:
    assert response.status_code == 200, response.status_code
    found = _file_cells(response)
    for value, kind in found:
        assert kind != "f", f"live formula {value!r}"
        if isinstance(value, str) and value.startswith(FORMULA_START):
            assert _NUMBER.fullmatch(value), f"unguarded cell {value!r}"
    return found


def _text(found) -> str:
    return "\n".join(str(value) for value, _kind in found)


# --------------------------------------------------------------------------- hostile data


@pytest.fixture
def hostile_evaluation(analyst):
    from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
    from yuqi.insights import evaluation

    evaluation.scoring_settings_update(population=10_000)
    for number, payload in enumerate(PAYLOADS):
        ExpectationFactory(
            code=f"bad-{number}", statement=payload, statement_en=payload, action=payload
        )
    return evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt_url", ["/insights/evaluation/{pk}/export.xlsx"])
def test_the_evaluation_excel_has_no_live_formula(hostile_evaluation, admin_user, as_user, fmt_url):
    response = as_user(admin_user).get(fmt_url.format(pk=hostile_evaluation.pk))
    text = _text(assert_inert(response))
    for payload in PAYLOADS:
        assert "'" + payload.replace("\r", "\n") in text.replace("\r", "\n")


@pytest.mark.django_db
def test_the_evaluation_excel_from_the_api_has_no_live_formula(hostile_evaluation, admin_user):
    from django.test import Client

    client = Client()
    client.force_login(admin_user, backend="yuqi.accounts.backends.KeptPermissionsBackend")
    response = client.get(f"/api/v1/evaluations/{hostile_evaluation.pk}/export.xlsx")
    assert "'" + PAYLOADS[0] in _text(assert_inert(response))


@pytest.fixture
def hostile_campaign():
    from tests.surveys.analysis_factories import load_small, make_campaign, make_survey
    from yuqi.surveys.models import Answer, Question

    survey = make_survey()
    campaign = make_campaign(survey)
    load_small(survey, campaign)
    # F-10: a control character in a question text (the API accepted it).
    Question.objects.filter(code="nps").update(text=PAYLOADS[0] + "\x1a\x03")
    answers = Answer.objects.filter(question__code="say")
    for answer, payload in zip(answers, PAYLOADS, strict=False):
        answer.text = payload
        answer.save(update_fields=["text"])
    return survey, campaign


@pytest.mark.django_db
def test_survey_exports_are_inert_and_survive_control_characters(
    hostile_campaign, analyst, as_user
):
    survey, campaign = hostile_campaign
    client = as_user(analyst)
    for url in (
        f"/surveys/{survey.code}/analysis/export.xlsx",
        f"/surveys/campaigns/{campaign.pk}/analysis/export.xlsx",
    ):
        assert "'" + PAYLOADS[0] in _text(assert_inert(client.get(url)))
    for url in (
        f"/surveys/{survey.code}/analysis/answers.csv",
        f"/surveys/campaigns/{campaign.pk}/analysis/answers.csv",
    ):
        text = _text(assert_inert(client.get(url)))
        assert "'" + PAYLOADS[0] in text
        assert "'" + PAYLOADS[1] in text


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_benchmark_downloads_are_inert(fmt, analyst, as_user):
    from tests.insights.factories import OfferingFactory, PeerCentreFactory, PeerOfferingFactory

    for number, payload in enumerate(PAYLOADS):
        peer = PeerCentreFactory(name=payload)
        PeerOfferingFactory(peer=peer, offering=OfferingFactory(code=f"o{number}", name=payload))
    client = as_user(analyst)
    assert_inert(client.get(f"/insights/benchmarks/download.{fmt}"))
    text = _text(assert_inert(client.get(f"/insights/benchmarks/offering-gaps.{fmt}")))
    assert "'" + PAYLOADS[0] in text


@pytest.mark.django_db
def test_import_error_reports_are_inert(manager, as_user, settings):
    from pathlib import Path

    from tests.imports.factories import ImportRunFactory
    from yuqi.core.private_files import open_private
    from yuqi.ingest.report import ErrorReport

    path = Path(settings.EXPORTS_DIR) / "import-hostile-errors.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    report = ErrorReport(path, opener=open_private)
    for number, payload in enumerate(PAYLOADS, start=2):
        report.add(number, payload, payload, {"name": payload})
    report.close()
    run = ImportRunFactory(error_report=str(path), status="done")
    text = _text(assert_inert(as_user(manager).get(f"/imports/{run.pk}/errors.csv")))
    assert "'" + PAYLOADS[0] in text


# --------------------------------------------------------------------------- every route

#: Every route that answers a CSV or Excel file, with the URLs that reach it (``{survey}``,
#: ``{campaign}``, ``{run}``, ``{evaluation}``: objects of the ``export_objects`` fixture).
EXPORT_ROUTES: dict[str, tuple[str, ...]] = {
    "operations:dashboard_download": ("/operations/dashboard.csv", "/operations/dashboard.xlsx"),
    "operations:kpi_explorer": ("/operations/kpis/?format=csv", "/operations/kpis/?format=xlsx"),
    "operations:staffing_plan_download": ("{staffing}", "{staffing}&format=xlsx"),
    "operations:pyramid_download": tuple(
        f"/operations/pyramid/{table}.{fmt}"
        for table in ("segments", "migration", "service-segments", "service-tiers")
        for fmt in ("csv", "xlsx")
    ),
    "operations:scorecard_download": (
        "/operations/scorecard/download.csv",
        "/operations/scorecard/download.xlsx",
    ),
    "complaints:measures": (
        "/complaints/measures/?format=csv",
        "/complaints/measures/?format=xlsx",
        "/complaints/measures/?format=csv&table=promises",
    ),
    "insights:benchmarks_download": (
        "/insights/benchmarks/download.csv",
        "/insights/benchmarks/download.xlsx",
    ),
    "insights:offering_gaps_download": (
        "/insights/benchmarks/offering-gaps.csv",
        "/insights/benchmarks/offering-gaps.xlsx",
    ),
    "insights:evaluation_download": ("/insights/evaluation/{evaluation}/export.xlsx",),
    "surveys:survey_analysis_xlsx": ("/surveys/{survey}/analysis/export.xlsx",),
    "surveys:survey_answers_csv": ("/surveys/{survey}/analysis/answers.csv",),
    "surveys:campaign_analysis_xlsx": ("/surveys/campaigns/{campaign}/analysis/export.xlsx",),
    "surveys:campaign_answers_csv": ("/surveys/campaigns/{campaign}/analysis/answers.csv",),
    "imports:errors": ("/imports/{run}/errors.csv",),
    "api:evaluation_export": ("/api/v1/evaluations/{evaluation}/export.xlsx",),
    "workforce:roster_export": ("/workforce/rosters/{roster}/export.xlsx",),
}
#: Download routes whose formula safety is pinned by their own context's test, with it.
TESTED_ELSEWHERE = {
    # a person's export under a personal-information request: JSON and XLSX
    "privacy:export": "tests/privacy/test_requests.py (the Excel export never holds a formula)",
    "api:privacy_request_export": "tests/privacy/test_api.py (the same workbook, by API)",
}
#: Routes answering a file chosen by ``?format=``, which their URL cannot show.
QUERY_FORMAT_ROUTES = {"operations:kpi_explorer", "complaints:measures"}
#: Routes serving a file written earlier (the guard ran then; its hostile content is checked).
STORED_FILES = {"imports:errors"}
#: Downloads that need data this test does not build (two monthly snapshots; a queue to plan).
REFUSED_WITHOUT_DATA = {
    ("/operations/pyramid/migration.csv", 404),
    ("/operations/pyramid/migration.xlsx", 404),
    ("/operations/staffing/download/?", 400),
    ("/operations/staffing/download/?&format=xlsx", 400),
}
_FILE_ROUTE = re.compile(r"\.(csv|xlsx|<slug:fmt>)$|download|export")


def _routes(patterns=None, prefix="", namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, prefix + str(entry.pattern)


def test_every_file_route_is_covered_here():
    """A new download route must be added to EXPORT_ROUTES (and so checked below)."""
    found = {
        name
        for name, pattern in _routes()
        if _FILE_ROUTE.search(pattern) and not name.startswith("admin:")
    }
    assert (found | QUERY_FORMAT_ROUTES) - set(TESTED_ELSEWHERE) == set(EXPORT_ROUTES)


@pytest.fixture
def export_objects(hostile_evaluation, hostile_campaign, settings):
    from pathlib import Path

    from tests.imports.factories import ImportRunFactory
    from yuqi.core.private_files import open_private
    from yuqi.ingest.report import ErrorReport
    from yuqi.operations.staffing import services as staffing

    survey, campaign = hostile_campaign
    path = Path(settings.EXPORTS_DIR) / "import-routes-errors.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    report = ErrorReport(path, opener=open_private)
    report.add(2, "name", PAYLOADS[0], {"name": PAYLOADS[0]})
    report.close()
    queues = staffing.staffing_queues()
    staffing_url = "/operations/staffing/download/?"
    if queues:
        staffing_url += f"queue={queues[0].code}"
    return {
        "survey": survey.code,
        "campaign": campaign.pk,
        "evaluation": hostile_evaluation.pk,
        "run": ImportRunFactory(error_report=str(path), status="done").pk,
        "staffing": staffing_url,
        "roster": _hostile_roster().pk,
    }


def _hostile_roster():
    """A roster whose agent ids and shift names are formula payloads (workforce export)."""
    import datetime as dt

    from tests.accounts.factories import UserFactory
    from yuqi.workforce.models import Roster, RosterAssignment, ShiftTemplate, WorkforceAgent

    start = dt.date(2026, 11, 2)
    roster = Roster.objects.create(queue_code="hostile", start=start, days=1)
    for number, payload in enumerate(PAYLOADS):
        shift = ShiftTemplate.objects.create(name=payload[:40], start=dt.time(8), minutes=480)
        agent = WorkforceAgent.objects.create(user=UserFactory(), acd_code=payload[:60])
        RosterAssignment.objects.create(roster=roster, agent=agent, day=start, shift=shift)
        assert number == RosterAssignment.objects.count() - 1
    return roster


@pytest.mark.django_db
def test_every_export_route_passes_its_cells_through_the_guard(
    export_objects, admin_user, as_user, monkeypatch
):
    from yuqi.domain import cells as guard  # where the guard lives; core.cells re-exports it

    seen: list[str] = []
    real = guard._inert_text

    def spy(text: str) -> str:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(guard, "_inert_text", spy)
    client = as_user(admin_user)
    checked = 0
    for name, urls in EXPORT_ROUTES.items():
        for template in urls:
            url = template.format(**export_objects)
            seen.clear()
            response = client.get(url)
            if (url, response.status_code) in REFUSED_WITHOUT_DATA:
                continue  # needs data this test does not build: refused before any file
            assert response.status_code == 200, (url, response.status_code)
            found = assert_inert(response)  # reads a streamed file, so the guard runs here too
            text_cells = [value for value, _kind in found if isinstance(value, str)]
            if name not in STORED_FILES:
                assert seen or not text_cells, f"{url} writes cells without the guard"
            checked += 1
    assert checked >= 25
