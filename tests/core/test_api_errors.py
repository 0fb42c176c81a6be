"""API errors keep one JSON shape and never leak HTML or a stack trace."""

from __future__ import annotations

import pytest

from tests.core.api_checks import SHAPE


def error_of(response):
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body["error"]) == SHAPE
    return body["error"]


def test_unauthenticated_is_401_json(client, db):
    response = client.get("/api/v1/users")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_forbidden_is_403_json(as_user, agent):
    response = as_user(agent).get("/api/v1/audit/entries")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_unknown_endpoint_is_404_json(as_user, agent):
    response = as_user(agent).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_missing_object_is_404_json(as_user, admin_user):
    response = as_user(admin_user).post("/api/v1/api-keys/999999/revoke")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_validation_error_is_422_with_field_paths(as_user, admin_user):
    response = as_user(admin_user).post(
        "/api/v1/api-keys",
        data={"name": "", "expires_at": "not a date"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = error_of(response)
    paths = {field["path"] for field in error["fields"]}
    assert "body.payload.name" in paths
    assert "body.payload.expires_at" in paths


def test_query_validation_names_the_parameter(as_user, manager):
    response = as_user(manager).get("/api/v1/audit/entries?date_from=yesterday")
    assert response.status_code == 422
    assert [f["path"] for f in error_of(response)["fields"]] == ["query.date_from"]


def test_unexpected_failure_is_500_json_without_trace(as_user, manager, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("yuqi.accounts.selectors.user_list", explode)
    response = as_user(manager).get("/api/v1/users")
    assert response.status_code == 500
    error = error_of(response)
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert error["code"] == "server_error"


@pytest.mark.parametrize("page_size", [1, 2])
def test_list_endpoints_paginate(as_user, manager, supervisor, agent, page_size):
    response = as_user(manager).get(f"/api/v1/users?limit={page_size}&offset=0")
    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == page_size


# --- F-14 (security review 2026-12): error semantics that leak or mislead -------------------


def test_permission_is_checked_before_the_query_is_validated(agent, client):
    """The agent may not read KPIs: with no query at all the answer is 403, not a 422 that
    lists the operation's required fields."""
    from yuqi.accounts.services import apikey_create

    _, key = apikey_create(user=agent, name="agent key", created_by=agent)
    response = client.get("/api/v1/kpis", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert error_of(response)["fields"] == []


def test_permission_is_checked_before_the_body_is_validated(as_user, agent):
    response = as_user(agent).post(
        "/api/v1/api-keys", data={"name": 12}, content_type="application/json"
    )
    assert response.status_code == 403


def test_allowed_caller_still_gets_422_for_a_bad_query(as_user, manager):
    response = as_user(manager).get("/api/v1/kpis")
    assert response.status_code == 422


@pytest.mark.parametrize("key", ["yq_00000000_not-a-real-key", "garbage", "revoked"])
def test_bad_bearer_key_on_post_is_401_not_csrf(admin_user, key, db):
    from django.test import Client

    from yuqi.accounts.services import apikey_create, apikey_revoke

    if key == "revoked":
        row, key = apikey_create(user=admin_user, name="old", created_by=admin_user)
        apikey_revoke(key=row, by=admin_user)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/customers",
        data={"name": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_session_post_without_csrf_token_is_still_refused(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user, backend="yuqi.accounts.backends.KeptPermissionsBackend")
    response = client.post("/api/v1/customers", data={}, content_type="application/json")
    assert response.status_code == 403


def test_unknown_api_path_with_post_is_404(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v2/nothing", data={}, content_type="application/json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
