from __future__ import annotations

from django.db.models import QuerySet

from yuqi.accounts.models import ApiKey, User


def user_list() -> QuerySet[User]:
    return User.objects.prefetch_related("groups").order_by("username")


def apikey_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("user", "created_by").order_by("-created_at")
