"""Security headers and session rules (review 2026-12, F-12).

The browser half (the pages really satisfy the CSP) is ``tests/browser/test_csp.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "yuqi" / "templates"


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/customers/", "/"])
def test_every_page_has_a_strict_content_security_policy(url, agent, as_user):
    response = as_user(agent).get(url, follow=True)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_public_survey_style_block_carries_the_nonce():
    from tests.customers.factories import CustomerFactory
    from tests.surveys import factories

    _invitation, token = factories.invitation(factories.survey(), CustomerFactory(name="张三"))
    response = Client().get(f"/s/{token}")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    body = response.content.decode()
    assert body.count("<style") == body.count(f'<style nonce="{nonce}">') > 0


def test_no_template_has_inline_script_handlers_or_style_attributes():
    """Inline <script> (other than json_script data), on*= handlers and style= attributes
    are refused by the CSP, so no template may contain them."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.name}: {tag}")
        for pattern in (r"\son[a-z]+\s*=", r"\sstyle\s*=", r"javascript:", r"\shx-on"):
            offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/customers/", "/complaints/", "/commitments/", "/"])
def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(url, supervisor, as_user):
    response = as_user(supervisor).get(url)
    assert response.status_code == 200
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache


@pytest.mark.django_db
def test_downloads_and_api_answers_are_not_stored_either(manager, as_user):
    client = as_user(manager)
    for url in ("/operations/dashboard.csv", "/api/v1/customers"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_permissions_policy_refuses_unused_features():
    response = Client().get("/accounts/login/")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def _settings_in_subprocess(tmp_path, names: list[str], **env_vars: str) -> dict:
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("YUQI_") and key != "DATABASE_URL"
    }
    env.update(YUQI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yuqi.config.settings")
    env.update(env_vars)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def test_hsts_is_sent_only_behind_a_tls_proxy(tmp_path):
    names = ["SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"]
    plain = _settings_in_subprocess(tmp_path, names)
    assert not plain["SECURE_HSTS_SECONDS"]
    behind = _settings_in_subprocess(tmp_path, names, YUQI_BEHIND_TLS_PROXY="1")
    assert behind["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
def test_hsts_header_on_https_answers(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_idle_minutes_come_from_the_environment(tmp_path):
    names = ["SESSION_IDLE_SECONDS"]
    assert _settings_in_subprocess(tmp_path, names)["SESSION_IDLE_SECONDS"] == 30 * 60
    got = _settings_in_subprocess(tmp_path, names, YUQI_SESSION_IDLE_MINUTES="5")
    assert got["SESSION_IDLE_SECONDS"] == 300


@pytest.mark.django_db
def test_an_idle_session_is_signed_out(agent, as_user, settings, monkeypatch):
    from yuqi.core import security_headers
    from yuqi.core.security_headers import LAST_SEEN_KEY

    moment = [datetime(2026, 12, 5, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(security_headers, "clock_now", lambda: moment[0])
    settings.SESSION_IDLE_SECONDS = 600
    client = as_user(agent)
    assert client.get("/customers/").status_code == 200
    moment[0] += timedelta(minutes=9)
    assert client.get("/customers/").status_code == 200  # activity keeps it alive
    moment[0] += timedelta(minutes=9)
    assert client.get("/customers/").status_code == 200
    assert LAST_SEEN_KEY in client.session
    moment[0] += timedelta(minutes=11)
    response = client.get("/customers/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("password", ["Tr0ub4dor&3", "zq8!vk2#mw5"])  # 11 characters
def test_passwords_shorter_than_12_characters_are_refused(password):
    with pytest.raises(ValidationError, match="12"):
        validate_password(password)


def test_a_long_passphrase_is_accepted():
    validate_password("correct horse battery staple")
