"""The check that an API refusal carries the error shape (``yuqi.core.api_errors``)."""

from __future__ import annotations

SHAPE = {"status", "code", "message", "fields"}


def refused(response, status: int = 422) -> dict:
    """Assert ``response`` is a refusal with ``status`` in the error shape; return the error."""
    assert response.status_code == status, response.content[:400]
    body = response.json()
    assert set(body["error"]) == SHAPE
    return body["error"]
