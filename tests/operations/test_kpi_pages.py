"""KPI explorer, definitions page and ``GET /kpis``: access, table = download, formulas shown."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from ninja.errors import HttpError, ValidationError

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory, QueueFactory
from yuqi.domain.kpi import DEFINITIONS
from yuqi.operations.kpi import api as kpi_api
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.operations.kpi.views import KPI_LABELS, table_cells

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 3)


def at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(DAY.year, DAY.month, DAY.day, hour, minute))


@pytest.fixture
def contacts():
    general, vip = QueueFactory(code="general", name="普通"), QueueFactory(code="vip", name="VIP")
    customer = CustomerFactory()
    for n in range(6):
        InteractionFactory(
            queue=general, arrived_at=at(9, 5 * n), customer=customer, wait_seconds=5 * n
        )
    InteractionFactory(
        queue=vip,
        arrived_at=at(10),
        answered_at=None,
        abandoned=True,
        wait_seconds=40,
        talk_seconds=0,
        wrap_seconds=0,
    )
    InteractionFactory(
        queue=vip,
        arrived_at=at(10, 40),
        answered_at=None,
        abandoned=True,
        wait_seconds=2,
        talk_seconds=0,
        wrap_seconds=0,
    )


def explorer(**params) -> str:
    query = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), **params}
    return (
        reverse("operations:kpi_explorer")
        + "?"
        + "&".join(
            f"{k}={v}"
            for k, values in query.items()
            for v in (values if isinstance(values, list) else [values])
        )
    )


@pytest.mark.parametrize("name", ["operations:kpi_explorer", "operations:kpi_definitions"])
def test_agent_is_refused_and_analyst_allowed(as_user, agent, analyst, name):
    assert as_user(agent).get(reverse(name)).status_code == 403
    assert as_user(analyst).get(reverse(name)).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("operations:kpi_explorer")).status_code == 302


def test_explorer_shows_the_table_and_a_chart(as_user, analyst, contacts):
    response = as_user(analyst).get(explorer(by=["queue", "interval"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-echarts" in page
    assert 'id="kpi-chart"' in page
    option = json.loads(
        page.split('id="kpi-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert option["xAxis"]["data"][0] == "2025-03-03 09:00 · 普通"  # time first
    assert "<td>VIP</td>" in page


def test_htmx_request_gets_only_the_results(as_user, analyst, contacts):
    response = as_user(analyst).get(explorer(by="queue"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert "kpi-table" in page


def test_csv_download_is_exactly_the_table(as_user, analyst, contacts):
    from django.utils import translation

    client = as_user(analyst)
    client.cookies["django_language"] = "en"  # read the column headers by their English names
    with translation.override("en"):
        response = client.get(explorer(by="queue", format="csv"))
        table = table_cells(kpi_table(date_from=DAY, date_to=DAY, by=["queue"]), ["queue"])
        headers = [str(h) for h in table.headers]
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == headers
    assert lines[1:] == [["" if c is None else str(c) for c in row] for row in table.rows]
    general = dict(zip(lines[0], lines[1], strict=True))
    assert general["Offered"] == "6"
    assert general["Service level (%)"] == "83.3"  # waits 0..25 s: 5 of 6 within 20 s
    vip = dict(zip(lines[0], lines[2], strict=True))
    assert vip["Abandon rate (%)"] == "100.0"  # (2 − 1 short) / (2 − 1)
    assert vip["ASA (s)"] == ""  # nothing answered: no data, not 0


def test_xlsx_download(as_user, analyst, contacts):
    response = as_user(analyst).get(explorer(format="xlsx"))
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_invalid_filters_say_so(as_user, analyst):
    response = as_user(analyst).get(explorer(date_to="2025-01-01", by="colour"))
    assert response.status_code == 200
    assert "kpi-table" not in response.content.decode()


def test_definitions_page_lists_every_formula(as_user, analyst):
    page = as_user(analyst).get(reverse("operations:kpi_definitions")).content.decode()
    assert set(KPI_LABELS) == {d.code for d in DEFINITIONS}
    for definition in DEFINITIONS:
        assert f'id="kpi-{definition.code}"' in page
        assert escape(definition.formula) in page
        explanation = escape(definition.explanation).replace("``", "<code>", 1)
        assert explanation.split("``")[0] in page  # literals are shown as <code>


def api_request(user, **params):
    request = RequestFactory().get("/api/v1/kpis", params)
    request.user = user
    return request


def test_api_returns_rows(analyst, contacts):
    query = kpi_api.KpiQueryIn(date_from=DAY, date_to=DAY, by="queue,interval", interval=60)
    result = kpi_api.kpis(api_request(analyst), query)
    out = kpi_api.KpiTableOut.model_validate_json(result.content)
    assert [item.keys["queue"] for item in out.items] == ["general", "vip"]
    assert out.items[0].keys["interval"] == "2025-03-03T09:00:00+08:00"
    assert out.items[0].values.answer_rate == 1.0
    assert out.items[1].values.asa is None


def test_api_refuses_agents_and_bad_keys(agent, analyst):
    query = kpi_api.KpiQueryIn(date_from=DAY, date_to=DAY, by="queue")
    with pytest.raises(HttpError):
        kpi_api.kpis(api_request(agent), query)
    bad = kpi_api.KpiQueryIn(date_from=DAY, date_to=DAY - timedelta(1), by="queue,colour")
    with pytest.raises(ValidationError) as caught:
        kpi_api.kpis(api_request(analyst), bad)
    assert {error["loc"][1] for error in caught.value.errors} == {"by", "date_to"}


def test_api_over_http(as_user, agent, analyst, contacts):
    url = f"/api/v1/kpis?date_from={DAY}&date_to={DAY}&by=queue"
    assert as_user(agent).get(url).status_code == 403
    body = as_user(analyst).get(url).json()
    assert [item["labels"]["queue"] for item in body["items"]] == ["普通", "VIP"]
    bad = as_user(analyst).get(f"/api/v1/kpis?date_from={DAY}&date_to={DAY}&by=colour")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["path"] == "query.by"


def test_api_json_is_what_the_schema_would_dump(as_user, analyst, contacts):
    """The rows are built without pydantic's per-row check: the bytes must be those that
    validating the old plain dict with ``KpiTableOut`` and rendering it would give."""
    from yuqi.config.api import api
    from yuqi.operations.kpi.selectors import kpi_table_as_of

    url = f"/api/v1/kpis?date_from={DAY}&date_to={DAY}&by=queue,interval&interval=60"
    response = as_user(analyst).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows, as_of = kpi_table_as_of(
        date_from=DAY,
        date_to=DAY,
        by=["queue", "interval"],
        interval_minutes=60,
        channels=kpi_api.scope_channels(kpi_api.HEADLINE_SCOPE),
    )
    plain = {
        "by": ["queue", "interval"],
        "interval": 60,
        "as_of": as_of,
        "items": [
            {
                "keys": {k: kpi_api._iso(v) for k, v in row.keys.items()},
                "labels": dict(row.labels),
                "counts": row.counts.__dict__,
                "values": row.values.__dict__,
            }
            for row in rows
        ],
    }
    assert len(plain["items"]) >= 2
    validated = kpi_api.KpiTableOut.model_validate(plain).model_dump()
    expected = api.renderer.render(None, validated, response_status=200)
    assert response.content == expected.encode()


def test_api_numbers_take_the_schema_types():
    from decimal import Decimal

    from yuqi.domain.kpi import KpiCounts

    counts = KpiCounts(offered=Decimal(3), answered=2, longest_wait_seconds=None)
    out = kpi_api._numbers(counts, kpi_api._COUNTS)
    assert out["offered"] == 3
    assert type(out["offered"]) is int
    assert out["longest_wait_seconds"] is None
    assert list(out) == list(kpi_api.KpiCountsOut.model_fields)
    assert out == kpi_api.KpiCountsOut.model_validate(counts.__dict__).model_dump()


def test_the_published_schema_of_the_kpis_answer_is_kept(client):
    schema = client.get("/api/openapi.json").json()
    answer = schema["paths"]["/api/v1/kpis"]["get"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/KpiTableOut")
    assert set(schema["components"]["schemas"]["KpiRowOut"]["properties"]) == {
        "keys",
        "labels",
        "counts",
        "values",
    }
