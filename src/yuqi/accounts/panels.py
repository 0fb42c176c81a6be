"""The "Your roles" card on the home page, registered from ``apps.py`` ``ready()``
(``core.panels``, page ``home``), so the kernel's home view does not import ``accounts``."""

from __future__ import annotations

from typing import Any

from yuqi.accounts.access_kept import group_names
from yuqi.accounts.roles import ROLES
from yuqi.core.panels import Panel


def home_roles(user_id: int, user: Any) -> Panel:
    """Provider for ``home``: the signed-in user's roles, in the order ``ROLES`` lists them."""
    names = group_names(user)
    roles = [role for role in ROLES if role.name in names]
    return Panel("accounts/panels/home_roles.html", {"roles": roles}, order=20)
