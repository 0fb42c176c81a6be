"""The contacts panels on the customer 360: the contact summary beside the profile and the
recent-contacts timeline below the other contexts' panels.

Registered from ``apps.py`` ``ready()`` (``core.panels``), so ``customers`` shows its
customers' contacts without importing ``interactions``. Anyone who may open the customer 360
sees them, as before the move.
"""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel
from yuqi.interactions.facade import contact_summary, contacts_of_complaint, recent_contacts

#: The timeline shows this many contacts, newest first.
TIMELINE_LIMIT = 30


def customer_contact_summary(customer_id: int, user: Any) -> Panel:
    """Provider for ``customer_360_side``: counts and the last contact."""
    return Panel(
        "interactions/panels/customer_summary.html",
        {"summary": contact_summary(customer_id)},
        order=10,
    )


def customer_contact_timeline(customer_id: int, user: Any) -> Panel:
    """Provider for ``customer_360``: the recent contacts, after every other panel; each
    without a complaint offers to open one from it, for those who may log complaints."""
    return Panel(
        "interactions/panels/customer_timeline.html",
        {
            "timeline": recent_contacts(customer_id, limit=TIMELINE_LIMIT),
            "may_open_complaint": user.has_perm("complaints.add_complaint"),
        },
        order=1000,
    )


def customer_log_contact(customer_id: int, user: Any) -> Panel | None:
    """Provider for ``customer_360``: the "log a contact" form, first on the page, for those
    who may log contacts."""
    if not (user and user.is_authenticated and user.has_perm("interactions.add_interaction")):
        return None
    from yuqi.interactions.forms import ContactLogForm
    from yuqi.interactions.selectors import contact_categories

    return Panel(
        "interactions/panels/log_contact.html",
        {"form": ContactLogForm(), "categories": contact_categories()},
        order=1,
    )


def complaint_source_contacts(complaint_id: int, user: Any) -> Panel | None:
    """Provider for ``complaint``: the contact the complaint was opened from, if any."""
    if not (user and user.is_authenticated and user.has_perm("interactions.view_interaction")):
        return None
    contacts = contacts_of_complaint(complaint_id)
    if not contacts:
        return None
    return Panel("interactions/panels/complaint_contacts.html", {"contacts": contacts}, order=5)
