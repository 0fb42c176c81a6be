"""One number, one value: each headline measure computed for the same period on every page
that shows it — dashboard, KPI explorer (CSV), scorecard (CSV), benchmarks (page download
and API), service measures (CSV) and the API — must agree. Complaint SLA compliance is that
of the clocks due in the period (dashboard, scorecard, service measures page and API, the
complaints facade).

The day (Mon 2 March 2026, "now" 11:00) holds phone calls (answered fast and slow, with hold
and wrap-up, abandoned short and long, FCR flags), one e-mail that waited ten hours (it must
not enter any real-time or voice figure), the complaints of the hand-computed case, promises
due that morning, and survey answers with CSAT and NPS. Peers publish March figures for the
voice hotline and satisfaction/NPS for all channels.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.commitments.factories import CommitmentFactory
from tests.complaints.conftest import frozen, outbox  # noqa: F401
from tests.complaints.factories import open_complaint, sh
from tests.complaints.test_measures import case  # noqa: F401  (the complaints of 2 March)
from tests.insights.factories import PeerCentreFactory, PeerValueFactory
from tests.interactions.factories import InteractionFactory
from tests.surveys.analysis_factories import load_small, make_survey
from yuqi.complaints.facade import sla_compliance
from yuqi.operations.dashboard.selectors import dashboard_day
from yuqi.surveys.models import Response

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)
QUERY = "date_from=2026-03-02&date_to=2026-03-02"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def centre(case, agent, frozen, supervisor):  # noqa: F811
    # a complaint opened on Saturday 28 February (a working day) whose first-response target
    # fell on the morning of 2 March and is still open at 11:00: due on the day, breached now
    frozen.set(sh(2026, 2, 28, 15, 30))
    open_complaint(by=supervisor)
    frozen.set(sh(2026, 3, 2, 11))
    at = sh(2026, 3, 2, 9)
    calls = [  # wait, talk, hold, wrap, fcr
        (4, 200, 30, 20, True),
        (12, 180, 0, 15, True),
        (25, 300, 60, 30, False),
        (8, 150, 10, 10, None),
    ]
    for n, (wait, talk, hold, wrap, fcr) in enumerate(calls):
        InteractionFactory(
            arrived_at=at + timedelta(minutes=n),
            answered_at=at + timedelta(minutes=n, seconds=wait),
            wait_seconds=wait,
            talk_seconds=talk,
            hold_seconds=hold,
            wrap_seconds=wrap,
            first_contact_resolved=fcr,
        )
    for n, wait in enumerate((3, 40)):  # a short and a long abandon
        InteractionFactory(
            arrived_at=at + timedelta(minutes=10 + n),
            answered_at=None,
            abandoned=True,
            wait_seconds=wait,
            talk_seconds=0,
            wrap_seconds=0,
            agent=None,
        )
    InteractionFactory(arrived_at=at, channel="email", wait_seconds=36_000)
    for due_hour, status, fulfilled in (
        (9, "fulfilled", 8),
        (10, "fulfilled", 11),
        (10, "broken", None),
    ):
        CommitmentFactory(
            promised_by=agent,
            promised_at=sh(2026, 3, 1, 9),
            due_at=sh(2026, 3, 2, due_hour),
            status=status,
            fulfilled_at=sh(2026, 3, 2, fulfilled) if fulfilled else None,
            broken_at=sh(2026, 3, 2, due_hour, 5) if status == "broken" else None,
        )
    survey = make_survey("relationship")
    load_small(survey)
    Response.objects.update(submitted_at=sh(2026, 3, 2, 8))
    peer = PeerCentreFactory(name="甲")
    for indicator, value, scope in (
        ("service_level", "0.80", "voice"),
        ("answer_rate", "0.90", "voice"),
        ("asa_seconds", "18", "voice"),
        ("fcr", "0.70", "voice"),
        ("satisfaction", "85", "all"),
        ("nps", "20", "all"),
    ):
        PeerValueFactory(
            peer=peer,
            indicator=indicator,
            scope=scope,
            value=Decimal(value),
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
        )


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _pct(value) -> float | None:
    return None if value in (None, "") else round(float(value) * 100, 1)


def _num(value) -> float | None:
    return None if value in (None, "") else round(float(value), 1)


def test_every_headline_measure_has_one_value_on_every_page(as_user, manager, centre):
    client = as_user(manager)
    found: dict[str, dict[str, float | None]] = {}

    def put(measure: str, page: str, value: float | None) -> None:
        found.setdefault(measure, {})[page] = value

    # dashboard (the phone channel)
    cards = {c.kpi: c.value for c in dashboard_day(DAY).cards}
    for kpi in ("service_level", "answer_rate", "fcr"):
        put(kpi, "dashboard", _pct(cards[kpi]))
    put("asa", "dashboard", _num(cards["asa"]))

    # KPI explorer download (default: real-time channels)
    (explorer,) = _csv(client.get(f"/operations/kpis/?{QUERY}&format=csv"))
    put("service_level", "explorer", _num(explorer["Service level (%)"]))
    put("answer_rate", "explorer", _num(explorer["Answer rate (%)"]))
    put("fcr", "explorer", _num(explorer["FCR (recorded) (%)"]))
    put("asa", "explorer", _num(explorer["ASA (s)"]))
    put("aht", "explorer", _num(explorer["AHT (s)"]))

    # KPI API (default: real-time channels)
    (item,) = client.get(f"/api/v1/kpis?{QUERY}").json()["items"]
    values = item["values"]
    for kpi in ("service_level", "answer_rate", "fcr"):
        put(kpi, "api", _pct(values[kpi]))
    put("asa", "api", _num(values["asa"]))
    put("aht", "api", _num(values["aht"]))

    # scorecard download (March to "now", 2 March)
    scorecard = {
        row["Measure"]: row["Value"]
        for row in _csv(client.get("/operations/scorecard/download.csv?month=2026-03"))
    }
    put("service_level", "scorecard", _pct(scorecard["Service level"]))
    put("answer_rate", "scorecard", _pct(scorecard["Answer rate"]))
    put("fcr", "scorecard", _pct(scorecard["First-contact resolution"]))
    put("csat", "scorecard", _pct(scorecard["Customer satisfaction (CSAT)"]))
    put("nps", "scorecard", _num(scorecard["Net Promoter Score"]))
    put("sla", "scorecard", _pct(scorecard["Complaints handled within deadline"]))
    put("promise", "scorecard", _pct(scorecard["Promises kept on time"]))

    # benchmarks: the page's download and the API (voice hotline; survey figures all)
    bench = client.get("/api/v1/benchmarks?period_from=2026-03-01&period_to=2026-03-31").json()
    ours = {i["indicator"]: i["ours"] for i in bench["indicators"]}
    download = {
        row["Indicator"]: row["Our value"]
        for row in _csv(
            client.get("/insights/benchmarks/download.csv?period_from=2026-03&period_to=2026-03")
        )
    }
    for kpi, label in (("service_level", "Service level"), ("answer_rate", "Answer rate"),
                       ("fcr", "First-contact resolution")):  # fmt: skip
        put(kpi, "benchmarks api", _pct(ours[kpi]))
        put(kpi, "benchmarks page", _pct(download[label]))
    put("asa", "benchmarks api", _num(ours["asa_seconds"]))
    put("asa", "benchmarks page", _num(download["Average speed of answer (s)"]))
    put("csat", "benchmarks api", _num(ours["satisfaction"]))
    put("csat", "benchmarks page", _num(download["Satisfaction"]))
    put("nps", "benchmarks api", _num(ours["nps"]))

    # the survey analysis for the same days (page figure source and API)
    analysis = client.get(f"/api/v1/surveys/relationship/analysis?{QUERY}").json()["headline"]
    put("csat", "survey api", _pct(analysis["csat"]["value"]))
    put("nps", "survey api", _num(analysis["nps"]["value"]))

    # service measures: page download and API
    (measures,) = _csv(client.get(f"/complaints/measures/?{QUERY}&format=csv"))
    put("sla", "measures page", _num(measures["SLA met, all clocks due (%)"]))
    promises = _csv(client.get(f"/complaints/measures/?{QUERY}&format=csv&table=promises"))
    (total,) = [r for r in promises if r["Group"] == "All promises"]
    put("promise", "measures page", _num(total["Kept-on-time rate (%)"]))
    api = client.get(f"/api/v1/complaints/measures?{QUERY}").json()
    put("sla", "measures api", _pct(api["items"][0]["measures"]["sla_compliance_all"]))

    # complaint SLA compliance (clocks due in the period): the dashboard and the facade
    page = client.get(
        reverse("operations:dashboard") + "?day=2026-03-02&channel=phone"
    ).content.decode()
    found_sla = re.search(r'data-complaint-sla="([0-9.]+)"', page)
    put("sla", "dashboard", _pct(found_sla.group(1)) if found_sla else None)
    put("sla", "facade", _pct(sla_compliance(date_from=DAY, date_to=DAY).rate))
    put("promise", "measures api", _pct(api["promises"]["total"][0]["kept_on_time_rate"]))

    disagreements = {
        measure: pages for measure, pages in found.items() if len(set(pages.values())) != 1
    }
    assert disagreements == {}
    # and each is a real figure, not a shared "no data"
    assert all(None not in pages.values() for pages in found.values()), found
    assert found["sla"]["facade"] == pytest.approx(66.7)  # 2 met of 3 due, 1 open past target
    assert found["asa"]["explorer"] < 60  # the e-mail's ten hours are in none of them
    assert found["aht"]["api"] == pytest.approx(
        round((200 + 30 + 20 + 180 + 15 + 300 + 60 + 30 + 150 + 10 + 10) / 4, 1)
    )
    assert len(found) == 9
