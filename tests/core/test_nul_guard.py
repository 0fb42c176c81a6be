"""A NUL character in a query string or JSON body is refused before the database sees it
(PostgreSQL cannot hold NUL in text: found by the API fuzz test as a 500 on PostgreSQL)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    ["/api/v1/customers?status=a%00b", "/api/v1/customers?q=%00", "/api/v1/complaints?q=x%00"],
)
def test_a_nul_in_an_api_query_is_422_in_the_error_shape(as_user, manager, url):
    response = as_user(manager).get(url)
    assert response.status_code == 422
    assert "NUL" in response.json()["error"]["message"]


def test_a_nul_in_a_json_body_is_422(as_user, manager):
    response = as_user(manager).post(
        "/api/v1/customers", data='{"name": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert "NUL" in response.json()["error"]["message"]


def test_a_nul_in_a_page_query_is_400(as_user, manager):
    assert as_user(manager).get("/customers/?q=%00").status_code == 400


def test_ordinary_queries_pass(as_user, manager):
    assert as_user(manager).get("/api/v1/customers?q=13800").status_code == 200
