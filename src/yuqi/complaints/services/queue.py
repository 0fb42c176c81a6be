"""The work queue's writes: bulk assignment and each user's saved views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yuqi.complaints.choices import OPEN_STATES
from yuqi.complaints.models import Complaint, SavedQueueView
from yuqi.complaints.services.lifecycle import complaint_assign
from yuqi.core.clock import now
from yuqi.core.errors import DomainError

#: A user keeps at most this many saved views.
MAX_SAVED_VIEWS = 20


@transaction.atomic
def complaints_bulk_assign(*, numbers: Sequence[str], owner: Any, by: Any) -> list[Complaint]:
    """Assign every listed open ticket to ``owner`` (team unchanged), all or nothing: an unknown
    or closed number refuses the whole batch, so nobody assigns what they were not shown."""
    wanted = list(dict.fromkeys(numbers))
    if not wanted:
        raise DomainError(_("Choose at least one ticket."), field="tickets")
    tickets = list(Complaint.objects.filter(number__in=wanted, state__in=OPEN_STATES))
    found = {t.number for t in tickets}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise DomainError(
            _("These tickets are not open tickets of the queue: %(numbers)s")
            % {"numbers": ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")},
            field="tickets",
        )
    return [
        complaint_assign(
            complaint=t, by=by, expected_version=t.version, owner=owner, team_id=t.team_id
        )
        for t in sorted(tickets, key=lambda t: t.pk)
    ]


def saved_view_save(*, user: Any, name: str, query: str) -> SavedQueueView:
    """Save (or overwrite, by name) the user's view; ``query`` is already cleaned."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the view a name."), field="name")
    existing = SavedQueueView.objects.filter(user=user, name=name).first()
    if existing is not None:
        existing.query = query
        existing.save(update_fields=["query"])
        return existing
    if SavedQueueView.objects.filter(user=user).count() >= MAX_SAVED_VIEWS:
        raise DomainError(
            _("You can keep at most %(n)d saved views; delete one first.") % {"n": MAX_SAVED_VIEWS},
            field="name",
        )
    try:
        with transaction.atomic():
            return SavedQueueView.objects.create(
                user=user, name=name, query=query, created_at=now()
            )
    except IntegrityError:  # saved twice at once
        return SavedQueueView.objects.get(user=user, name=name)


def saved_view_delete(*, user: Any, view_id: int) -> None:
    """Delete one of the user's own views (another user's is "not found")."""
    deleted, _unused = SavedQueueView.objects.filter(user=user, pk=view_id).delete()
    if not deleted:
        raise DomainError(_("No such saved view."), code="not_found")
