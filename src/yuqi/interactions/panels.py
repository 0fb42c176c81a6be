"""The contacts panels on the customer 360: the contact summary beside the profile and the
recent-contacts timeline below the other contexts' panels.

Registered from ``apps.py`` ``ready()`` (``core.panels``), so ``customers`` shows its
customers' contacts without importing ``interactions``. Anyone who may open the customer 360
sees them, as before the move.
"""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel
from yuqi.interactions.facade import contact_summary, recent_contacts

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
    """Provider for ``customer_360``: the recent contacts, after every other panel."""
    return Panel(
        "interactions/panels/customer_timeline.html",
        {"timeline": recent_contacts(customer_id, limit=TIMELINE_LIMIT)},
        order=1000,
    )
