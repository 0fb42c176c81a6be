"""The navigation bar, built from each page's declared access, so nobody sees a link they
cannot open.

Links are grouped by task (工作台 / 客户与接触 / 投诉与承诺 / 调查 / 洞察 / 运营 / 设置). The core
links are declared here; a context born later adds its own with :func:`register_nav_item` in its
``AppConfig.ready()``, so no context has to edit this file to appear in the menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import (
    NoReverseMatch,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils.translation import gettext_lazy as _

from yuqi.core.access import Access, declared_access


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: object
    order: int


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: object
    group: str = "workbench"
    order: int = 100


NAV_GROUPS: tuple[NavGroup, ...] = (
    NavGroup("workbench", _("Workbench"), 10),
    NavGroup("customers", _("Customers & contacts"), 20),
    NavGroup("complaints", _("Complaints & promises"), 30),
    NavGroup("surveys", _("Surveys"), 40),
    NavGroup("insights", _("Insights"), 50),
    NavGroup("operations", _("Operations"), 60),
    NavGroup("settings", _("Settings"), 70),
)

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("core:home", _("Home"), "workbench", 10),
    NavItem("operations:dashboard", _("Dashboard"), "workbench", 20),
    NavItem("customers:list", _("Customers"), "customers", 10),
    NavItem("interactions:list", _("Interactions"), "customers", 20),
    NavItem("complaints:queue", _("Complaints"), "complaints", 10),
    NavItem("commitments:list", _("Promises"), "complaints", 20),
    NavItem("complaints:measures", _("Service measures"), "complaints", 30),
    NavItem("surveys:list", _("Surveys"), "surveys", 10),
    NavItem("surveys:calls", _("Survey calls"), "surveys", 20),
    NavItem("insights:expectations", _("Expectations"), "insights", 10),
    NavItem("insights:evaluation", _("Evaluation"), "insights", 20),
    NavItem("insights:benchmarks", _("Benchmarks"), "insights", 30),
    NavItem("textmining:overview", _("Text mining"), "insights", 40),
    NavItem("operations:kpi_explorer", _("KPIs"), "operations", 10),
    NavItem("operations:staffing_plan", _("Staffing"), "operations", 20),
    NavItem("operations:pyramid_page", _("Pyramid"), "operations", 30),
    NavItem("operations:scorecard_page", _("Scorecard"), "operations", 40),
    NavItem("imports:list", _("Imports"), "settings", 10),
    NavItem("calendars:list", _("Calendars"), "settings", 20),
    NavItem("notifications:list", _("Messages"), "settings", 30),
    NavItem("accounts:users", _("Users"), "settings", 40),
    NavItem("audit:list", _("Audit log"), "settings", 50),
    NavItem("accounts:api_keys", _("API keys"), "settings", 60),
    NavItem("core:system", _("System"), "settings", 70),
)

_REGISTERED: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    """Add a link to the menu (registering the same ``url_name`` again replaces it)."""
    if item.group not in {g.key for g in NAV_GROUPS}:
        raise ValueError(f"unknown navigation group {item.group!r}")
    _REGISTERED[item.url_name] = item


def all_items() -> list[NavItem]:
    group_order = {g.key: g.order for g in NAV_GROUPS}
    items = {i.url_name: i for i in NAV_ITEMS} | _REGISTERED
    return sorted(items.values(), key=lambda i: (group_order[i.group], i.order))


_Target = tuple[NavItem, str, Access | None]
#: ((URL resolver, script prefix, registered items), [(item, url, access)]): every link's
#: address and declared access, worked out once per URL map (each page drew the menu by
#: reversing and resolving every link again). A new resolver (tests overriding
#: ``ROOT_URLCONF``), prefix or registered link starts it afresh.
_TARGETS: tuple[tuple[object, str, tuple[NavItem, ...]], list[_Target]] | None = None


def _targets() -> list[_Target]:
    global _TARGETS
    key = (get_resolver(get_urlconf()), get_script_prefix(), tuple(all_items()))
    if _TARGETS is not None and _TARGETS[0][0] is key[0] and _TARGETS[0][1:] == key[1:]:
        return _TARGETS[1]
    found: list[_Target] = []
    for item in key[2]:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a registered page whose URLs are not mounted (tests)
            continue
        found.append((item, url, declared_access(resolve(url).func)))
    _TARGETS = (key, found)
    return found


#: (the targets they were worked out from, {what decides access: the links it may open}).
#: Whether a link is open to a user depends only on the user's permissions and flags (see
#: :func:`_deciding`), so a role's menu is worked out once per process, not on every page
#: (about 25 permission checks each time).
_ALLOWED: tuple[list[_Target], dict[tuple, list[_Target]]] | None = None
_ALLOWED_MAX = 64


def _deciding(user: Any) -> tuple:
    """What :meth:`Access.allows` reads of ``user``: the flags and the permission set."""
    active = bool(getattr(user, "is_active", False))
    signed_in = bool(getattr(user, "is_authenticated", False))
    permissions = frozenset(user.get_all_permissions()) if active and signed_in else frozenset()
    return (signed_in, active, bool(getattr(user, "is_superuser", False)), permissions)


def _allowed(user: Any) -> list[_Target]:
    global _ALLOWED
    targets = _targets()
    if _ALLOWED is None or _ALLOWED[0] is not targets:
        _ALLOWED = (targets, {})
    try:
        key = _deciding(user)
    except AttributeError:  # not a Django user: ask each link
        return [t for t in targets if t[2] is not None and t[2].allows(user)]
    known = _ALLOWED[1]
    found = known.get(key)
    if found is None:
        found = [t for t in targets if t[2] is not None and t[2].allows(user)]
        if len(known) >= _ALLOWED_MAX:
            known.clear()
        known[key] = found
    return found


def visible_items(user: object, current_path: str) -> list[dict]:
    """The links ``user`` may open, in menu order; each dict has ``url``, ``label``, ``group``
    (the group's key), ``group_label`` and ``active``."""
    labels = {g.key: g.label for g in NAV_GROUPS}
    items = []
    for item, url, _access in _allowed(user):
        items.append(
            {
                "url": url,
                "label": item.label,
                "group": item.group,
                "group_label": labels[item.group],
                "active": False,
            }
        )
    # The active item is the one whose address is the longest prefix of the current path.
    matching = [
        i
        for i in items
        if i["url"] == current_path or (i["url"] != "/" and current_path.startswith(i["url"]))
    ]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    if getattr(user, "is_staff", False) and getattr(user, "is_active", False):
        items.append(
            {
                "url": reverse("admin:index"),
                "label": _("Back office"),
                "group": "settings",
                "group_label": labels["settings"],
                "active": False,
            }
        )
    return items


def grouped(items: list[dict]) -> list[dict]:
    """``items`` (from :func:`visible_items`) as groups: ``[{"key", "label", "items",
    "active"}]``, empty groups left out."""
    groups: list[dict] = []
    for group in sorted(NAV_GROUPS, key=lambda g: g.order):
        members = [i for i in items if i["group"] == group.key]
        if members:
            groups.append(
                {
                    "key": group.key,
                    "label": group.label,
                    "items": members,
                    "active": any(i["active"] for i in members),
                }
            )
    return groups
