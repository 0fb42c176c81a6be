from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import PASSWORD


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_sign_in_and_out(agent):
    client = Client()
    response = sign_in(client, "lina", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_with_a_clear_message(agent, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lina", "wrong-password").status_code == 200
    locked = sign_in(client, "lina", "wrong-password")
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert sign_in(client, "lina", PASSWORD).status_code == 429
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_lock_message_is_chinese_by_default(agent, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "lina", "wrong-password")
    assert "登录失败次数过多" in response.content.decode()
