"""The survey headlines the scorecard and the benchmarks read (CSAT, NPS, CES, expectation
achievement) are cached under the surveys' data version (``yuqi.surveys.versions``): after
every writer of surveys, versions, questions, responses and answers they are the figures a
fresh analysis gives, and a rolled-back write leaves no entry behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.surveys.analysis_factories import SMALL, load_small, make_survey, respond, small_answers
from yuqi.surveys import versions
from yuqi.surveys.choices import QuestionType
from yuqi.surveys.measures import _headlines, _read_headlines
from yuqi.surveys.models import Answer, Question, Response, Survey, SurveyDataVersion

pytestmark = pytest.mark.django_db

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))  # SMALL is submitted on the 20th


@pytest.fixture
def answered() -> Survey:
    cache.clear()
    survey = make_survey()
    load_small(survey)
    return survey


def cached() -> list:
    return _headlines(*NOVEMBER)


def fresh() -> list:
    return _read_headlines(*NOVEMBER)


def _nps(survey: Survey) -> Answer:
    return Answer.objects.filter(question__code="nps", question__version__survey=survey).first()


def _save_answer(survey: Survey) -> None:
    answer = _nps(survey)
    answer.value = 0 if answer.value else 10
    answer.save()


def _respond(survey: Survey) -> None:
    respond(survey, small_answers(SMALL[2]), tier_code="ordinary")


def _delete_response(survey: Survey) -> None:
    Response.objects.filter(survey_version__survey=survey).first().delete()  # cascades


def _delete_answers(survey: Survey) -> None:
    Answer.objects.filter(question__code="csat").delete()


def _update_answers(survey: Survey) -> None:
    Answer.objects.filter(question__code="csat").update(value=1)


def _bulk_update_answers(survey: Survey) -> None:
    answer = _nps(survey)
    answer.value = 0 if answer.value else 10
    Answer.objects.bulk_update([answer], ["value"])


def _update_question(survey: Survey) -> None:
    Question.objects.filter(version__survey=survey, code="csat").update(type=QuestionType.RATING)


def _move_responses(survey: Survey) -> None:
    Response.objects.filter(tier_code="gold").update(submitted_at="2026-10-05T10:00:00Z")


def _retitle(survey: Survey) -> None:
    survey.title_en = "Quality, renamed"
    survey.title = "服务质量（新）"
    survey.save()


WRITERS: dict[str, Callable[[Survey], None]] = {
    "answer saved": _save_answer,
    "response with answers made": _respond,
    "response deleted": _delete_response,
    "answers deleted": _delete_answers,
    "answers updated": _update_answers,
    "answers bulk-updated": _bulk_update_answers,
    "question updated": _update_question,
    "responses moved to another month": _move_responses,
    "survey retitled": _retitle,
}


def test_the_cached_headlines_are_the_fresh_ones(answered):
    assert cached() == fresh()
    assert cached()[0][2].nps is not None


def test_the_second_read_is_one_query(answered):
    cached()
    with CaptureQueriesContext(connection) as queries:
        again = cached()
    assert len(queries) == 1  # the version
    assert again == fresh()


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_moves_the_version_and_the_figures_follow(answered, name):
    before = cached()
    version = versions.current()
    WRITERS[name](answered)
    assert versions.current() != version
    after = cached()
    assert after == fresh()
    assert after != before


def test_a_rolled_back_write_leaves_nothing_behind(answered):
    before = cached()
    inside: list = []

    def write_read_and_fail() -> None:
        with transaction.atomic():
            _save_answer(answered)
            inside.append(cached())  # cached under the rolled-back version
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_read_and_fail()
    assert inside[0] != before
    assert cached() == before == fresh()


def test_the_titles_follow_the_language(answered):
    with translation.override("en"):
        english = cached()
    with translation.override("zh-hans"):
        chinese = cached()
    assert english[0][1] == "Quality"
    assert chinese[0][1] == "服务质量"


def test_without_a_version_row_every_read_is_fresh(answered):
    SurveyDataVersion.objects.all().delete()
    assert versions.current() is None
    assert cached() == fresh()
