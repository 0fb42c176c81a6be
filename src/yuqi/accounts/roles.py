"""The five roles and what each may do: the single source for groups, docs and tests.

A role is a Django group whose permissions are set from ``ROLE_PERMISSIONS`` after every
migration (``sync_roles``), so the table below is the truth and the database follows it.
Later bounded contexts add their permissions here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    name: str
    label: object  # lazy translation
    description: object


ROLES: tuple[Role, ...] = (
    Role("agent", _("Agent"), _("Answers customers, logs contacts, complaints and promises.")),
    Role(
        "supervisor",
        _("Supervisor"),
        _("Works complaint tickets, recovery and callbacks; watches the team."),
    ),
    Role(
        "analyst",
        _("Analyst"),
        _("Runs surveys, mines complaints, benchmarks peers, grades expectations."),
    ),
    Role(
        "manager",
        _("Manager"),
        _("Sets service standards and tiers, staffing; reads dashboards and the audit log."),
    ),
    Role("admin", _("Administrator"), _("Manages users, roles, API keys and settings.")),
)
ROLE_NAMES = tuple(role.name for role in ROLES)

_SEE_COLLEAGUES = {"accounts.view_user"}
_READ_AUDIT = {"auditlog.view_logentry"}
_ADMINISTER = {
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_apikey",
    "accounts.add_apikey",
    "accounts.change_apikey",
    "core.view_system_status",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "agent": frozenset(),
    "supervisor": frozenset(_SEE_COLLEAGUES),
    "analyst": frozenset(),
    "manager": frozenset(_SEE_COLLEAGUES | _READ_AUDIT),
    "admin": frozenset(_SEE_COLLEAGUES | _READ_AUDIT | _ADMINISTER),
}


def role_by_name(name: str) -> Role:
    for role in ROLES:
        if role.name == name:
            return role
    raise KeyError(name)
