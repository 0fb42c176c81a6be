"""Reproductions of the security review (2026-12) API findings: each answered 500 (or was
accepted and broke a page) on the code as reviewed. Now a 4xx with the error shape."""

from __future__ import annotations

from datetime import date

import pytest

from tests.complaints.factories import open_complaint
from tests.core.api_checks import refused
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from tests.surveys import factories as survey_factories
from yuqi.core.errors import DomainError
from yuqi.domain import sampling

HUGE = "9223372036854775808"  # 2**63: one past SQLite's and PostgreSQL's bigint


# --- F-9 #1: unbounded pagination offset -----------------------------------------------------
@pytest.mark.parametrize(
    "path",
    ["/users", "/customers", "/interactions", "/complaints", "/commitments", "/imports"],
)
def test_f9_1_offset_past_bigint_is_422(api, path):
    refused(api.get(f"{path}?offset={HUGE}"))


def test_f9_1_large_valid_offset_is_an_empty_page(api):
    assert api.get("/users?offset=1000000000").json()["items"] == []


# --- F-9 #2: unbounded integers reaching the ORM ---------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        f"/complaints?team={HUGE}",
        f"/commitments?agent={HUGE}",
        f"/textmining/analyses?complaint={HUGE}",
        f"/complaints?owner={HUGE}",
        f"/interactions/{HUGE}",
        f"/commitments/{HUGE}",
        f"/imports/{HUGE}",
    ],
)
def test_f9_2_integer_query_and_path_past_bigint_is_422(api, path):
    refused(api.get(path))


def test_f9_2_integer_body_past_bigint_is_422(api):
    refused(api.post("/textmining/labels", {"complaint_id": 2**64, "action": "confirm"}))


def test_f9_2_path_ids_past_bigint_on_post_are_422(api):
    refused(api.post(f"/complaints/1/recovery-actions/{HUGE}/approval", {"approve": True}))


# --- F-9 #3/#4: NOT NULL fields set to null --------------------------------------------------
def test_f9_3_interaction_transferred_null_is_422(api):
    interaction = InteractionFactory()
    error = refused(api.patch(f"/interactions/{interaction.pk}", {"transferred": None}))
    assert error["fields"][0]["path"].endswith("transferred")


def test_f9_4_question_required_null_is_422(api):
    survey_factories.survey(code="nulls")
    refused(api.patch("/surveys/nulls/questions/q1", {"required": None}))
    refused(api.patch("/surveys/nulls/questions/q1", {"text": None}))


# --- F-9 #5/#6: campaign bounds (service) and sampling margins (domain) ----------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_per_stratum", -1),
        ("exclude_surveyed_days", -1),
        ("seed", -5),
        ("expires_days", 0),
        ("margin", 1e-200),
    ],
)
def test_f9_5_campaign_values_out_of_range_are_422(api, field, value):
    survey_factories.survey(code="camp-survey")
    body = {"code": "sec-neg-1", "survey": "camp-survey", field: value}
    refused(api.post("/campaigns", body))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_per_stratum", -1),
        ("exclude_surveyed_days", -1),
        ("margin", 1e-200),
        ("prior_sds", {"all": float("inf")}),
        ("expires_days", 10**30),
    ],
)
def test_f9_5_campaign_service_refuses_values_the_database_would(db, field, value):
    from yuqi.surveys.campaigns import campaign_create

    survey_factories.survey(code="svc-survey")
    with pytest.raises(DomainError) as caught:
        campaign_create(values={"code": "svc", "survey": "svc-survey", field: value})
    assert caught.value.fields[0][0] == field


@pytest.mark.parametrize("margin", [1e-200, 1e-170, 1e-7, 0.0, -0.1, float("nan")])
def test_f9_6_sampling_refuses_margins_that_underflow(margin):
    with pytest.raises(ValueError, match="margin"):
        sampling.sample_size_proportion(margin=margin)
    with pytest.raises(ValueError, match="margin"):
        sampling.sample_size_mean(margin=margin, std_dev=1.0)


def test_f9_6_sampling_refuses_an_overflowing_mean_size():
    with pytest.raises(ValueError, match="too large"):
        sampling.sample_size_mean(margin=1e-6, std_dev=1e300)


def test_f9_6_smallest_margin_still_gives_a_size():
    assert sampling.sample_size_proportion(margin=sampling.MIN_MARGIN).completes > 10**11


# --- F-9 #7: empty escalation level ----------------------------------------------------------
def test_f9_7_empty_escalation_level_is_422(api):
    complaint = open_complaint(by=api.user)
    body = {"level": "", "version": complaint.version, "reason": "x"}
    refused(api.post(f"/complaints/{complaint.pk}/escalations", body))


def test_f9_7_escalate_service_refuses_no_level(admin_user):
    from yuqi.complaints.services import complaint_escalate

    complaint = open_complaint(by=admin_user)
    with pytest.raises(DomainError):
        complaint_escalate(
            complaint=complaint,
            level=None,
            by=admin_user,
            expected_version=complaint.version,
            reason="x",
        )


# --- F-9 #8: commitment amount digits --------------------------------------------------------
@pytest.mark.parametrize("amount", [1e30, "1e30", "0.001", -5])
def test_f9_8_commitment_amount_out_of_range_is_422(api, amount):
    customer = CustomerFactory()
    body = {"customer": customer.external_id, "kind": "compensation", "text": "x", "amount": amount}
    refused(api.post("/commitments", body))


# --- F-9: evaluation period dates ------------------------------------------------------------
def test_f9_evaluation_dates_out_of_range_are_422(api):
    refused(api.post("/evaluations", {"period_start": "0001-01-01", "period_end": "0001-01-31"}))


def test_f9_evaluation_service_bounds_dates(admin_user):
    from yuqi.insights.evaluation import evaluation_start

    with pytest.raises(DomainError):
        evaluation_start(period_start=date(1, 1, 1), period_end=date(1, 1, 31), by=admin_user)
    with pytest.raises(DomainError):
        evaluation_start(period_start=date(2001, 1, 1), period_end=date(2026, 1, 1), by=admin_user)


# --- F-7: codes are slugs, in the services the API and the pages share -----------------------
@pytest.mark.parametrize("code", ["µ", "𗓌", "Ìö", "a b", "a/b", "é"])
def test_f7_survey_code_must_be_a_slug_in_the_api(api, code):
    refused(api.post("/surveys", {"code": code, "title": "x"}))


@pytest.mark.parametrize("code", ["µ", "𗓌", "Ìö", "a.b"])
def test_f7_services_refuse_codes_that_are_not_slugs(db, code):
    from yuqi.surveys import campaigns, services

    with pytest.raises(DomainError):
        services.survey_create(code=code, title="x")
    made = survey_factories.survey(code="slugs")
    with pytest.raises(DomainError):
        services.survey_add_question(
            survey=made, spec={"code": code, "type": "text", "text": "意见"}
        )
    with pytest.raises(DomainError):
        campaigns.campaign_create(values={"code": code, "survey": "slugs"})


def test_f7_survey_pages_stay_up_after_api_writes(api, as_user, admin_user):
    assert api.post("/surveys", {"code": "µ", "title": "x"}).status_code == 422
    assert as_user(admin_user).get("/surveys/").status_code == 200
    assert as_user(admin_user).get("/surveys/campaigns/").status_code == 200


# --- F-10: control characters in question text, resource outside the enum --------------------
@pytest.mark.parametrize("text", ["bad\x1a", "\x03start", "del\x7f"])
def test_f10_control_characters_in_question_text_are_422(api, text):
    survey_factories.survey(code="ctl")
    refused(api.post("/surveys/ctl/questions", {"code": "q9", "type": "text", "text": text}))
    refused(api.patch("/surveys/ctl/questions/q1", {"help": text}))


def test_f10_tab_and_newline_stay_allowed(api):
    survey_factories.survey(code="ctl2")
    body = {"code": "q9", "type": "text", "text": "第一行\n第二行\t好"}
    assert api.post("/surveys/ctl2/questions", body).status_code == 201


def test_f10_expectation_resource_outside_the_enum_is_refused(admin_user):
    from yuqi.insights.expectations import expectation_create, expectation_update

    row = expectation_create(code="E-SEC", statement="每次投诉都给话费补偿", by=admin_user)
    with pytest.raises(DomainError):
        expectation_update(expectation=row, by=admin_user, resource="enormous")
    expectation_update(expectation=row, by=admin_user, resource="low")


# --- F-15: complaint text and notes have documented limits -----------------------------------
def test_f15_a_one_megabyte_complaint_is_422(api):
    customer = CustomerFactory()
    # 1 MB (ASCII; larger bodies are refused as a whole, with 413, before parsing)
    body = {"customer": customer.external_id, "account": "x" * 1_000_000}
    error = refused(api.post("/complaints", body))
    assert error["fields"][0]["path"] == "body.payload.account"


def test_f15_a_long_note_is_422(api):
    complaint = open_complaint(by=api.user)
    refused(api.post(f"/complaints/{complaint.pk}/events", {"text": "x" * 5000}))


def test_f15_page_forms_have_the_api_limits(db):
    from yuqi.commitments.forms import FulfilForm
    from yuqi.complaints.forms import NewComplaintForm
    from yuqi.core.api_types import LONG_TEXT, NOTE_TEXT

    form = NewComplaintForm(data={"customer": "C1", "account": "x" * (LONG_TEXT + 1)})
    assert not form.is_valid()
    assert "account" in form.errors
    form = NewComplaintForm(data={"customer": "C1", "account": "x", "demand": "x" * 5000})
    assert "demand" in form.errors
    assert "evidence" in FulfilForm(data={"evidence": "x" * (NOTE_TEXT + 1)}).errors


def test_query_integers_still_parse_from_the_query_string(as_user, manager):
    """Bounds must not make valid query values (always strings) fail: interval=30 is fine,
    interval=45 or a number past bigint is 422."""
    client = as_user(manager)
    query = "date_from=2026-11-01&date_to=2026-11-02"
    assert client.get(f"/api/v1/kpis?{query}&interval=30").status_code == 200
    assert client.get(f"/api/v1/kpis?{query}&interval=45").status_code == 422
    assert client.get(f"/api/v1/kpis?{query}&interval={HUGE}").status_code == 422


def test_f10_expectation_page_refuses_a_resource_outside_the_enum(as_user, admin_user):
    from yuqi.insights.expectations import expectation_create

    row = expectation_create(code="E-PAGE", statement="每次投诉都给话费补偿", by=admin_user)
    client = as_user(admin_user)
    response = client.post(f"/insights/expectations/{row.pk}/update/", {"resource": "enormous"})
    assert response.status_code < 500
    row.refresh_from_db()
    assert row.resource == ""
    assert client.get(f"/insights/expectations/{row.pk}/").status_code == 200
