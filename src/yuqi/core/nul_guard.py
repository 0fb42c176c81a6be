"""Text with a NUL character is refused at the door, before any view or query sees it: 422 in
the API's error shape (documented on every operation with inputs), 400 on pages.

PostgreSQL cannot hold NUL in text ("A string literal cannot contain NUL (0x00) characters"),
so a query string or JSON body carrying ``%00`` / ``\\u0000`` reached the database and answered 500
there, while SQLite quietly accepted it (found by the API fuzz test on PostgreSQL: ``GET
/api/v1/customers?status=…%00…``). No field of Yuqi may contain NUL, so the refusal is general:
the query string always, and JSON bodies (form bodies go through Django's forms, which already
refuse NUL with ``ProhibitNullCharactersValidator``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from yuqi.core.api_errors import error_response


def _carries_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        return True
    if request.content_type == "application/json" and request.method not in ("GET", "HEAD"):
        try:
            body = request.body
        except RequestDataTooBig:
            return False  # the view reads it again and answers 413 (core.api_errors)
        return b"\\u0000" in body or b"\x00" in body
    return False


class NulCharacterMiddleware:
    """Refuses a query string or JSON body with a NUL character (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = _("Text may not contain the NUL character (code 0).")
            if request.path.startswith("/api/"):
                return error_response(422, message)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
