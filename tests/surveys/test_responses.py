from __future__ import annotations

from datetime import timedelta

import pytest

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.core.errors import DomainError
from yuqi.surveys import services
from yuqi.surveys.choices import QuestionType
from yuqi.surveys.models import Answer, Response
from yuqi.surveys.services import AnswersInvalid


@pytest.mark.django_db
def test_a_token_answers_once(clock):
    survey = factories.survey()
    invitation, _token = factories.invitation(survey, CustomerFactory())
    services.response_submit(invitation=invitation, answers={"q1": 5})
    with pytest.raises(DomainError) as error:
        services.response_submit(invitation=invitation, answers={"q1": 1})
    assert error.value.code == "already_answered"
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_invitation_is_refused(clock):
    survey = factories.survey()
    invitation, _token = factories.invitation(survey, CustomerFactory(), expires_days=3)
    clock.advance(timedelta(days=3, seconds=1))
    with pytest.raises(DomainError) as error:
        services.response_submit(invitation=invitation, answers={"q1": 5})
    assert error.value.code == "expired"


@pytest.mark.django_db
def test_invalid_answers_give_a_message_per_question_and_do_not_use_the_token(clock):
    survey = factories.survey()
    invitation, _token = factories.invitation(survey, CustomerFactory())
    with pytest.raises(AnswersInvalid) as error:
        services.response_submit(invitation=invitation, answers={"q1": 9})
    assert set(error.value.errors) == {"q1"}
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.django_db
def test_servqual_kano_and_importance_answers_are_stored_one_row_per_part(clock):
    survey = factories.survey(
        code="mixed",
        sq={"type": QuestionType.SERVQUAL_ITEM, "text": "接通快", "dimension": "responsiveness"},
        kano={"type": QuestionType.KANO_PAIR, "text": "回拨", "feature": "callback"},
        imp={"type": QuestionType.IMPORTANCE_ALLOCATION, "text": "分配100分"},
    )
    invitation, _token = factories.invitation(survey, CustomerFactory())
    services.response_submit(
        invitation=invitation,
        answers={
            "sq": {"expectation": 7, "perception": 4},
            "kano": {"functional": "like", "dysfunctional": "dislike"},
            "imp": {
                "tangibles": 10,
                "reliability": 30,
                "responsiveness": 30,
                "assurance": 15,
                "empathy": 15,
            },
        },
    )
    rows = {(a.question.code, a.part): a for a in Answer.objects.select_related("question")}
    assert rows["sq", "expectation"].value == 7
    assert rows["sq", "perception"].value == 4
    assert rows["kano", "functional"].value == 1
    assert rows["kano", "dysfunctional"].choices == ["dislike"]
    assert rows["imp", "importance:reliability"].value == 30
    assert len(rows) == 9


@pytest.mark.django_db
def test_importance_points_must_add_up_to_100(clock):
    survey = factories.survey(
        code="imp", imp={"type": QuestionType.IMPORTANCE_ALLOCATION, "text": "分配100分"}
    )
    invitation, _token = factories.invitation(survey, CustomerFactory())
    with pytest.raises(AnswersInvalid) as error:
        services.response_submit(
            invitation=invitation, answers={"imp": {"tangibles": 50, "empathy": 40}}
        )
    assert "100" in error.value.errors["imp"]
