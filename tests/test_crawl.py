"""Issue 14: every page of every role, in Chinese, shows no Python repr, no untranslated code
from a choice list and no snake_case identifier (the crawler is :mod:`tests.crawl`).

The data set is the demo centre at its small scale (seed 7), built through the contexts'
services, so every page has rows to show: complaints in every state with timelines, promises,
surveys with answers, the expectation register, peer benchmarks, text mining, imports.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tests.crawl import choice_codes, crawl, problems_in, visible_text_and_links
from yuqi.accounts.models import User
from yuqi.core.navigation import visible_items
from yuqi.demo.steps.accounts import DEMO_PEOPLE

ROLES = ("agent", "supervisor", "analyst", "manager", "admin")
USERNAMES = {role: username for username, _name, role in DEMO_PEOPLE}


def test_the_checks_catch_what_the_review_saw():
    codes = {"mentions_regulator", "network-fault", "resolved", "csat"}
    text, _links = visible_text_and_links(
        "<p>SentMessage(id=3, body='x') <b>mentions_regulator</b> +25 已销户 network-fault</p>"
        "<p>评分方法 yuqi.domain.grading.score · resolved · CSAT</p>"
        '<script>var a_b = 1;</script><a href="/x/" title="snake_case">链接</a>'
        "<p>&lt;yuqi.Thing object at 0x7f00&gt;</p>"
    )
    kinds = sorted({kind for kind, _word, _context in problems_in(text, codes)})
    assert kinds == ["module path", "repr", "snake_case", "untranslated code"]
    found = [word for _kind, word, _context in problems_in(text, codes)]
    assert {"network-fault", "resolved"} <= set(found)
    assert not {"a_b", "snake_case"} & set(found)  # scripts and attributes
    assert "CSAT" not in found
    assert problems_in("投诉 TS-20261205-0001 · 2 h 15 min · 138****0001", codes) == []


@pytest.mark.django_db
def test_every_page_of_every_role_in_chinese(settings, capsys):
    from yuqi.demo.builder import build_demo

    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        build_demo(seed=7, scale="small", end_date=date(2026, 11, 20), say=lambda _m: None)
    codes = choice_codes()
    report, failures, errors = [], [], []
    for role in ROLES:
        user = User.objects.get(username=USERNAMES[role])
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        start = [item["url"] for item in visible_items(user, "/")]
        result = crawl(client, start, codes)
        report.append(f"{role}: {len(result.pages)} pages, {len(result.findings)} findings")
        failures += [f"[{role}] {finding}" for finding in result.findings]
        errors += [f"[{role}] {error}" for error in result.errors]
    with capsys.disabled():
        print("\ncrawl (pages × roles):", "; ".join(report))
    assert not errors, "\n".join(errors)
    assert not failures, "\n".join(sorted(set(failures)))
