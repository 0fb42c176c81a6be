"""Optimistic locking: claim a ticket by bumping its version (409 on a stale one)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from yuqi.complaints.models import Complaint
from yuqi.core.clock import now
from yuqi.core.errors import DomainError


class ConflictError(DomainError):
    """The ticket changed since the caller read it (optimistic locking): reload and retry."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _("This complaint was changed by someone else meanwhile. Reload it and try again."),
            field="version",
            code="conflict",
        )


def _user_id(user: Any) -> int | None:
    return None if user is None else user.pk


def _claim(complaint: Complaint | int, expected_version: int) -> Complaint:
    """Bump the version if it is still ``expected_version`` and return the locked ticket."""
    pk = complaint if isinstance(complaint, int) else complaint.pk
    claimed = Complaint.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now()
    )
    if claimed != 1:
        if not Complaint.objects.filter(pk=pk).exists():
            raise DomainError(_("Complaint not found."), code="not_found")
        raise ConflictError()
    return Complaint.objects.select_for_update().select_related("level").get(pk=pk)


def _current(complaint: Complaint | int) -> Complaint:
    """Claim a ticket at whatever version it has now (internal moves, other contexts)."""
    pk = complaint if isinstance(complaint, int) else complaint.pk
    version = Complaint.objects.filter(pk=pk).values_list("version", flat=True).first()
    if version is None:
        raise DomainError(_("Complaint not found."), code="not_found")
    return _claim(pk, version)
