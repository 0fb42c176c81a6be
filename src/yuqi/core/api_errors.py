"""One JSON shape for every API error: ``{"error": {"status", "code", "message", "fields"}}``.

``fields`` lists ``{"path": "body.payload.name", "message": ...}`` for validation errors (422).
No HTML error page and no stack trace ever leaves the API.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yuqi.core.errors import DomainError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
}


def error_body(status: int, message: str, fields: list[dict[str, str]] | None = None) -> dict:
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message,
            "fields": fields or [],
        }
    }


def error_response(status: int, message: str, fields: list[dict[str, str]] | None = None):
    return JsonResponse(error_body(status, message, fields), status=status)


def _field_path(loc: Any) -> str:
    return ".".join(str(part) for part in loc) if isinstance(loc, list | tuple) else str(loc)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [
            {"path": _field_path(item.get("loc", ())), "message": str(item.get("msg", ""))}
            for item in exc.errors
        ]
        return error_response(422, _("The request has invalid fields."), fields)

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        # Endpoints name their body parameter "payload", as ninja reports its own paths.
        fields = [
            {"path": f"body.payload.{name}", "message": reason} for name, reason in exc.fields
        ]
        status = 409 if exc.code == "conflict" else 422
        return error_response(status, exc.message, fields)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            401, _("Sign in, or send an API key as 'Authorization: Bearer <key>'.")
        )
        response["WWW-Authenticate"] = 'Bearer realm="yuqi"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(exc.status_code, str(exc.message))

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(413, too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error")
        return error_response(
            500, _("Something went wrong on the server. Quote the request id to support.")
        )


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    400: "Malformed request (for example invalid JSON)",
    401: "No valid session or API key",
    403: "Signed in, but without the permission this operation needs",
    404: "No such object",
    409: "Conflict: the object changed since you read it, or its state does not allow this",
    413: "Request body over the size limit",
    422: "Invalid fields (see error.fields)",
}


def error_responses(*statuses: int) -> dict[str, Any]:
    """``openapi_extra`` for an operation that gives an error the rules below cannot see (for
    example 404 for an unknown code in the query)."""
    return {
        "responses": {
            str(status): {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
            }
            for status in statuses
        }
    }


def document_error_responses(api: NinjaAPI) -> None:
    """Add the error answers each operation can give to the OpenAPI document, all in the one
    error shape: 401/403 unless public, 422 when it takes input, 404 with a path parameter,
    400/404/409/413 when it changes something. (Call once the routers are mounted.)"""
    from yuqi.core.access import ATTRIBUTE

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                access = getattr(operation.view_func, ATTRIBUTE, None)
                statuses: set[int] = set()
                if access is not None and not access.public:
                    statuses |= {401, 403}
                if operation.models:
                    statuses.add(422)
                if "{" in operation.path:
                    statuses.add(404)
                if set(operation.methods) - {"GET", "HEAD"}:
                    # 404 also when the body names an object that does not exist
                    statuses |= {400, 404, 409, 413, 422}
                responses = {
                    str(status): {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    }
                    for status in sorted(statuses)
                    if status not in operation.response_models
                }
                extra = dict(operation.openapi_extra or {})
                extra["responses"] = {**responses, **extra.get("responses", {})}
                operation.openapi_extra = extra


def too_large_message(limit: int, *, upload: bool = False) -> str:
    """The 413 message (API error shape and the 413 page) naming the limit."""
    if upload:
        return _(
            "The upload is larger than the %(limit)s MB allowed; split the file or save it "
            "with fewer columns."
        ) % {"limit": f"{limit / (1024 * 1024):,.0f}"}
    return _(
        "The request body is larger than the %(limit)s KB allowed (YUQI_MAX_BODY_KB); send "
        "fewer items per request."
    ) % {"limit": f"{limit // 1024:,}"}
