"""Access declarations for API operations, mirroring ``yuqi.core.access`` for pages.

Every operation is decorated with ``api_public`` or ``api_requires(...)`` (an empty list means
"any authenticated caller"); a test walks every registered operation and fails on one without.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from yuqi.core.access import ATTRIBUTE, Access


def api_public(func: Callable[..., Any]) -> Callable[..., Any]:
    setattr(func, ATTRIBUTE, Access(public=True))
    return func


def caller(request: HttpRequest) -> Any:
    """The user behind the request: from the API key, else from the browser session."""
    user = getattr(request, "auth", None)
    if user is None or user is True:
        user = request.user
    return user


def api_requires(*permissions: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    access = Access(public=False, permissions=tuple(permissions))

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not access.allows(caller(request)):
                raise HttpError(403, _("You do not have permission to do this."))
            return func(request, *args, **kwargs)

        setattr(guarded, ATTRIBUTE, access)
        return guarded

    return decorate
