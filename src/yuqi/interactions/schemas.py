from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.json_schema import SkipJsonSchema

from yuqi.core.api_types import Flag, IsoDate, IsoDateTime, Seconds
from yuqi.interactions.models import Interaction


class InteractionFilterIn(Schema):
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    channel: str = ""
    queue: str = Field("", description="queue code")
    agent: str = Field("", description="agent work number")
    abandoned: bool | None = None
    customer: str = Field("", description="customer id")


class InteractionIn(Schema):
    source: str = Field("", max_length=40)
    external_id: str = Field(..., min_length=1, max_length=64)
    channel: str = Field(..., min_length=1, max_length=40, description="channel code or name")
    direction: str | None = None
    queue: str | None = None
    team: str | None = None
    agent: str | None = None
    customer_external_id: str | None = None
    caller_number: str | None = None
    arrived_at: IsoDateTime
    answered_at: IsoDateTime | None = None
    ended_at: IsoDateTime | None = None
    abandoned: Flag | None = None
    wait_seconds: Seconds | None = None
    talk_seconds: Seconds | None = None
    wrap_seconds: Seconds | None = None
    hold_seconds: Seconds | None = None
    transferred: Flag | None = None
    first_contact_resolved: Flag | None = None
    category: str | None = None
    notes: str | None = None


class InteractionPatch(Schema):
    """Only the outcome of a contact can change after the fact; other fields are refused."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = None
    notes: str | None = None
    first_contact_resolved: Flag | None = None
    transferred: Flag | SkipJsonSchema[None] = None  # NOT NULL: null is refused


class InteractionOut(Schema):
    id: int
    source: str
    external_id: str
    channel: str
    direction: str
    queue: str | None
    team: str | None
    agent: str | None
    customer: str | None = Field(None, description="customer id")
    caller_number: str = Field(..., description="masked")
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    abandoned: bool
    wait_seconds: int
    talk_seconds: int
    wrap_seconds: int
    hold_seconds: int = 0
    transferred: bool
    first_contact_resolved: bool | None
    category: str
    notes: str

    @staticmethod
    def resolve_queue(obj: Interaction) -> str | None:
        return obj.queue.code if obj.queue else None

    @staticmethod
    def resolve_team(obj: Interaction) -> str | None:
        return obj.team.code if obj.team else None

    @staticmethod
    def resolve_agent(obj: Interaction) -> str | None:
        return obj.agent.code if obj.agent else None

    @staticmethod
    def resolve_customer(obj: Interaction) -> str | None:
        return obj.customer.external_id if obj.customer else None

    @staticmethod
    def resolve_caller_number(obj: Interaction) -> str:
        return obj.caller_masked
