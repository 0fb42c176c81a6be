from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.core.errors import DomainError
from yuqi.surveys import services
from yuqi.surveys.choices import QuestionType


@pytest.mark.django_db
def test_editing_an_unanswered_survey_changes_the_current_version_in_place():
    survey = factories.survey()
    services.survey_edit_question(survey=survey, code="q1", changes={"text": "您满意吗？"})
    survey.refresh_from_db()
    assert survey.current_version.number == 1
    assert survey.current_version.questions.get(code="q1").text == "您满意吗？"


@pytest.mark.django_db
def test_editing_an_answered_survey_creates_a_new_version_and_answers_keep_theirs():
    survey = factories.survey()
    first = survey.current_version
    invitation, _token = factories.invitation(survey, CustomerFactory())
    response = services.response_submit(invitation=invitation, answers={"q1": 4})

    services.survey_edit_question(survey=survey, code="q1", changes={"text": "新的问题"})

    survey.refresh_from_db()
    assert survey.current_version.number == 2
    assert survey.current_version.questions.get(code="q1").text == "新的问题"
    first.refresh_from_db()
    assert first.questions.get(code="q1").text == "满意吗？"
    answer = response.answers.get()
    assert answer.question.version == first
    assert answer.question.text == "满意吗？"


@pytest.mark.django_db
def test_a_second_edit_goes_to_the_same_new_version():
    survey = factories.survey()
    invitation, _token = factories.invitation(survey, CustomerFactory())
    services.response_submit(invitation=invitation, answers={"q1": 4})
    services.survey_edit_question(survey=survey, code="q1", changes={"text": "一"})
    services.survey_add_question(
        survey=survey, spec={"code": "q3", "type": QuestionType.NPS, "text": "推荐吗？"}
    )
    survey.refresh_from_db()
    assert survey.versions.count() == 2
    assert list(survey.current_version.questions.values_list("code", flat=True)) == [
        "q1",
        "q2",
        "q3",
    ]


@pytest.mark.django_db
def test_a_rating_question_must_use_a_known_scale():
    survey = factories.survey()
    with pytest.raises(DomainError):
        services.survey_add_question(
            survey=survey,
            spec={
                "code": "r",
                "type": QuestionType.RATING,
                "text": "x",
                "scale_min": 1,
                "scale_max": 9,
            },
        )


@pytest.mark.django_db
def test_templates_install_once_with_22_servqual_items():
    first = services.survey_install_templates()
    again = services.survey_install_templates()
    assert len(first) == 4
    assert again == []
    servqual = next(s for s in first if s.code == "servqual-call-centre")
    items = servqual.current_version.questions.filter(type=QuestionType.SERVQUAL_ITEM)
    assert items.count() == 22
    assert set(items.values_list("dimension", flat=True)) == {
        "tangibles",
        "reliability",
        "responsiveness",
        "assurance",
        "empathy",
    }
