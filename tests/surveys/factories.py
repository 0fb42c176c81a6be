from __future__ import annotations

from typing import Any

from yuqi.surveys import services
from yuqi.surveys.choices import InvitationChannel, QuestionType, SurveyKind
from yuqi.surveys.models import Invitation, Survey
from yuqi.surveys.tokens import token_for_salt


def survey(code: str = "csat-check", kind: str = SurveyKind.CUSTOM, **questions: Any) -> Survey:
    """A survey with one CSAT question ``q1`` and one optional text ``q2`` (or the given)."""
    made = services.survey_create(code=code, title="满意度调查", title_en="Satisfaction", kind=kind)
    specs = questions or {
        "q1": {"type": QuestionType.CSAT, "text": "满意吗？", "text_en": "Satisfied?"},
        "q2": {"type": QuestionType.TEXT, "text": "意见", "required": False},
    }
    for qcode, spec in specs.items():
        services.survey_add_question(survey=made, spec={"code": qcode, **spec})
    made.refresh_from_db()
    return made


def post_contact_survey() -> Survey:
    services.survey_install_templates(keys=["post-contact"])
    return Survey.objects.get(code="post-contact")


def invitation(
    survey_obj: Survey, customer, *, expires_days: int = 7, send: bool = True, **extra: Any
) -> tuple[Invitation, str]:
    """A sent invitation and its link token."""
    made = services.invitation_build(
        version=survey_obj.current_version,
        customer_id=customer.pk,
        customer_name=customer.name,
        channel=extra.pop("channel", InvitationChannel.SMS),
        expires_days=expires_days,
        **extra,
    )
    made.save()
    if send:
        services.invitation_send(invitation=made)
        made.refresh_from_db()
    return made, token_for_salt(made.token_salt)
