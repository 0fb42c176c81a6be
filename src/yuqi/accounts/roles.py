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
_SEE_CONTACTS = {"customers.view_customer", "interactions.view_interaction"}
_LOG_CONTACTS = {"interactions.add_interaction"}
_SEE_PERSONAL_DATA = {"customers.view_personal_data"}
_EDIT_CONTACTS = {"customers.change_customer", "interactions.change_interaction"}
_IMPORT = {
    "imports.view_importrun",
    "imports.add_importrun",
    "customers.add_customer",
    "interactions.add_interaction",
}
_CONFIGURE_SERVICE = {
    "customers.add_tier",
    "customers.change_tier",
    "interactions.change_queue",
    "operations.change_scorecardmeasure",
    "operations.change_pyramidsettings",
}
_SEE_OPERATIONS = {"operations.view_operations"}
_PLAN_STAFF = {"operations.view_staffing"}
_REFRESH_SEGMENTS = {"operations.refresh_segments"}
_ADMINISTER = {
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_apikey",
    "accounts.add_apikey",
    "accounts.change_apikey",
    "core.view_system_status",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "agent": frozenset(_SEE_CONTACTS | _LOG_CONTACTS),
    "supervisor": frozenset(
        _SEE_COLLEAGUES
        | _SEE_CONTACTS
        | _LOG_CONTACTS
        | _SEE_PERSONAL_DATA
        | _EDIT_CONTACTS
        | _SEE_OPERATIONS
        | _PLAN_STAFF
    ),
    "analyst": frozenset(_SEE_CONTACTS | {"imports.view_importrun"} | _SEE_OPERATIONS),
    "manager": frozenset(
        _SEE_COLLEAGUES
        | _READ_AUDIT
        | _SEE_CONTACTS
        | _SEE_PERSONAL_DATA
        | _EDIT_CONTACTS
        | _IMPORT
        | _CONFIGURE_SERVICE
        | _SEE_OPERATIONS
        | _PLAN_STAFF
        | _REFRESH_SEGMENTS
    ),
    "admin": frozenset(
        _SEE_COLLEAGUES
        | _READ_AUDIT
        | _SEE_CONTACTS
        | _LOG_CONTACTS
        | _SEE_PERSONAL_DATA
        | _EDIT_CONTACTS
        | _IMPORT
        | _CONFIGURE_SERVICE
        | _ADMINISTER
        | _SEE_OPERATIONS
        | _PLAN_STAFF
        | _REFRESH_SEGMENTS
    ),
}


def role_by_name(name: str) -> Role:
    for role in ROLES:
        if role.name == name:
            return role
    raise KeyError(name)
