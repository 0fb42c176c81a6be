"""One PATCH of a ticket: details, owner/team, checklist and confirmed complainer type in one
transaction, each part through its own service (each bumps the version once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from yuqi.complaints.models import Complaint
from yuqi.complaints.services._locking import ConflictError
from yuqi.complaints.services.lifecycle import (
    complaint_assign,
    complaint_update,
    complaint_update_checklist,
)
from yuqi.complaints.services.resolution import complaint_confirm_type


@transaction.atomic
def complaint_edit(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    changes: Mapping[str, Any] | None = None,
    assign: tuple[Any, int | None] | None = None,
    checklist: Mapping[str, bool] | None = None,
    complainer_type: str = "",
) -> Complaint:
    """Apply what was sent, in this order: detail ``changes`` (see ``complaint_update``),
    ``assign`` as ``(owner, team_id)``, ``checklist`` items, the confirmed ``complainer_type``.
    All or nothing; a stale ``expected_version`` is refused (409) even when nothing changes."""
    if not (changes or assign is not None or checklist or complainer_type):
        if complaint.version != expected_version:
            raise ConflictError()
        return complaint
    version = expected_version
    if changes:
        complaint = complaint_update(
            complaint=complaint, by=by, expected_version=version, changes=dict(changes)
        )
        version = complaint.version
    if assign is not None:
        owner, team_id = assign
        complaint = complaint_assign(
            complaint=complaint, by=by, expected_version=version, owner=owner, team_id=team_id
        )
        version = complaint.version
    if checklist:
        complaint = complaint_update_checklist(
            complaint=complaint, by=by, expected_version=version, items=checklist
        )
        version = complaint.version
    if complainer_type:
        complaint = complaint_confirm_type(
            complaint=complaint, complainer_type=complainer_type, by=by, expected_version=version
        )
    return complaint
