"""The survey analysis page's statistics are cached under the surveys' data version
(``yuqi.surveys.versions``): the report is the one a fresh analysis gives after every writer
of the surveys and their answers, its breakdowns follow the contacts they group by (which
the version does not follow), and the Kano slides follow their waves."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.interactions.factories import InteractionFactory
from tests.surveys.analysis_factories import (
    SMALL,
    kano_sliding_waves,
    load_small,
    make_survey,
    respond,
    small_answers,
)
from tests.surveys.test_headline_cache import WRITERS
from yuqi.core.request_memo import request_memo
from yuqi.interactions.models import Interaction
from yuqi.surveys import versions
from yuqi.surveys.analysis import survey_report
from yuqi.surveys.choices import AnswerPart
from yuqi.surveys.models import Campaign, Question, Survey
from yuqi.surveys.wave_views import kano_slide_context

pytestmark = pytest.mark.django_db


def figures(survey: Survey) -> tuple:
    report = survey_report(survey)
    return report.questions, report.result, report.breakdowns


def fresh(survey: Survey) -> tuple:
    cache.clear()
    return figures(survey)


@pytest.fixture
def answered() -> Survey:
    cache.clear()
    survey = make_survey()
    load_small(survey)
    contact = InteractionFactory(channel="phone")
    respond(survey, small_answers(SMALL[0]), tier_code="gold", interaction_id=contact.pk)
    return survey


def test_the_cached_report_is_the_fresh_one(answered):
    cached = figures(answered)
    assert cached == fresh(answered)
    assert {b.by for b in cached[2]} >= {"tier", "channel"}


def test_a_second_read_runs_no_analysis_query(answered):
    figures(answered)
    with request_memo(), CaptureQueriesContext(connection) as queries:
        again = figures(answered)
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "surveys_answer" not in tables
    assert "surveys_response" not in tables
    assert len(queries) == 4  # the version, and the contacts, queues and tiers grouped by
    assert again == fresh(answered)


#: Writers that move the version without changing the whole survey's figures (no period).
SAME_FIGURES = {"responses moved to another month", "survey retitled"}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_of_the_surveys_is_followed(answered, name):
    before = figures(answered)
    version = versions.current()
    WRITERS[name](answered)
    assert versions.current() != version
    after = figures(answered)
    assert after == fresh(answered)
    assert (after == before) == (name in SAME_FIGURES)


def test_the_breakdowns_follow_the_contacts_without_a_survey_write(answered):
    before = figures(answered)
    Interaction.objects.update(channel="email")  # no survey data written
    after = figures(answered)
    assert after == fresh(answered)
    channels = next(b for b in after[2] if b.by == "channel")
    assert [row.label for row in channels.rows] != [
        row.label for row in next(b for b in before[2] if b.by == "channel").rows
    ]


def test_the_question_texts_follow_the_language(answered):
    Question.objects.filter(code="csat").update(text_en="Satisfied?")
    with translation.override("en"):
        english = figures(answered)
    with translation.override("zh-hans"):
        chinese = figures(answered)
    with translation.override("en"):
        assert english == fresh(answered)
    with translation.override("zh-hans"):
        assert chinese == fresh(answered)
    assert "Satisfied?" in [q.text for q in english[0]]
    assert "Satisfied?" not in [q.text for q in chinese[0]]


@pytest.fixture
def sliding():
    """A Kano feature that slides from attractive to must-be between two waves."""
    cache.clear()
    return kano_sliding_waves()


def fresh_slides(survey: Survey) -> dict:
    cache.clear()
    return kano_slide_context(survey=survey)


def test_the_kano_slides_are_cached_and_follow_the_answers(sliding):
    survey, _root, second = sliding
    first = kano_slide_context(survey=survey)
    assert first["kano_slides_flagged"] == 1
    assert first == fresh_slides(survey)
    attractive = {AnswerPart.FUNCTIONAL: 1, AnswerPart.DYSFUNCTIONAL: 3}
    for _n in range(90):
        respond(survey, {"k1": attractive}, campaign=second)
    after = kano_slide_context(survey=survey)
    assert after == fresh_slides(survey)
    assert after != first


def test_the_kano_slides_follow_the_waves(sliding):
    survey, _root, second = sliding
    kano_slide_context(survey=survey)
    Campaign.objects.filter(pk=second.pk).update(wave=7)  # no survey data written
    after = kano_slide_context(survey=survey)
    assert after == fresh_slides(survey)
    assert "7" in after["kano_slides"][0]["between"]
