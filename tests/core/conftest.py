"""Shared by the API input tests of this folder: an administrator's JSON client."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(as_user, admin_user):
    """The JSON API at ``/api/v1`` as an administrator."""
    client = as_user(admin_user)

    class Api:
        user = admin_user

        def get(self, path):
            return client.get(f"/api/v1{path}")

        def post(self, path, body):
            return client.post(f"/api/v1{path}", data=body, content_type="application/json")

        def patch(self, path, body):
            return client.patch(f"/api/v1{path}", data=body, content_type="application/json")

    return Api()
