from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from yuqi.commitments.choices import CommitmentKind, CommitmentStatus
from yuqi.commitments.facade import MEASURE_DIMENSIONS
from yuqi.core.api_types import NOTE_TEXT, SHORT_TEXT, Id, IsoDate, IsoDateTime, ShortText, Yuan

if TYPE_CHECKING:  # the checker sees text; the published schema lists the accepted values
    KindName = str
    KindFilter = str
    StatusFilter = str
    MeasureBy = str
else:
    KindName = Literal[tuple(CommitmentKind.values)]
    KindFilter = Literal[("", *CommitmentKind.values)]
    StatusFilter = Literal[("", *CommitmentStatus.values)]
    MeasureBy = Literal[tuple(MEASURE_DIMENSIONS)]


class FlagOut(Schema):
    code: str
    message: str
    params: dict[str, str]


class CommitmentOut(Schema):
    """A promise; built from the model row (see the resolvers)."""

    id: int
    customer: str = Field(..., description="the customer's id (external)")
    kind: str
    text: str
    amount: Decimal | None
    department: str
    perk: str
    promised_by: str = Field(..., description="username of the promiser")
    promised_at: datetime
    due_at: datetime
    status: str
    approval_state: str = Field(
        ..., description="not_needed, pending, approved, rejected or lapsed"
    )
    flags: list[FlagOut]
    assumed_years: list[int] = Field(
        ..., description="years the due time assumed plain weekdays (no holiday data yet)"
    )
    complaint_id: int | None
    interaction_id: int | None
    evidence: str
    fulfilled_at: datetime | None
    broken_at: datetime | None

    @staticmethod
    def resolve_customer(obj: Any) -> str:
        return obj.customer.external_id

    @staticmethod
    def resolve_promised_by(obj: Any) -> str:
        return obj.promised_by.get_username()

    @staticmethod
    def resolve_flags(obj: Any) -> list[dict[str, Any]]:
        from yuqi.commitments.presenters import flag_message

        return [
            {
                "code": flag.get("code", ""),
                "message": flag_message(flag),
                "params": {k: str(v) for k, v in (flag.get("params") or {}).items()},
            }
            for flag in obj.flags or ()
        ]


class CommitmentEventOut(Schema):
    kind: str
    at: datetime
    by: str | None
    parameters: dict


class CommitmentDetailOut(CommitmentOut):
    events: list[CommitmentEventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[dict[str, Any]]:
        from yuqi.commitments.selectors import ledger

        return [
            {
                "kind": e.kind,
                "at": e.at,
                "by": e.by.get_username() if e.by else None,
                "parameters": e.parameters,
            }
            for e in ledger(obj.pk)
        ]


class CommitmentIn(Schema):
    customer: str = Field(..., min_length=1, description="the customer's id (external)")
    kind: KindName
    text: str = Field(..., min_length=1, max_length=2000)
    due_at: IsoDateTime | None = Field(
        None, description="omit to take the suggested due (service standard + buffer)"
    )
    amount: Yuan | None = None
    department: str = Field("", max_length=80)
    perk: ShortText = ""
    complaint_id: Id | None = None
    interaction_id: Id | None = None


class CommitmentFilterIn(Schema):
    status: StatusFilter = ""
    kind: KindFilter = ""
    agent: Id | None = Field(None, description="user id of the promiser")
    customer: str = Field("", max_length=SHORT_TEXT, description="the customer's id (external)")
    due_before: IsoDateTime | None = None
    overdue: bool = Field(False, description="only live promises past their due time")


class FulfilIn(Schema):
    evidence: str = Field(..., min_length=1, max_length=NOTE_TEXT)
    evidence_file: str = Field("", max_length=255)


class RenegotiateIn(Schema):
    due_at: IsoDateTime
    reason: str = Field(..., min_length=1, max_length=500)


class ApproveIn(Schema):
    note: str = Field("", max_length=500)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class MeasuresIn(Schema):
    date_from: IsoDate
    date_to: IsoDate
    by: MeasureBy = Field("", description="agent, kind, tier, team or empty for the total")


class MeasureOut(Schema):
    key: str
    label: str
    due: int
    kept_on_time: int
    fulfilled_late: int
    broken: int
    open: int
    kept_on_time_rate: float | None
