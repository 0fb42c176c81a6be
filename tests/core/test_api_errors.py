"""API errors keep one JSON shape and never leak HTML or a stack trace."""

from __future__ import annotations

import pytest

SHAPE = {"status", "code", "message", "fields"}


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
