"""Request bodies over the limit: 413, in the API's error shape under /api/, a page saying
the limit elsewhere; never 500 (security review F-9 #9)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuqi.customers.models import Customer

SHAPE = {"status", "code", "message", "fields"}


def _bulk(items) -> bytes:
    return json.dumps({"items": items}, ensure_ascii=False).encode()


def test_a_10_mb_name_in_bulk_is_413_in_the_api_error_shape(as_user, manager):
    body = _bulk([{"external_id": "C1", "name": "x" * (10 * 1024 * 1024)}])
    response = as_user(manager).post(
        "/api/v1/customers/bulk", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == SHAPE
    assert (error["status"], error["code"]) == (413, "payload_too_large")
    assert "2,560 KB" in error["message"]
    assert "YUQI_MAX_BODY_KB" in error["message"]
    assert not Customer.objects.exists()


def test_a_body_over_the_limit_that_did_not_state_it_is_413_too(as_user, manager, settings):
    """Without the middleware (a body whose length only shows when read), the API's own
    handler answers RequestDataTooBig with the same 413."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("BodyLimitMiddleware")]
    body = _bulk([{"external_id": "C1", "name": "x" * (3 * 1024 * 1024)}])
    response = as_user(manager).post(
        "/api/v1/customers/bulk", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_5000_ordinary_customers_fit_in_one_bulk_request(as_user, manager):
    items = [
        {
            "external_id": f"C{n:08d}",
            "name": "欧阳娜娜",
            "phone": f"138{n:08d}",
            "region": "广东深圳",
            "tier": "gold",
            "segment": "high",
            "monthly_value": 128.5,
        }
        for n in range(5000)
    ]
    body = _bulk(items)
    assert len(body) < 2560 * 1024
    response = as_user(manager).post(
        "/api/v1/customers/bulk", data=body, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["created"] == 5000


def test_a_page_post_over_the_limit_is_a_413_page(as_user, manager):
    response = as_user(manager).post(
        "/imports/",
        data="kind=customers&source=" + "x" * (3 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "2,560 KB" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_upload_over_the_upload_limit_is_a_413_page_saying_so(as_user, manager, settings):
    settings.UPLOAD_MAX_BODY_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024), content_type="text/csv")
    response = as_user(manager).post("/imports/", {"kind": "customers", "file": upload})
    assert response.status_code == 413
    assert "上传的文件超过允许的 1 MB" in response.content.decode()  # the default language
