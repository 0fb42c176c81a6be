from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from yuqi import __version__
from yuqi.core.navigation import grouped, visible_items


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    nav_items = visible_items(user, request.path) if signed_in else []
    return {
        "nav_items": nav_items,
        "nav_groups": grouped(nav_items),
        "yuqi_version": __version__,
        "available_languages": settings.LANGUAGES,
    }
