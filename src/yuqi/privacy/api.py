"""REST endpoints of the privacy context (mounted under /api/v1/ in yuqi.config.api): list and
log personal-information requests, record the identity check, download the export, run the
erasure. The same services as the pages, with the same permissions and the same audit trail
(every change of a request is in the audit log with its actor).

Every operation checks its permission before ninja parses the path, query or body
(``api_requires``), so a caller without it gets 403 even with a malformed body. The free text
of a request (what is asked, the identity note, the reason) may quote the customer: callers
without ``customers.view_personal_data`` get it with every personal number masked.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.pii import mask_pii
from yuqi.privacy import services
from yuqi.privacy.models import PrivacyRequest, RequestKind, RequestStatus

router = Router(tags=["privacy"])

VIEW = "privacy.view_privacyrequest"
ADD = "privacy.add_privacyrequest"
HANDLE = "privacy.change_privacyrequest"
ERASE = "privacy.erase_personal_data"
PERSONAL = "customers.view_personal_data"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CUSTOMER_REF = r"^[^\x00-\x1f\x7f]{1,64}$"

#: The identity checks a person records (``IdentityMethod`` but "operator", which only the
#: command line records; a test keeps the two in step).
WebMethod = Literal["id_card", "id_copy", "callback", "sms_code"]


class PrivacyRequestOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    customer: str = Field(description="the customer's external id")
    channel: str
    details: str
    received_at: datetime
    due_on: date
    overdue: bool
    identity_method: str
    identity_note: str
    identity_checked_at: datetime | None
    exported_at: datetime | None
    export_count: int
    export_sha256: str
    reason: str
    outcome: dict[str, Any]
    completed_at: datetime | None
    personal_data_masked: bool


class PrivacyRequestIn(Schema):
    customer: str = Field(pattern=CUSTOMER_REF, max_length=64, description="external id")
    kind: RequestKind
    channel: str = Field("", max_length=40)
    details: str = Field("", max_length=services.DETAILS_MAX)


class PrivacyIdentityIn(Schema):
    method: WebMethod
    note: str = Field("", max_length=200)


class PrivacyExportIn(Schema):
    format: Literal["json", "xlsx"] = "json"


class PrivacyErasureIn(Schema):
    reason: str = Field(min_length=1, max_length=services.REASON_MAX)
    confirm: str = Field(
        pattern=CUSTOMER_REF, max_length=64, description="the customer's external id, again"
    )


class PrivacyErasureOut(Schema):
    request: PrivacyRequestOut
    rows: dict[str, int]
    notes: list[str]


class PrivacyRequestFilter(Schema):
    status: Literal["", "open", "received", "verified", "done", "refused"] = ""
    kind: Literal["", "access", "correction", "deletion"] = ""
    customer: str = Field("", max_length=64, description="external id")
    overdue: bool = False


def _out(item: PrivacyRequest, user: Any) -> dict[str, Any]:
    plain = bool(user and user.has_perm(PERSONAL))
    text = (lambda value: value) if plain else mask_pii
    open_ = item.status in (RequestStatus.RECEIVED, RequestStatus.VERIFIED)
    return {
        "id": item.pk,
        "number": item.number,
        "kind": item.kind,
        "status": item.status,
        "customer": item.customer_ref,
        "channel": text(item.channel),
        "details": text(item.details),
        "received_at": item.received_at,
        "due_on": item.due_on,
        "overdue": open_ and item.due_on < timezone.localdate(now()),
        "identity_method": item.identity_method,
        "identity_note": text(item.identity_note),
        "identity_checked_at": item.identity_checked_at,
        "exported_at": item.exported_at,
        "export_count": item.export_count,
        "export_sha256": item.export_sha256,
        "reason": text(item.reason),
        "outcome": item.outcome or {},
        "completed_at": item.completed_at,
        "personal_data_masked": not plain,
    }


@router.get("/privacy/requests", response=list[PrivacyRequestOut])
@paginate
@api_requires(VIEW)
def privacy_requests(
    request: HttpRequest, filters: Query[PrivacyRequestFilter]
) -> list[dict[str, Any]]:
    """Personal-information requests, newest first; ``status=open`` gives those still to be
    answered (received or identity checked), ``overdue`` those past their due date."""
    rows: QuerySet[PrivacyRequest] = PrivacyRequest.objects.order_by("-received_at", "-id")
    if filters.status == "open":
        rows = rows.filter(status__in=[RequestStatus.RECEIVED, RequestStatus.VERIFIED])
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.customer.strip():
        rows = rows.filter(customer_ref=filters.customer.strip())
    if filters.overdue:
        rows = rows.filter(
            status__in=[RequestStatus.RECEIVED, RequestStatus.VERIFIED],
            due_on__lt=timezone.localdate(now()),
        )
    user = caller(request)
    return _Lazy(rows, lambda item: _out(item, user))  # type: ignore[return-value]


class _Lazy:
    """A queryset the paginator slices, each row shaped as it is read."""

    def __init__(self, rows: QuerySet[PrivacyRequest], shape: Any) -> None:
        self.rows, self.shape = rows, shape

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.shape(item) for item in self.rows[index]]


@router.post("/privacy/requests", response={201: PrivacyRequestOut})
@api_requires(ADD)
def privacy_request_create(request: HttpRequest, payload: PrivacyRequestIn) -> HttpStatus:
    """Log a request (access/copy, correction, deletion) from a customer, by external id; it
    is due 15 working days after receipt."""
    created = services.privacy_request_create(
        customer_ref=payload.customer,
        kind=payload.kind,
        channel=payload.channel,
        details=payload.details,
        by=caller(request),
    )
    return HttpStatus(201, _out(created, caller(request)))


@router.get("/privacy/requests/{pk}", response=PrivacyRequestOut)
@api_requires(VIEW)
def privacy_request(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _out(get_object_or_404(PrivacyRequest, pk=pk), caller(request))


@router.post("/privacy/requests/{pk}/identity", response=PrivacyRequestOut)
@api_requires(HANDLE)
def privacy_request_verify(
    request: HttpRequest, pk: Id, payload: PrivacyIdentityIn
) -> dict[str, Any]:
    """Record how the requester's identity was checked (needed before export or erasure)."""
    item = get_object_or_404(PrivacyRequest, pk=pk)
    done = services.privacy_request_verify(
        request=item, method=payload.method, note=payload.note, by=caller(request)
    )
    return _out(done, caller(request))


def _filename(ref: str) -> str:
    return "privacy-" + (re.sub(r"[^A-Za-z0-9_-]", "_", ref)[:64] or "customer")


@router.post(
    "/privacy/requests/{pk}/export",
    openapi_extra={
        "responses": {
            "200": {
                "description": "the export: JSON, or an Excel workbook with `format=xlsx`",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
@api_requires(HANDLE, PERSONAL)
def privacy_request_export(request: HttpRequest, pk: Id, payload: PrivacyExportIn) -> HttpResponse:
    """Everything Yuqi holds about the request's customer, as a download (the same bytes for
    the same data; each export is counted on the request)."""
    item = get_object_or_404(PrivacyRequest, pk=pk)
    bundle = services.privacy_export(request=item, by=caller(request))
    name = _filename(bundle.customer_ref)
    if payload.format == "xlsx":
        response = HttpResponse(bundle.xlsx_bytes(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(bundle.json_bytes, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/privacy/requests/{pk}/erasure", response=PrivacyErasureOut)
@api_requires(HANDLE, ERASE)
def privacy_request_erase(
    request: HttpRequest, pk: Id, payload: PrivacyErasureIn
) -> dict[str, Any]:
    """Anonymise the customer of a checked deletion request everywhere Yuqi holds them.
    ``confirm`` must repeat the request's customer id. Irreversible; a second is refused."""
    item = get_object_or_404(PrivacyRequest, pk=pk)
    if payload.confirm.strip() != item.customer_ref:
        raise DomainError(_("Type the request's customer id to confirm."), field="confirm")
    outcome = services.privacy_erase(request=item, reason=payload.reason, by=caller(request))
    return {
        "request": _out(outcome.request, caller(request)),
        "rows": outcome.rows,
        "notes": list(outcome.notes),
    }
