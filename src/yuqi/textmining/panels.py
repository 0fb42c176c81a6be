"""The "text analysis" panel on the complaint page (registry page ``"complaint"``).

Registered on import (``apps.py`` ``ready()``); the provider answers None for a user who may
not see text analyses or when the complaint has not been analysed yet.
"""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel, register_panel
from yuqi.textmining.facade import taxonomy_labels

VIEW = "textmining.view_complaintanalysis"
LEDGER_VIEW = "commitments.view_commitment"
LEDGER_ADD = "commitments.add_commitment"
# the promise ledger's kind for the outcome a quoted promise names
LEDGER_KIND = {
    "callback": "callback",
    "repair": "repair",
    "refund": "refund",
    "compensation": "compensation",
    "reply": "department_reply",
    "waiver": "fee_change",
}
LABEL = "textmining.add_complaintlabel"
JUDGE = "textmining.change_complaintanalysis"


def _label(row: Any, complaint_id: int) -> Any:
    """The handler's label (with its author) of the analysed complaint: the analysis is read
    joined with it (``analyses_of_complaint``), so it is taken from there, not read again."""
    from yuqi.textmining.models import ComplaintLabel

    complaint = row.complaint if type(row).complaint.is_cached(row) else None
    if complaint is not None and complaint._meta.get_field("text_label").is_cached(complaint):
        label = getattr(complaint, "text_label", None)  # a missing label is cached as None
        if label is None or ComplaintLabel.by.is_cached(label):
            return label
    return ComplaintLabel.objects.filter(complaint_id=complaint_id).select_related("by").first()


def panel_context(complaint_id: int, user: Any) -> dict[str, Any] | None:
    from yuqi.textmining.presenters import analysis_view
    from yuqi.textmining.selectors import analysis_for

    if not (user and user.is_authenticated and user.has_perm(VIEW)):
        return None
    row = analysis_for(complaint_id)
    if row is None:
        return None
    labels = taxonomy_labels()
    promise = row.quoted_promise or {}
    label = _label(row, complaint_id)
    return {
        # the panel links to nothing: the ticket's number and address are not looked up
        "a": analysis_view(row, labels, number=""),
        "label": label,
        "label_text": labels.get(label.code, label.code) if label else "",
        "choices": sorted(labels.items()),
        "can_label": user.has_perm(LABEL),
        "can_judge": user.has_perm(JUDGE),
        **(promise_ledger(complaint_id, promise, user) if promise else {}),
    }


def promise_ledger(complaint_id: int, promise: dict[str, Any], user: Any) -> dict[str, Any]:
    """The customer quotes a promise of ours: the ledger's promises on this complaint of the
    same kind (the evidence that one was broken), or a link to record it when none is there."""
    if not user.has_perm(LEDGER_VIEW):
        return {}
    from django.urls import reverse
    from django.utils.http import urlencode

    from yuqi.commitments.facade import commitments_for_complaint

    kind = LEDGER_KIND.get(promise.get("kind") or "", "other")
    lines = [line for line in commitments_for_complaint(complaint_id) if line.kind == kind]
    record = ""
    if not lines and user.has_perm(LEDGER_ADD):
        query = urlencode({"complaint": complaint_id, "kind": kind})
        record = f"{reverse('commitments:new')}?{query}"
    return {
        "ledger_lines": [
            {
                "url": reverse("commitments:detail", args=[line.id]),
                "id": line.id,
                "kind": line.kind_label,
                "status": line.status_label,
                "due_at": line.due_at,
                "broken": line.broken_at is not None,
            }
            for line in lines
        ],
        "ledger_checked": True,
        "ledger_record_url": record,
    }


def complaint_text_panel(complaint_id: int, user: Any) -> Panel | None:
    context = panel_context(complaint_id, user)
    if context is None:
        return None
    return Panel(template="textmining/panels/complaint.html", context=context, order=30)


register_panel("complaint", "textmining", complaint_text_panel)
