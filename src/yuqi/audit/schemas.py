from datetime import datetime
from typing import Any, Literal

from auditlog.models import LogEntry
from ninja import Field, Schema

from yuqi.audit.selectors import ACTION_NAMES
from yuqi.core.api_types import IsoDate


class AuditFilterIn(Schema):
    actor: str = Field("", description="username of the person who acted")
    model: str = Field("", description="app_label.model, e.g. accounts.user")
    action: Literal["", "create", "update", "delete", "access"] = ""
    object_id: str = ""
    request_id: str = ""
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class AuditEntryOut(Schema):
    id: int
    timestamp: datetime
    actor: str | None
    action: str
    model: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    request_id: str | None
    remote_addr: str | None

    @staticmethod
    def resolve_actor(obj: LogEntry) -> str | None:
        return obj.actor.username if obj.actor else None

    @staticmethod
    def resolve_action(obj: LogEntry) -> str:
        return ACTION_NAMES.get(obj.action, str(obj.action))

    @staticmethod
    def resolve_model(obj: LogEntry) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_object_id(obj: LogEntry) -> str:
        return obj.object_pk

    @staticmethod
    def resolve_changes(obj: LogEntry) -> dict[str, Any]:
        return obj.changes or {}

    @staticmethod
    def resolve_request_id(obj: LogEntry) -> str | None:
        return obj.cid
