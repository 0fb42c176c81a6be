from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel


def customer_surveys_panel(customer_id: int, user: Any) -> Panel | None:
    """The customer's recent surveys on the 360 page, for users who may read surveys."""
    if not user.has_perm("surveys.view_survey"):
        return None
    from yuqi.surveys.facade import surveys_to_show_for_customer

    summary = surveys_to_show_for_customer(customer_id)
    if summary is None:  # neither an invitation nor an opt-out
        return None
    return Panel("surveys/partials/customer_panel.html", {"summary": summary}, order=50)
