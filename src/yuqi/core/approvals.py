"""The approvals inbox's registry: everything awaiting a second person's decision, from every
context, on one page (``/approvals/``) without ``core`` importing any context.

Four eyes is the rule of each context, not of the inbox: a source's ``decide`` calls the
context's own service (``commitments.services.commitment_approve``/``commitment_reject``,
``complaints.services.complaint_approve_recovery``), which refuses the requester's own item
and anything beyond the approver's authority. The inbox only lists, asks for a reason when
rejecting, and shows the service's answer.

How a context adds its approvals (e.g. over-level complaint approvals)
------------------------------------------------------------------------
1. Write two functions in the context (say ``complaints/approvals.py``)::

       def pending(user) -> list[ApprovalItem]:
           # what awaits a decision and ``user`` may see; one or two queries, whatever the
           # number of rows (select_related / prefetch), newest requests last
           ...

       def decide(user, item_id: int, approve: bool, reason: str) -> str:
           # call the context's own service; return the message to show; raise DomainError
           # (its message is shown) when the service refuses (four eyes, authority, decided)
           ...

2. Register them in the context's ``AppConfig.ready()``::

       from yuqi.core.approvals import ApprovalSource, register_approval_source

       register_approval_source(ApprovalSource(
           name="over_level", label=_("Over-level approvals"), permission="app.perm",
           pending=pending, decide=decide, order=30))

``name`` becomes part of the decision address (``/approvals/<name>/<id>/``); ``permission`` is
checked before the posted form is read, and hides the source from users without it. The inbox
page itself is open to holders of ``commitments.approve_commitment`` (every approving role has
it, see ``accounts.roles``); a source for another role's approvals would widen that check.
A rejection always carries a reason (the inbox asks for one); the source passes it to its
service, which records it and tells the requester.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ApprovalItem:
    """One thing awaiting a decision, as the inbox shows it."""

    id: int
    title: str
    url: str
    requested_by: str
    requested_by_id: int | None
    requested_at: datetime | None
    customer: str = ""
    amount: Decimal | None = None
    reasons: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class ApprovalSource:
    name: str
    label: object
    permission: str
    pending: Callable[[Any], list[ApprovalItem]]
    decide: Callable[[Any, int, bool, str], str]
    order: int = 100


_SOURCES: dict[str, ApprovalSource] = {}


def register_approval_source(source: ApprovalSource) -> None:
    """Add ``source`` to the inbox (the same name again replaces it: ``ready()`` may run twice)."""
    _SOURCES[source.name] = source


def approval_source(name: str) -> ApprovalSource | None:
    return _SOURCES.get(name)


def sources_for(user: Any) -> list[ApprovalSource]:
    """The sources ``user`` may decide, in inbox order."""
    allowed = [s for s in _SOURCES.values() if user.has_perm(s.permission)]
    return sorted(allowed, key=lambda s: (s.order, s.name))


@dataclass(frozen=True)
class ApprovalSection:
    source: ApprovalSource
    items: list[ApprovalItem]


def inbox_for(user: Any) -> list[ApprovalSection]:
    """Every source the user may decide with its pending items."""
    return [ApprovalSection(source=s, items=list(s.pending(user))) for s in sources_for(user)]
