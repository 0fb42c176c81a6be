"""The navigation bar, built from each page's declared access, so nobody sees a link they
cannot open.

Links are grouped by task (工作台 / 客户与接触 / 投诉与承诺 / 调查 / 洞察 / 运营 / 设置). The core
links are declared here; a context born later adds its own with :func:`register_nav_item` in its
``AppConfig.ready()``, so no context has to edit this file to appear in the menu.
"""

from __future__ import annotations

from collections.abc import Callable
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
from django.utils.translation import get_language
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
#: ((the registered links it was sorted from), every link in menu order): :func:`all_items`
#: is asked on every page (:func:`_targets`), the links change only at start-up.
_ALL: tuple[tuple[NavItem, ...], tuple[NavItem, ...]] | None = None


def register_nav_item(item: NavItem) -> None:
    """Add a link to the menu (registering the same ``url_name`` again replaces it)."""
    if item.group not in {g.key for g in NAV_GROUPS}:
        raise ValueError(f"unknown navigation group {item.group!r}")
    _REGISTERED[item.url_name] = item


def _all_items() -> tuple[NavItem, ...]:
    global _ALL
    registered = tuple(_REGISTERED.values())
    if (
        _ALL is not None
        and len(_ALL[0]) == len(registered)
        and all(a is b for a, b in zip(_ALL[0], registered, strict=True))
    ):
        return _ALL[1]
    group_order = {g.key: g.order for g in NAV_GROUPS}
    items = {i.url_name: i for i in NAV_ITEMS} | _REGISTERED
    ordered = tuple(sorted(items.values(), key=lambda i: (group_order[i.group], i.order)))
    _ALL = (registered, ordered)
    return ordered


def all_items() -> list[NavItem]:
    return list(_all_items())


_Target = tuple[NavItem, str, Access | None]
#: ((URL resolver, script prefix, registered items), [(item, url, access)]): every link's
#: address and declared access, worked out once per URL map (each page drew the menu by
#: reversing and resolving every link again). A new resolver (tests overriding
#: ``ROOT_URLCONF``), prefix or registered link starts it afresh.
_TARGETS: tuple[tuple[object, str, tuple[NavItem, ...]], list[_Target]] | None = None


def _targets() -> list[_Target]:
    global _TARGETS
    key = (get_resolver(get_urlconf()), get_script_prefix(), _all_items())
    if (
        _TARGETS is not None
        and _TARGETS[0][0] is key[0]
        and _TARGETS[0][1] == key[1]
        and _TARGETS[0][2] is key[2]
    ):
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
    try:
        key = _deciding(user)
    except AttributeError:  # not a Django user: ask each link
        return [t for t in _targets() if t[2] is not None and t[2].allows(user)]
    return _allowed_for(user, key)


def _allowed_for(user: Any, key: tuple) -> list[_Target]:
    """The links open to ``user``, whose :func:`_deciding` key is ``key``."""
    global _ALLOWED
    targets = _targets()
    if _ALLOWED is None or _ALLOWED[0] is not targets:
        _ALLOWED = (targets, {})
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


#: (the targets they were drawn from, {(what decides access, staff, language, the active
#: link's place): the drawn menu}). The menu of a page is a function of those four alone
#: (see :func:`menu`), so it is drawn once per process for each, not on every page.
_MENUS: tuple[list[_Target] | None, dict[tuple, Any]] = (None, {})
_MENUS_MAX = 512


def forget_menus() -> None:
    """Drop the drawn menus."""
    global _MENUS
    _MENUS = (None, {})


#: Settings a drawn menu depends on beyond the URL map: the languages and their catalogs.
_MENU_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"})


def menu_setting_changed(sender: Any, setting: str, **kwargs: Any) -> None:
    """``setting_changed`` (tests overriding settings): forget the menus drawn before."""
    if setting in _MENU_SETTINGS:
        forget_menus()


def _active_place(allowed: list[_Target], current_path: str) -> int | None:
    """The place in ``allowed`` of the link :func:`visible_items` marks active: the first of
    the longest addresses that are the current path or a prefix of it."""
    best: int | None = None
    for place, (_item, url, _access) in enumerate(allowed):
        matches = url == current_path or (url != "/" and current_path.startswith(url))
        if matches and (best is None or len(url) > len(allowed[best][1])):
            best = place
    return best


def menu[T](user: Any, current_path: str, draw: Callable[[list[dict]], T]) -> T:
    """``draw(grouped(visible_items(user, current_path)))``, kept per process.

    What that menu shows depends only on the links open to the user (:func:`_deciding`: the
    permission set and flags, which :func:`_allowed` already keys on), whether the back
    office link is added (staff and active), the language its labels are drawn in and which
    link is active; the addresses come from the URL map (:func:`_targets`, which a new map or
    prefix replaces, and with it every kept menu). A role's menu in a language is therefore
    drawn once per active link, not on every page. A permission granted or taken changes the
    permission set, so the next page draws the new menu."""
    global _MENUS
    try:
        deciding = _deciding(user)
    except AttributeError:  # not a Django user
        return draw(grouped(visible_items(user, current_path)))
    allowed = _allowed_for(user, deciding)
    targets = _targets()
    if _MENUS[0] is not targets:
        _MENUS = (targets, {})
    staff = bool(getattr(user, "is_staff", False) and getattr(user, "is_active", False))
    key = (deciding, staff, get_language(), _active_place(allowed, current_path))
    known = _MENUS[1]
    if key in known:
        return known[key]
    drawn = draw(grouped(visible_items(user, current_path)))
    if len(known) >= _MENUS_MAX:
        known.clear()
    known[key] = drawn
    return drawn
