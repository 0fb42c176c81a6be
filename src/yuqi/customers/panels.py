"""The screen pop on the home page (``core.panels``, page ``home``): a box for the caller's
number that opens ``customers:lookup``. Shown to those who answer customers: who may open a
customer and log a contact."""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel


def home_screen_pop(user_id: int, user: Any) -> Panel | None:
    if not (
        user
        and user.is_authenticated
        and user.has_perm("customers.view_customer")
        and user.has_perm("interactions.add_interaction")
    ):
        return None
    return Panel("customers/panels/home_screen_pop.html", {}, order=1)
