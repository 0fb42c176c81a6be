"""Response headers Django's SecurityMiddleware does not set, and the idle session timeout.

- ``Permissions-Policy``: the browser features no page uses (``settings.PERMISSIONS_POLICY``).
- ``Cache-Control: no-store`` on every answer of the application itself (pages, partials,
  downloads, API). Nearly every page after sign-in shows personal data (customers, complaints,
  promises, call lists, the 360 view) or names agents, and the rest carry per-user navigation
  and CSRF tokens, so none is worth caching; one rule cannot miss a page that a list of pages
  would. Static files are answered by WhiteNoise before this middleware and stay cacheable.
- Idle timeout: a signed-in session with no request for ``settings.SESSION_IDLE_SECONDS``
  is signed out (the absolute lifetime stays ``SESSION_COOKIE_AGE``). The last-seen time is
  set at sign-in and then written at most once a minute, so it costs no session write per
  request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from yuqi.core.clock import now as clock_now

LAST_SEEN_KEY = "_yuqi_last_seen"
_WRITE_EVERY_SECONDS = 60


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _end_idle_session(request)
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


def session_started(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On sign-in (``user_logged_in``): the idle clock starts, written with the new session,
    so the requests that follow do not each write the session (stable query counts)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(clock_now().timestamp())


def _end_idle_session(request: HttpRequest) -> None:
    idle = getattr(settings, "SESSION_IDLE_SECONDS", 0)
    user = getattr(request, "user", None)
    if not idle or user is None or not user.is_authenticated:
        return
    now = int(clock_now().timestamp())
    last_seen = request.session.get(LAST_SEEN_KEY)
    if isinstance(last_seen, int) and now - last_seen > idle:
        logout(request)
        return
    if not isinstance(last_seen, int) or now - last_seen >= _WRITE_EVERY_SECONDS:
        request.session[LAST_SEEN_KEY] = now
