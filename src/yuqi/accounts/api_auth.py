"""How the API knows who calls: an API key (``Authorization: Bearer``) or the browser session.

Lives with the keys it checks (``accounts.services.apikey_authenticate``); ``config/api.py``
hands ``API_AUTH`` to the NinjaAPI.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from yuqi.accounts.services import apikey_authenticate
from yuqi.core.audit_context import attribute_audit_entries_to


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer yq_<prefix>_<secret>``: a key made by an administrator."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = apikey_authenticate(token, request=request)
        if user is not None:
            request.user = user
            attribute_audit_entries_to(user)
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser session (with CSRF on unsafe methods), for pages calling the API.

    Without a signed-in session there is nothing to protect from cross-site requests: the
    caller is simply unauthenticated (401), not refused for a missing CSRF token (403)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not (request.user.is_authenticated and request.user.is_active):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


API_AUTH = [ApiKeyAuth(), ActiveSessionAuth()]
