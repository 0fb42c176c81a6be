"""Every write to complaints goes through here: ``complaint_<verb>(*, ...)``.

Optimistic locking: each service that edits a ticket takes ``expected_version`` (the version
the user's page or API client last read). The first statement of the transaction is a
conditional ``UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?``; if it
touches no row someone else saved first and :class:`ConflictError` (HTTP 409) is raised, so
two handlers never silently overwrite each other. The same UPDATE takes the row lock (on
SQLite the database write lock), so the rest of the service runs serialised per ticket.

Customer messages are sent inside the transaction as its last step and logged on the timeline.

The services live by concern in this package and are re-exported here, so ``services.complaint_*``
and ``from yuqi.complaints.services import complaint_*`` name every write to a complaint:

* :mod:`.lifecycle`: open, move (transition, close, reopen), escalate, update, assign, notes;
* :mod:`.edit`: one API PATCH composed of the services above (``complaint_edit``);
* :mod:`.resolution`: agreement, recovery actions and approvals, callback, complainer type;
* :mod:`.risk`: the complainer type suggestion and escalation risk;
* :mod:`.queue`: bulk assignment and saved queue views;
* :mod:`.recompute`: open clocks recomputed after a calendar change;
* :mod:`._locking` (the version claim) and :mod:`._common` (shared helpers).
"""

from __future__ import annotations

from yuqi.complaints.services._common import (
    CHECKLIST_FIELDS,
    CUSTOMER_TEMPLATES,
    NEXT_STEPS,
    REQUIREMENT_LABELS,
    state_label,
)
from yuqi.complaints.services._locking import ConflictError
from yuqi.complaints.services.edit import complaint_edit
from yuqi.complaints.services.lifecycle import (
    UPDATABLE_FIELDS,
    complaint_add_note,
    complaint_assign,
    complaint_close,
    complaint_escalate,
    complaint_move,
    complaint_open,
    complaint_record_external_event,
    complaint_reopen,
    complaint_reopen_for_recovery,
    complaint_transition,
    complaint_update,
    complaint_update_checklist,
)
from yuqi.complaints.services.queue import (
    complaints_bulk_assign,
    saved_view_delete,
    saved_view_save,
)
from yuqi.complaints.services.recompute import (
    complaint_clocks_recompute,
    complaints_recompute_open_clocks,
)
from yuqi.complaints.services.resolution import (
    DEFAULT_COMPENSATION_LIMIT,
    compensation_limit,
    complaint_add_recovery,
    complaint_approve_recovery,
    complaint_confirm_type,
    complaint_record_agreement,
    complaint_record_callback,
)
from yuqi.complaints.services.risk import (
    HISTORY_DAYS,
    REPEAT_WINDOW_DAYS,
    complaint_refresh_risk,
)

__all__ = [
    "CHECKLIST_FIELDS",
    "CUSTOMER_TEMPLATES",
    "DEFAULT_COMPENSATION_LIMIT",
    "HISTORY_DAYS",
    "NEXT_STEPS",
    "REPEAT_WINDOW_DAYS",
    "REQUIREMENT_LABELS",
    "UPDATABLE_FIELDS",
    "ConflictError",
    "compensation_limit",
    "complaint_add_note",
    "complaint_add_recovery",
    "complaint_approve_recovery",
    "complaint_assign",
    "complaint_clocks_recompute",
    "complaint_close",
    "complaint_confirm_type",
    "complaint_edit",
    "complaint_escalate",
    "complaint_move",
    "complaint_open",
    "complaint_record_agreement",
    "complaint_record_callback",
    "complaint_record_external_event",
    "complaint_refresh_risk",
    "complaint_reopen",
    "complaint_reopen_for_recovery",
    "complaint_transition",
    "complaint_update",
    "complaint_update_checklist",
    "complaints_bulk_assign",
    "complaints_recompute_open_clocks",
    "saved_view_delete",
    "saved_view_save",
    "state_label",
]
