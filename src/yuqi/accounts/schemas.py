from datetime import datetime

from ninja import Field, Schema

from yuqi.accounts.models import ApiKey, User
from yuqi.core.api_types import Id, IsoDateTime


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    is_active: bool
    roles: list[str]

    @staticmethod
    def resolve_display_name(obj: User) -> str:
        return str(obj)

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(group.name for group in obj.groups.all())


class ApiKeyIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    user_id: Id | None = Field(None, description="The user the key acts as; default yourself.")
    expires_at: IsoDateTime | None = None


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    user: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_user(obj: ApiKey) -> str:
        return obj.user.username

    @staticmethod
    def resolve_created_by(obj: ApiKey) -> str:
        return obj.created_by.username


class ApiKeyCreatedOut(ApiKeyOut):
    key: str = Field(..., description="The secret: shown once, never stored in clear.")
