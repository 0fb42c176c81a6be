"""The "text analysis" panel on the complaint page (registry page ``"complaint"``).

Registered on import (``apps.py`` ``ready()``); the provider answers None for a user who may
not see text analyses or when the complaint has not been analysed yet.
"""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel, register_panel
from yuqi.textmining.facade import taxonomy_labels

VIEW = "textmining.view_complaintanalysis"
LABEL = "textmining.add_complaintlabel"
JUDGE = "textmining.change_complaintanalysis"


def panel_context(complaint_id: int, user: Any) -> dict[str, Any] | None:
    from yuqi.textmining.models import ComplaintLabel
    from yuqi.textmining.presenters import analysis_view
    from yuqi.textmining.selectors import analysis_for

    if not (user and user.is_authenticated and user.has_perm(VIEW)):
        return None
    row = analysis_for(complaint_id)
    if row is None:
        return None
    labels = taxonomy_labels()
    label = ComplaintLabel.objects.filter(complaint_id=complaint_id).select_related("by").first()
    return {
        "a": analysis_view(row, labels),
        "label": label,
        "label_text": labels.get(label.code, label.code) if label else "",
        "choices": sorted(labels.items()),
        "can_label": user.has_perm(LABEL),
        "can_judge": user.has_perm(JUDGE),
    }


def complaint_text_panel(complaint_id: int, user: Any) -> Panel | None:
    context = panel_context(complaint_id, user)
    if context is None:
        return None
    return Panel(template="textmining/panels/complaint.html", context=context, order=30)


register_panel("complaint", "textmining", complaint_text_panel)
