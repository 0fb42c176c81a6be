"""Who may use a page: every view declares it, and a test walks the URL map to prove it.

``public`` (no login), ``signed_in`` (any signed-in user) or ``requires("app.perm", ...)``.
The declaration is stored on the view as ``yuqi_access`` and survives ``functools.wraps``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ATTRIBUTE = "yuqi_access"

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Access:
    public: bool
    permissions: tuple[str, ...] = ()

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        return all(user.has_perm(perm) for perm in self.permissions)

    def describe(self) -> str:
        if self.public:
            return "public"
        return "signed in" + (": " + ", ".join(self.permissions) if self.permissions else "")


def declared_access(view: object) -> Access | None:
    return getattr(view, ATTRIBUTE, None)


def public(view: View) -> View:
    setattr(view, ATTRIBUTE, Access(public=True))
    return view


def _guarded(view: View, access: Access) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.allows(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    setattr(guarded, ATTRIBUTE, access)
    return guarded


def signed_in(view: View) -> View:
    return _guarded(view, Access(public=False))


def requires(*permissions: str) -> Callable[[View], View]:
    if not permissions:
        raise ValueError("requires() needs at least one permission; use signed_in instead")

    def decorate(view: View) -> View:
        return _guarded(view, Access(public=False, permissions=tuple(permissions)))

    return decorate
