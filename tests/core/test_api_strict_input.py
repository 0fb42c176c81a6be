"""What the published schema refuses, the API refuses (schemathesis ST201 "schema-violating
request accepted", and ST202 for enums published as plain text). Each case was accepted on
the code before (pydantic's lax mode: ``0`` read as 1970-01-01, ``false`` as 0, ``0`` as
false), or the enum was missing from ``/api/openapi.json``."""

from __future__ import annotations

import pytest

from tests.complaints.factories import open_complaint
from tests.core.api_checks import refused
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from tests.surveys import factories as survey_factories
from yuqi.config.api import api as ninja_api


# --- dates and times: ISO 8601 text only ------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "/audit/entries?date_to=0",
        "/interactions?date_to=0",
        "/interactions?date_from=1700000000",
        "/benchmarks?period_from=0",
        "/commitments?due_before=0.5",
        "/commitments?due_before=2026-12-01",  # a date is not a date-time
        "/kpis?date_from=0&date_to=1",
    ],
)
def test_a_number_is_not_a_date_in_a_query(api, query):
    refused(api.get(query))


def test_iso_dates_and_times_in_a_query_are_still_read(api):
    assert api.get("/interactions?date_from=2026-01-01&date_to=2026-01-31").status_code == 200
    assert api.get("/commitments?due_before=2026-12-01T08:00:00%2B08:00").status_code == 200
    assert api.get("/audit/entries?date_to=2026-12-01").status_code == 200


def test_a_number_is_not_a_date_in_a_body(api):
    customer = CustomerFactory()
    error = refused(api.post("/customers", {"external_id": "X1", "name": "x", "joined_on": 0}))
    assert error["fields"][0]["path"].endswith("joined_on")
    error = refused(
        api.post(
            "/commitments",
            {"customer": customer.external_id, "kind": "callback", "text": "x", "due_at": 0},
        )
    )
    assert error["fields"][0]["path"].endswith("due_at")


# --- numbers and booleans in JSON bodies ------------------------------------------------------
def test_false_is_not_a_number_in_a_body(api):
    base = {"calls": 100, "aht": 180, "target_sl": 0.8}
    assert api.post("/staffing", base).status_code == 200
    refused(api.post("/staffing", {**base, "agents": False}))
    refused(api.post("/staffing", {**base, "calls": True}))
    refused(api.post("/staffing", {**base, "aht": "180"}))
    survey_factories.survey(code="strict-s")
    refused(
        api.post("/campaigns", {"code": "c-strict", "survey": "strict-s", "reserve_share": False})
    )
    assert (
        api.post("/campaigns", {"code": "c-strict", "survey": "strict-s", "reserve_share": 0})
    ).status_code == 201


def test_false_is_not_an_id_or_a_version(api):
    ticket = open_complaint(by=api.user)
    refused(api.patch(f"/complaints/{ticket.pk}", {"version": False, "demand": "x"}))


def test_zero_is_not_a_boolean_in_a_body(api):
    interaction = InteractionFactory()
    refused(api.patch(f"/interactions/{interaction.pk}", {"transferred": 0}))
    refused(api.patch(f"/interactions/{interaction.pk}", {"transferred": "yes"}))
    assert api.patch(f"/interactions/{interaction.pk}", {"transferred": True}).status_code == 200


# --- enums: published, and refused when unknown -----------------------------------------------
ENUMS = [
    ("CommitmentIn", "kind", "callback"),
    ("ComplaintIn", "channel", "phone"),
    ("ComplaintPatch", "channel", "email"),
    ("ComplaintPatch", "complainer_type", "irate"),
    ("RecoveryIn", "kind", "apology"),
    ("CampaignIn", "sample_size_mode", "fixed"),
    ("CampaignIn", "allocation", "neyman"),
    ("CampaignIn", "channel", "call_list"),
]


def _enum(prop: dict) -> list:
    for branch in [prop, *prop.get("anyOf", [])]:
        if "enum" in branch:
            return branch["enum"]
    return []


@pytest.mark.parametrize(("component", "field", "value"), ENUMS)
def test_enum_fields_are_published(component, field, value):
    schema = ninja_api.get_openapi_schema(path_prefix="/api")["components"]["schemas"]
    assert value in _enum(schema[component]["properties"][field])


def test_commitment_filters_and_measures_publish_their_values():
    schema = ninja_api.get_openapi_schema(path_prefix="/api")
    parameters = {
        (path, p["name"]): p["schema"]
        for path in ("/api/v1/commitments", "/api/v1/commitments/measures")
        for p in schema["paths"][path]["get"]["parameters"]
    }
    assert "fulfilled" in _enum(parameters[("/api/v1/commitments", "status")])
    assert "refund" in _enum(parameters[("/api/v1/commitments", "kind")])
    assert "team" in _enum(parameters[("/api/v1/commitments/measures", "by")])


def test_unknown_enum_values_are_422(api):
    customer = CustomerFactory()
    ticket = open_complaint(by=api.user, customer=customer)
    refused(api.post("/commitments", {"customer": customer.external_id, "kind": "x", "text": "t"}))
    refused(
        api.post(
            "/complaints", {"customer": customer.external_id, "account": "a", "channel": "fax"}
        )
    )
    refused(api.post(f"/complaints/{ticket.pk}/recovery-actions", {"kind": "cake", "version": 1}))
    refused(api.get("/commitments?status=lost"))
    survey_factories.survey(code="strict-e")
    refused(api.post("/campaigns", {"code": "c-e", "survey": "strict-e", "allocation": "random"}))
    refused(api.post("/campaigns", {"code": "c-e", "survey": "strict-e", "strata_fields": ["age"]}))


def test_an_integral_float_is_still_an_integer(api):
    """JSON Schema counts 5.0 as an integer; refusing it would be a schema-valid request
    rejected (ST202)."""
    survey_factories.survey(code="strict-f")
    response = api.post(
        "/campaigns", {"code": "c-f", "survey": "strict-f", "exclude_surveyed_days": 5.0}
    )
    assert response.status_code == 201, response.content[:300]


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("InteractionPatch", "transferred"),
        ("ComplaintPatch", "channel"),
        ("QuestionPatch", "required"),
    ],
)
def test_not_null_fields_are_published_without_null(component, field):
    """The column is NOT NULL, so ``null`` answers 422: the document must not offer it."""
    prop = ninja_api.get_openapi_schema(path_prefix="/api")["components"]["schemas"][component][
        "properties"
    ][field]
    assert "anyOf" not in prop
    assert prop.get("type") in {"boolean", "string"}


def test_null_for_a_not_null_field_is_still_422(api):
    interaction = InteractionFactory()
    refused(api.patch(f"/interactions/{interaction.pk}", {"transferred": None}))
    ticket = open_complaint(by=api.user)
    refused(api.patch(f"/complaints/{ticket.pk}", {"version": ticket.version, "channel": None}))


@pytest.mark.parametrize("body", ["1", '"x"', "[]", "null", "true"])
def test_a_body_that_is_not_a_json_object_is_400(as_user, admin_user, body):
    """A PATCH with only optional fields answered 200 to the body ``1`` (and changed nothing)."""
    customer = CustomerFactory()
    response = as_user(admin_user).patch(
        f"/api/v1/customers/{customer.external_id}", data=body, content_type="application/json"
    )
    refused(response, 400)


def test_a_json_object_body_is_still_read(api):
    customer = CustomerFactory()
    response = api.patch(f"/customers/{customer.external_id}", {"region": "北京"})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["region"] == "北京"


def _money(component: str, field: str) -> dict:
    prop = ninja_api.get_openapi_schema(path_prefix="/api")["components"]["schemas"][component][
        "properties"
    ][field]
    (money,) = [branch for branch in prop["anyOf"] if "anyOf" in branch]
    return {branch["type"]: branch for branch in money["anyOf"]}


@pytest.mark.parametrize(
    ("component", "field", "maximum"),
    [
        ("CustomerPatch", "monthly_value", 9_999_999_999.99),
        ("CommitmentIn", "amount", 9_999_999_999.99),
        ("RecoveryIn", "cost", 99_999_999.99),
    ],
)
def test_money_publishes_its_text_pattern_and_bounds(component, field, maximum):
    """The string branch was a bare ``string``: "" or "abc" were schema-valid, then 422."""
    branches = _money(component, field)
    assert branches["number"]["maximum"] == maximum
    assert branches["number"]["minimum"] == 0
    assert "pattern" in branches["string"]


@pytest.mark.parametrize("value", ["", "1e5", "abc", "-1", -1, True, 0.001, "12345678901.5"])
def test_money_outside_the_document_is_422(api, value):
    customer = CustomerFactory()
    refused(api.patch(f"/customers/{customer.external_id}", {"monthly_value": value}))


@pytest.mark.parametrize(
    ("value", "stored"), [("225.62", "225.62"), (225.6, "225.60"), (12, "12.00")]
)
def test_money_as_number_or_text_is_read(api, value, stored):
    customer = CustomerFactory()
    response = api.patch(f"/customers/{customer.external_id}", {"monthly_value": value})
    assert response.status_code == 200, response.content[:300]
    customer.refresh_from_db()
    assert f"{customer.monthly_value:.2f}" == stored


@pytest.mark.parametrize("path", ["/api/v1/staffing/plan", "/api/v1/kpis"])
def test_interval_publishes_its_three_values(path):
    """``ge=15, le=60`` offered 16…59, which the API then refused (ST202)."""
    parameters = ninja_api.get_openapi_schema(path_prefix="/api")["paths"][path]["get"][
        "parameters"
    ]
    (interval,) = [p["schema"] for p in parameters if p["name"] == "interval"]
    assert interval["enum"] == [15, 30, 60]


def test_an_interval_outside_the_three_is_still_422(api):
    refused(api.get("/kpis?date_from=2026-01-01&date_to=2026-01-02&interval=45"))


def test_evaluation_period_publishes_its_century():
    """``ge=2000-01-01`` is not expressible on a JSON Schema date; 0001-01-01 was
    schema-valid, then 422 (ST202). The pattern says 20xx."""
    prop = ninja_api.get_openapi_schema(path_prefix="/api")["components"]["schemas"]["RunIn"][
        "properties"
    ]["period_start"]
    assert prop["pattern"] == r"^20\d{2}-\d{2}-\d{2}$"


@pytest.mark.parametrize("start", ["0", "tomorrow", "2026-02-13T10", "2026-02-13 10:00 +08"])
def test_calendar_due_from_must_look_like_iso_8601(api, start):
    refused(api.get(f"/calendars/default/due?from={start}&days=1"))


def test_interaction_channel_is_published_as_required_text():
    """``channel`` was a bare string: "" was schema-valid, then 422 "channel: required"."""
    prop = ninja_api.get_openapi_schema(path_prefix="/api")["components"]["schemas"][
        "InteractionIn"
    ]["properties"]["channel"]
    assert prop["minLength"] == 1
