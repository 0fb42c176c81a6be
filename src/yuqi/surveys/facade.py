"""What other contexts may know of surveys: plain summaries per customer, never the models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yuqi.surveys.models import FollowUp, Invitation, SurveyOptOut


@dataclass(frozen=True)
class SurveyLine:
    invitation_id: int
    survey: str
    source: str
    channel: str
    sent_at: datetime | None
    answered_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True)
class CustomerSurveys:
    opted_out: bool
    recent: list[SurveyLine]
    open_follow_ups: int


def surveys_for_customer(customer_id: int, *, limit: int = 10) -> CustomerSurveys:
    """The customer's latest survey invitations, opt-out flag and open recovery follow-ups."""
    rows = (
        Invitation.objects.filter(customer_id=customer_id)
        .select_related("survey_version__survey")
        .order_by("-created_at")[:limit]
    )
    return CustomerSurveys(
        opted_out=SurveyOptOut.objects.filter(customer_id=customer_id).exists(),
        recent=[
            SurveyLine(
                row.pk,
                row.survey_version.survey.display_title,
                row.get_source_display(),
                row.get_channel_display(),
                row.sent_at,
                row.answered_at,
                row.expires_at,
            )
            for row in rows
        ],
        open_follow_ups=FollowUp.objects.filter(customer_id=customer_id, status="open").count(),
    )


def customer_opted_out(customer_id: int) -> bool:
    return SurveyOptOut.objects.filter(customer_id=customer_id).exists()
