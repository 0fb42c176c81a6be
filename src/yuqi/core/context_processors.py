from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from yuqi import __version__
from yuqi.core.navigation import grouped, visible_items


def shell(request: HttpRequest) -> dict:
    """The menu's links (``nav_items``) and groups (``nav_groups``), worked out only if a
    template reads them: ``base.html`` draws the menu with ``{% main_menu %}``, which keeps it
    drawn per role, language and active link."""
    user = getattr(request, "user", None)

    def items() -> list[dict]:
        signed_in = bool(user and user.is_authenticated)
        return visible_items(user, request.path) if signed_in else []

    nav_items = SimpleLazyObject(items)
    return {
        "nav_items": nav_items,
        "nav_groups": SimpleLazyObject(lambda: grouped(list(nav_items))),
        "yuqi_version": __version__,
        "available_languages": settings.LANGUAGES,
    }
