"""The public survey pages carry the centre's name and logo and a plain-text <title>; links
are built on YUQI_PUBLIC_URL whatever port serves them (issue 14, the customer's day)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.cli import public_url_warning
from yuqi.surveys.services import invitation_url


def _title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


@pytest.fixture
def link(db, clock):
    survey = factories.survey()
    invitation, token = factories.invitation(survey, CustomerFactory(name="张三"))
    return invitation, f"/s/{token}"


def test_the_centre_name_and_logo_are_on_the_page_and_in_the_title(link, settings):
    settings.YUQI_CENTRE_NAME = "某某通信客服中心"
    settings.YUQI_CENTRE_LOGO_URL = "/static/yuqi/logo.png"
    invitation, url = link
    body = Client().get(url).content.decode()
    assert _title(body) == f"{invitation.survey_version.survey.title} · 某某通信客服中心"
    assert '<strong class="centre-name">某某通信客服中心</strong>' in body
    assert '<img src="/static/yuqi/logo.png"' in body


def test_without_a_centre_name_the_page_says_customer_survey(link):
    _invitation, url = link
    body = Client().get(url).content.decode()
    assert "客户调查" in body
    assert "centre-name" not in body


def test_a_hostile_centre_name_is_text(link, settings):
    settings.YUQI_CENTRE_NAME = "<script>alert(1)</script>"
    _invitation, url = link
    body = Client().get(url).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in _title(body)


def test_every_public_page_has_a_plain_text_title(link, settings):
    settings.YUQI_CENTRE_NAME = "某某通信客服中心"
    _invitation, url = link
    client = Client()
    pages = [client.get(url), client.get(f"{url}/opt-out"), client.get("/s/not-a-token")]
    client.post(url, {"q1": "4", "q2": "很好", "lang": "zh-hans"})
    pages += [client.get(f"{url}/thanks?lang=zh-hans"), client.get(url)]
    for page in pages:
        title = _title(page.content.decode())
        assert "<" not in title, title
        assert title.endswith("· 某某通信客服中心"), title


def test_links_use_the_public_url_not_the_serving_port(link, settings):
    settings.PUBLIC_URL = "https://yuqi.example.cn"
    invitation, _url = link
    assert invitation_url(invitation).startswith("https://yuqi.example.cn/s/")


@pytest.mark.parametrize(
    ("public_url", "port", "warns"),
    [
        ("http://127.0.0.1:8000", 8000, False),
        ("http://127.0.0.1:8000", 8101, True),
        ("https://yuqi.example.cn", 443, False),
        ("https://yuqi.example.cn", 8000, True),
        ("http://yuqi.example.cn", 80, False),
        ("http://127.0.0.1:notaport", 8000, True),
    ],
)
def test_serve_warns_when_its_port_is_not_the_public_urls(public_url, port, warns):
    warning = public_url_warning(public_url, port)
    assert bool(warning) == warns
    if warns:
        assert "YUQI_PUBLIC_URL" in warning
        assert str(port) in warning
