"""Request bodies over the limit are answered 413 before anything reads them (security review
F-9 #9: a 10 MB body reached the API's catch-all handler and answered 500).

* A body that is not a form upload may be ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes
  (``YUQI_MAX_BODY_KB``, 2,560 KB by default): the JSON API, page forms, the survey page.
  The bulk endpoints take at most 5,000 items *and* this many bytes: ordinary customers
  (about 150 bytes) and interactions (about 300 bytes) fit 5,000 to a request; send fewer
  per request when items carry long notes.
* A form upload (``multipart/form-data``) may be ``UPLOAD_MAX_BODY_BYTES``: the largest file
  an upload form takes (the Imports page's 500 MB) plus 1 MB for the other fields. Each
  form still checks its own file limit and says so on the page.

Under ``/api/`` the answer has the API's error shape; elsewhere it is a page saying the limit.
Django itself only refuses a body when something reads it, as ``RequestDataTooBig``; the API's
handlers turn that into the same 413 (``yuqi.core.api_errors``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.core.api_errors import error_response, too_large_message

MB = 1024 * 1024


#: Path prefix → the most bytes a form upload under it may have (registered by a context
#: whose upload form takes far less than the Imports page, e.g. the public complaint form).
_UPLOAD_LIMITS: dict[str, int] = {}


def register_upload_limit(prefix: str, limit: int) -> None:
    """Form uploads to paths starting with ``prefix`` may have at most ``limit`` bytes."""
    _UPLOAD_LIMITS[prefix] = limit


def body_limit(request: HttpRequest) -> int | None:
    """The most bytes this request's body may have (``None``: no limit)."""
    if request.content_type == "multipart/form-data":
        for prefix, limit in _UPLOAD_LIMITS.items():
            if request.path.startswith(prefix):
                return limit
        return getattr(settings, "UPLOAD_MAX_BODY_BYTES", None)
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = too_large_message(limit, upload=request.content_type == "multipart/form-data")
    if request.path.startswith("/api/"):
        return error_response(413, message)
    return render(request, "413.html", {"message": message}, status=413)


class RequestBodyLimitMiddleware:
    """413 for a request whose stated length is over its limit, before it is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django answers a malformed length itself
        if limit is not None and length > limit:
            return too_large(request, limit)
        return self.get_response(request)
