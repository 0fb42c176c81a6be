"""The append-only promise ledger: one constructor per event kind (never updated or deleted)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from yuqi.commitments.choices import EventKind
from yuqi.commitments.models import Commitment, CommitmentEvent


def _iso(value: datetime | None) -> str | None:
    """ISO-8601 in UTC, as the database stores times."""
    return value.astimezone(UTC).isoformat() if value else None


def _event(
    commitment: Commitment, kind: str, at: datetime, by_id: int | None, parameters: dict[str, Any]
) -> CommitmentEvent:
    return CommitmentEvent.objects.create(
        commitment=commitment, kind=kind, at=at, by_id=by_id, parameters=parameters
    )


def made_event(*, commitment: Commitment, at: datetime, by_id: int) -> CommitmentEvent:
    return _event(
        commitment,
        EventKind.MADE,
        at,
        by_id,
        {
            "kind": commitment.kind,
            "due": _iso(commitment.due_at),
            "amount": None if commitment.amount is None else str(commitment.amount),
            "perk": commitment.perk,
            "flags": [flag["code"] for flag in commitment.flags],
            "approval_state": commitment.approval_state,
        },
    )


def approved_event(
    *, commitment: Commitment, at: datetime, by_id: int, note: str
) -> CommitmentEvent:
    return _event(commitment, EventKind.APPROVED, at, by_id, {"note": note})


def rejected_event(
    *, commitment: Commitment, at: datetime, by_id: int, reason: str
) -> CommitmentEvent:
    return _event(commitment, EventKind.REJECTED, at, by_id, {"reason": reason})


def reminded_event(
    *, commitment: Commitment, at: datetime, recipient_ids: list[int]
) -> CommitmentEvent:
    return _event(commitment, EventKind.REMINDED, at, None, {"recipients": recipient_ids})


def renegotiated_event(
    *,
    commitment: Commitment,
    at: datetime,
    by_id: int,
    old_due: datetime,
    new_due: datetime,
    reason: str,
) -> CommitmentEvent:
    parameters = {"old_due": _iso(old_due), "new_due": _iso(new_due), "reason": reason}
    return _event(commitment, EventKind.RENEGOTIATED, at, by_id, parameters)


def fulfilled_event(
    *, commitment: Commitment, at: datetime, by_id: int | None, evidence: str, evidence_file: str
) -> CommitmentEvent:
    parameters = {
        "evidence": evidence,
        "evidence_file": evidence_file,
        "on_time": at <= commitment.due_at,
    }
    return _event(commitment, EventKind.FULFILLED, at, by_id, parameters)


def broken_event(
    *, commitment: Commitment, at: datetime, by_id: int | None, reason: str
) -> CommitmentEvent:
    parameters = {"due": _iso(commitment.due_at), "reason": reason}
    return _event(commitment, EventKind.BROKEN, at, by_id, parameters)


def cancelled_event(
    *, commitment: Commitment, at: datetime, by_id: int, reason: str
) -> CommitmentEvent:
    return _event(commitment, EventKind.CANCELLED, at, by_id, {"reason": reason})
