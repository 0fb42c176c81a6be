"""Access declarations for API operations, mirroring ``yuqi.core.access`` for pages.

Every operation is decorated with ``api_public`` or ``api_requires(...)`` (an empty list means
"any authenticated caller"); a test walks every registered operation and fails on one without.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import suppress
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback

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


def _refuse_unless_allowed(access: Access, request: HttpRequest) -> None:
    if not access.allows(caller(request)):
        raise HttpError(403, _("You do not have permission to do this."))


def _check_permission_before_parsing(run: Callable[..., Any]) -> Callable[..., Any]:
    """A run decorator (ninja's ``decorate_view`` mechanism, re-applied when a router is
    mounted) that makes the operation check its access right after authentication, before
    ninja parses and validates the path, query and body: a caller without the permission gets
    403 and never learns the operation's field list from a 422."""
    operation: Operation = run.__self__  # type: ignore[attr-defined]
    access: Access = getattr(operation.view_func, ATTRIBUTE)
    parse = operation._get_values

    def checked_parse(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        _refuse_unless_allowed(access, request)
        return parse(request, *args, **kwargs)

    operation._get_values = checked_parse  # type: ignore[method-assign]
    return run


def _install_permission_first(operation: Operation) -> None:
    decorators = getattr(operation, "_run_decorators", None)
    if decorators is None:
        decorators = operation._run_decorators = []  # type: ignore[attr-defined]
    operation.run = _check_permission_before_parsing(operation.run)  # type: ignore[method-assign]
    decorators.append(_check_permission_before_parsing)


def api_requires(*permissions: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    access = Access(public=False, permissions=tuple(permissions))

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            _refuse_unless_allowed(access, request)  # also when called outside ninja
            return func(request, *args, **kwargs)

        setattr(guarded, ATTRIBUTE, access)
        # ninja resolves string annotations (``from __future__ import annotations``) in the
        # wrapper's module, not the operation's: hand it the operation's resolved signature.
        with suppress(NameError):
            guarded.__signature__ = inspect.signature(func, eval_str=True)  # type: ignore[attr-defined]
        contribute_operation_callback(guarded, _install_permission_first)
        return guarded

    return decorate
