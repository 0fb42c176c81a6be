from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from yuqi.accounts import selectors, services
from yuqi.accounts.models import ApiKey, User
from yuqi.accounts.schemas import ApiKeyCreatedOut, ApiKeyIn, ApiKeyOut, UserOut
from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id

router = Router(tags=["accounts"])


@router.get("/me", response=UserOut)
@api_requires()
def me(request: HttpRequest) -> User:
    return caller(request)


@router.get("/users", response=list[UserOut])
@paginate
@api_requires("accounts.view_user")
def users(request: HttpRequest) -> QuerySet[User]:
    return selectors.user_list()


@router.get("/api-keys", response=list[ApiKeyOut])
@paginate
@api_requires("accounts.view_apikey")
def api_keys(request: HttpRequest) -> QuerySet[ApiKey]:
    return selectors.apikey_list()


@router.post("/api-keys", response={201: ApiKeyCreatedOut})
@api_requires("accounts.add_apikey")
def api_key_create(request: HttpRequest, payload: ApiKeyIn) -> Status:
    me_ = caller(request)
    owner = get_object_or_404(User, pk=payload.user_id) if payload.user_id else me_
    key, plaintext = services.apikey_create(
        user=owner, name=payload.name, created_by=me_, expires_at=payload.expires_at
    )
    key.key = plaintext  # type: ignore[attr-defined]  # shown once in this response
    return Status(201, key)


@router.post("/api-keys/{int:key_id}/revoke", response=ApiKeyOut)
@api_requires("accounts.change_apikey")
def api_key_revoke(request: HttpRequest, key_id: Id) -> ApiKey:
    key = get_object_or_404(ApiKey, pk=key_id)
    return services.apikey_revoke(key=key, by=caller(request))
