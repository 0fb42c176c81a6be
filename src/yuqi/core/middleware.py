from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yuqi.core.request_id import new_request_id, reset_request_id, set_request_id

HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[HEADER] = request_id
        return response


class ApiJsonErrorsMiddleware:
    """Errors raised outside the API's own handlers (405 from routing, 413 from the request
    parser) still answer in the API's JSON shape under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not request.path.startswith("/api/docs")
        ):
            from django.utils.translation import gettext as _

            from yuqi.core.api_errors import error_response

            message = {405: _("This method is not allowed here.")}.get(
                response.status_code, _("The request could not be handled.")
            )
            replacement = error_response(response.status_code, message)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response
