from django.db import connection

from yuqi import __version__


def test_health_reports_the_database_in_use(client, db):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": connection.vendor,
        "version": __version__,
    }
    assert connection.vendor in {"sqlite", "postgresql"}


def test_every_response_carries_a_request_id(client, db):
    response = client.get("/api/v1/health", headers={"X-Request-ID": "probe-12345678"})
    assert response["X-Request-ID"] == "probe-12345678"
    assert len(client.get("/api/v1/health")["X-Request-ID"]) == 32


def test_openapi_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/health" in schema["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "cdn." not in docs
    assert "unpkg" not in docs
    assert "jsdelivr" not in docs
