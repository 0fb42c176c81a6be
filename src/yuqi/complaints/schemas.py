"""API shapes of the complaints context (explicit fields; never ``__all__``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema
from pydantic.json_schema import SkipJsonSchema

from yuqi.complaints.choices import ComplainerType, RecoveryKind, SourceChannel
from yuqi.complaints.selectors import QUEUE_SORTS
from yuqi.core.api_types import (
    COMMENT_TEXT,
    LONG_TEXT,
    NOTE_TEXT,
    SHORT_TEXT,
    CommentText,
    Flag,
    Id,
    IsoDateTime,
    NoteText,
    Version,
    Yuan10,
)

if TYPE_CHECKING:  # the checker sees text; the published schema lists the accepted values
    ChannelName = str
    ComplainerTypeName = str
    RecoveryKindName = str
    QueueSortName = str
else:
    ChannelName = Literal[tuple(SourceChannel.values)]
    ComplainerTypeName = Literal[("", *ComplainerType.values)]
    RecoveryKindName = Literal[tuple(RecoveryKind.values)]
    QueueSortName = Literal[("", *QUEUE_SORTS, *(f"-{key}" for key in QUEUE_SORTS))]


class ComplaintFilterIn(Schema):
    state: str = Field("", description="a state, or 'open' for every open state")
    level: str = Field("", description="level code: local, over_level, regulator")
    owner: Id | None = Field(None, description="owner user id")
    sla_state: str = Field(
        "", description="breached (or overdue), at_risk, on_track, paused; met, missed"
    )
    customer: str = Field("", description="customer id (external)")
    team: Id | None = None
    category: str = Field("", description="category code (its subcategories too)")
    q: str = Field("", max_length=SHORT_TEXT, description="part of the ticket number")
    risk_min: int | None = Field(
        None, ge=0, le=100, description="escalation risk score at least this (0–100)"
    )
    complainer_type: ComplainerTypeName = Field(
        "", description="the confirmed complainer type, or the suggested one while none is"
    )
    sort: QueueSortName = Field(
        "",
        description="a column to sort by (number, level, state, sla, category, customer, "
        "owner, risk, opened, account), '-' first for descending; blank: most urgent first",
    )


class ComplaintIn(Schema):
    customer: str = Field(..., min_length=1, description="customer id (external)")
    account: str = Field(
        ...,
        min_length=1,
        max_length=LONG_TEXT,
        description="the customer's account of the problem",
    )
    demand: str = Field("", max_length=NOTE_TEXT, description="what the customer asks for (诉求)")
    level: str = Field("", description="level code; blank: the lowest level (local)")
    category: str = Field("", description="category code")
    channel: ChannelName = "phone"
    owner: Id | None = Field(None, description="owner user id")
    team: Id | None = Field(None, description="team id")


class ComplaintPatch(Schema):
    version: Version = Field(..., description="the version you read; 409 if it changed since")
    account: str | None = Field(None, min_length=1, max_length=LONG_TEXT)
    demand: str | None = Field(None, max_length=NOTE_TEXT)
    category: str | None = Field(None, description="category code ('' to clear)")
    channel: ChannelName | SkipJsonSchema[None] = None  # NOT NULL: null is refused
    root_cause: str | None = Field(None, description="root cause code ('' to clear)")
    root_cause_note: str | None = Field(None, max_length=COMMENT_TEXT)
    complainer_type: ComplainerTypeName | None = Field(
        None, description="confirm: passive/voicer/irate/activist"
    )
    owner: Id | None = None
    team: Id | None = None
    checklist: dict[str, Flag] | None = Field(
        None,
        description="expectation-setting steps: expectations_ranked, possible_explained, "
        "reason_given, understanding_shown, attention_shown, solution_agreed",
    )


class TransitionIn(Schema):
    target: str = Field(..., max_length=SHORT_TEXT)
    version: Version
    note: CommentText = ""


class EscalationIn(Schema):
    level: str = Field(..., min_length=1, max_length=50, description="the higher level's code")
    version: Version
    reason: str = Field(..., min_length=1, max_length=NOTE_TEXT)


class RecoveryIn(Schema):
    kind: RecoveryKindName
    version: Version
    amount: Yuan10 | None = None
    cost: Yuan10 | None = None
    note: CommentText = ""


class ApprovalIn(Schema):
    approve: Flag = True
    note: NoteText = ""


class AgreementIn(Schema):
    version: Version
    solution: NoteText = ""
    accepted: Flag | None = None
    shelved_need: CommentText = ""
    forwarded_department: str = Field("", max_length=100)
    promised_answer_at: IsoDateTime | None = None


class CallbackIn(Schema):
    version: Version
    solved: Flag
    expectation_met: Flag
    attitude_ok: Flag
    note: CommentText = ""


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=NOTE_TEXT)


class ClockOut(Schema):
    kind: str
    level: str
    phase: str
    state: str
    target_amount: int
    target_unit: str
    target_seconds: int
    basis: str
    started_at: datetime
    stopped_at: datetime | None
    due_at: datetime | None
    warn_at: datetime | None
    elapsed_seconds: int
    paused_seconds: int
    provisional: bool
    years_without_holiday_data: list[int]
    segments: list[dict[str, Any]]


class RecoveryOut(Schema):
    id: int
    kind: str
    amount: Decimal | None
    cost: Decimal | None
    note: str
    status: str
    proposed_by: int | None
    approver: int | None
    created_at: datetime
    decided_at: datetime | None


class ComplaintEventOut(Schema):
    id: int
    kind: str
    parameters: dict[str, Any]
    by: int | None
    at: datetime


class ComplaintOut(Schema):
    id: int
    number: str
    customer: str
    customer_name: str
    channel: str
    level: str
    category: str | None
    state: str
    owner: int | None
    team: int | None
    sla_state: str
    next_due_at: datetime | None
    risk_score: int
    complainer_type: str
    complainer_type_suggested: str
    opened_at: datetime
    closed_at: datetime | None
    version: int

    # Resolvers let a list page be built straight from the queryset (the paginator slices it).
    @staticmethod
    def resolve_customer(obj: Any) -> str:
        return obj["customer"] if isinstance(obj, dict) else obj.customer.external_id

    @staticmethod
    def resolve_customer_name(obj: Any) -> str:
        return obj["customer_name"] if isinstance(obj, dict) else obj.customer.name

    @staticmethod
    def resolve_level(obj: Any) -> str:
        return obj["level"] if isinstance(obj, dict) else obj.level.code

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["category"]
        return obj.category.code if obj.category else None

    @staticmethod
    def resolve_owner(obj: Any) -> int | None:
        return obj["owner"] if isinstance(obj, dict) else obj.owner_id

    @staticmethod
    def resolve_team(obj: Any) -> int | None:
        return obj["team"] if isinstance(obj, dict) else obj.team_id


class ComplaintDetailOut(ComplaintOut):
    account: str
    demand: str
    complainer_reasons: list[Any]
    risk_reasons: list[Any]
    root_cause: str | None
    root_cause_note: str
    checklist: dict[str, bool]
    agreement: dict[str, Any]
    callback: dict[str, Any]
    reopen_count: int
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    allowed_targets: list[str]
    clocks: list[ClockOut]
    recovery_actions: list[RecoveryOut]
