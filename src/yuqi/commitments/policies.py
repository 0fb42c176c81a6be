"""Who may act on one promise (object-level; the permission itself is declared on the route).

Agents hold ``change_commitment`` so the one who promised can mark it kept or renegotiate it;
only those who may approve promises (supervisors and up) act on colleagues' promises.
"""

from __future__ import annotations

from typing import Any

CHANGE = "commitments.change_commitment"
APPROVE = "commitments.approve_commitment"


def can_change(user: Any, promised_by_id: int) -> bool:
    if not user.has_perm(CHANGE):
        return False
    return promised_by_id == user.pk or user.has_perm(APPROVE)


def can_approve(user: Any, promised_by_id: int) -> bool:
    """Four eyes: nobody approves their own flagged promise."""
    return user.has_perm(APPROVE) and promised_by_id != user.pk
