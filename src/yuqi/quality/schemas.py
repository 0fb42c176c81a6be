from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

from yuqi.core.api_types import Id, NoteText

if TYPE_CHECKING:
    SubjectName = str
else:
    SubjectName = Literal["interaction", "complaint"]

#: item key → points (0..item points) or null for N/A; at most 100 items.
Answers = dict[str, int | None]


class EvaluationIn(Schema):
    subject_kind: SubjectName
    subject_id: Id
    form_code: str = Field(max_length=40)
    answers: Answers = Field(max_length=100)
    comment: NoteText = ""


class DisputeIn(Schema):
    reason: NoteText


class EvaluationOut(Schema):
    id: int
    subject_kind: str
    subject_id: int
    agent_code: str
    form_code: str
    form_version: int
    score: float | None
    earned: int
    possible: int
    auto_failed: bool
    status: str
    submitted_at: datetime
    dispute_until: datetime | None
    answers: dict[str, int | None]
    comment: str


class CoefficientOut(Schema):
    value: float | None
    reading: str | None
    reason: str | None


class AgreementOut(Schema):
    session: int
    evaluators: int
    contacts: int
    score_alpha: CoefficientOut
    pass_alpha: CoefficientOut
    kappa: CoefficientOut | None
