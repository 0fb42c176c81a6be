from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.core.errors import DomainError
from yuqi.surveys import services
from yuqi.surveys.models import Response


@pytest.fixture
def link(db, clock):
    survey = factories.survey()
    invitation, token = factories.invitation(survey, CustomerFactory(name="张三"))
    return invitation, f"/s/{token}"


def test_the_page_greets_by_family_name_only_in_chinese_by_default(link):
    invitation, url = link
    page = Client().get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="viewport"' in body
    assert "张" in body
    assert "张三" not in body
    assert '<html lang="zh-Hans">' in body
    assert "?lang=en" in body
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_an_english_switch_shows_english_texts(link):
    _invitation, url = link
    body = Client().get(url + "?lang=en").content.decode()
    assert "Satisfied?" in body
    assert '<html lang="en">' in body


def test_the_title_is_the_survey_title_as_plain_text(link):
    """The <title> holds text only: the opt-out link belongs to the page, once."""
    invitation, url = link
    body = Client().get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()
    assert title == invitation.survey_version.survey.title
    assert "<" not in title
    assert body.count("/opt-out") == 1


def test_a_submission_is_stored_and_thanked(link):
    invitation, url = link
    page = Client().post(url, {"q1": "4", "q2": "很好", "lang": "zh-hans"})
    assert page.status_code == 302
    assert Client().get(page["Location"]).status_code == 200
    response = Response.objects.get(invitation=invitation)
    assert {a.question.code: a.value for a in response.answers.all()}["q1"] == 4.0


def test_a_reused_token_gets_the_already_answered_page(link):
    _invitation, url = link
    Client().post(url, {"q1": "4"})
    again = Client().post(url, {"q1": "2"})
    assert again.status_code == 409
    assert "您已完成此问卷" in again.content.decode()  # Chinese by default
    assert Client().get(url).status_code == 409
    assert Response.objects.count() == 1


def test_a_tampered_token_gets_the_not_valid_page(link):
    _invitation, url = link
    tampered = url[:-1] + ("A" if url[-1] != "A" else "B")
    page = Client().get(tampered)
    assert page.status_code == 404
    assert "此调查链接无效" in page.content.decode()
    assert Client().get("/s/garbage%3Cscript%3E").status_code == 404


def test_an_expired_token_gets_the_expired_page(link, clock):
    _invitation, url = link
    clock.advance(timedelta(days=8))
    page = Client().get(url)
    assert page.status_code == 410
    assert "此调查链接已过期" in page.content.decode()
    assert Client().post(url, {"q1": "4"}).status_code == 410


def test_a_missing_answer_is_flagged_on_its_question(link):
    _invitation, url = link
    page = Client().post(url, {"q2": "只写意见"})
    body = page.content.decode()
    assert page.status_code == 422
    assert 'aria-invalid="true"' in body
    assert "请回答此题。" in body
    assert "只写意见" in body
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_a_question_text_with_html_is_shown_inert(clock):
    survey = factories.survey(
        code="xss",
        q1={"type": "text", "text": '<script>alert("x")</script><b>粗</b>', "required": False},
    )
    _invitation, token = factories.invitation(survey, CustomerFactory())
    body = Client().get(f"/s/{token}").content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<b>粗</b>" not in body


@pytest.mark.django_db
def test_two_submissions_of_one_token_store_one_response(clock):
    survey = factories.survey()
    invitation, _token = factories.invitation(survey, CustomerFactory())
    stale_copy = type(invitation).objects.get(pk=invitation.pk)  # read before either submits
    services.response_submit(invitation=invitation, answers={"q1": 5})
    with pytest.raises(DomainError) as error:
        services.response_submit(invitation=stale_copy, answers={"q1": 1})
    assert error.value.code == "already_answered"
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_store_one_response(clock):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database locks tables across threads")
    survey = factories.survey(code="race")
    invitation, token = factories.invitation(survey, CustomerFactory())
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit(score: str) -> None:
        try:
            barrier.wait()
            statuses.append(Client().post(f"/s/{token}", {"q1": score}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(s,)) for s in ("5", "1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert sorted(statuses) == [302, 409]


def test_a_customer_can_opt_out_from_the_link(link):
    invitation, url = link
    assert Client().get(url + "/opt-out").status_code == 200
    assert Client().post(url + "/opt-out").status_code == 200
    from yuqi.surveys.models import SurveyOptOut

    assert SurveyOptOut.objects.filter(customer_id=invitation.customer_id).exists()
    assert Client().get(url).status_code == 410  # pending links stop working
