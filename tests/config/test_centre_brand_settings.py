"""The centre's brand and SMS signature settings: a logo address that is neither https nor a
local path stops the start; an https logo's origin is let in by the Content-Security-Policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

CODE = (
    "import django, json; from django.conf import settings; django.setup();"
    "print(json.dumps([settings.YUQI_CENTRE_NAME, settings.YUQI_CENTRE_LOGO_URL,"
    " settings.YUQI_SMS_SIGNATURE, settings.SECURE_CSP['img-src']]))"
)


def _start(tmp_path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQI_") and k != "DATABASE_URL"}
    env.update(YUQI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yuqi.config.settings")
    env.update(env_vars)
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)


def test_brand_settings_are_read_and_the_logo_origin_is_allowed(tmp_path):
    done = _start(
        tmp_path,
        YUQI_CENTRE_NAME="某某通信客服中心",
        YUQI_CENTRE_LOGO_URL="https://cdn.example.cn/logo.png",
        YUQI_SMS_SIGNATURE="【预期客服】",
    )
    assert done.returncode == 0, done.stderr
    name, logo, signature, img_src = json.loads(done.stdout)
    assert (name, logo, signature) == (
        "某某通信客服中心",
        "https://cdn.example.cn/logo.png",
        "预期客服",
    )
    assert "https://cdn.example.cn" in img_src


@pytest.mark.parametrize(
    "logo",
    ["javascript:alert(1)", "logo.png", '/x.png" onerror="alert(1)', "//evil.example/x.png"],
)
def test_a_bad_logo_address_stops_the_start(tmp_path, logo):
    done = _start(tmp_path, YUQI_CENTRE_LOGO_URL=logo)
    assert done.returncode != 0
    assert "YUQI_CENTRE_LOGO_URL" in done.stderr


def test_a_too_long_sms_signature_stops_the_start(tmp_path):
    done = _start(tmp_path, YUQI_SMS_SIGNATURE="长" * 21)
    assert done.returncode != 0
    assert "YUQI_SMS_SIGNATURE" in done.stderr
