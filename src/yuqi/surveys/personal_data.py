"""Survey invitations and answers in personal-information requests.

Erasure clears the greeting name and the person's data in open answers and notes; every
score, choice, weight and stratum stays, so each survey statistic is unchanged. The
survey opt-out stays (the erased customer is not surveyed again) with its reason erased.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    Holding,
    erase_holdings,
    export_holdings,
    register_personal_data_source,
    register_retention_purger,
)
from yuqi.surveys.models import Answer, FollowUp, Invitation, Response, SurveyOptOut

HOLDINGS = (
    Holding(
        Invitation,
        "customer_id",
        (),
        export_fields=("survey_version__survey__code", "channel", "sent_at", "answered_at"),
        clear=("greeting_name",),
    ),
    Holding(
        Response,
        "customer_id",
        (),
        export_fields=("survey_version__survey__code", "channel", "submitted_at"),
    ),
    Holding(
        Answer,
        "response__customer_id",
        ("text",),
        export_fields=("response_id", "question__code", "part", "value", "choices"),
    ),
    Holding(FollowUp, "customer_id", ("note",), export_fields=("reason", "status", "created_at")),
    Holding(SurveyOptOut, "customer_id", ("reason",), export_fields=("created_at",)),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, HOLDINGS)


def erase(subject: DataSubject) -> Erased:
    return Erased(erase_holdings(subject.customer_id, subject.identifiers, HOLDINGS))


def purge_answers(cutoff: datetime) -> int:
    """Open answers submitted before ``cutoff`` lose their text (scores and choices stay)."""
    return Answer.objects.filter(response__submitted_at__lt=cutoff).exclude(text="").update(text="")


def register() -> None:
    register_personal_data_source(
        "surveys",
        export,
        erase,
        label=_("Survey invitations and answers"),
        purpose=_("Measure satisfaction and expectations"),
        categories=_("scores, choices, open answers, greeting name"),
        order=400,
    )
    register_retention_purger(
        "answers", purge_answers, label=_("Open survey answers"), default_days=2 * 365
    )
