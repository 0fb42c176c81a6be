"""The navigation bar, built from each page's declared access, so nobody sees a link they
cannot open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from yuqi.core.access import declared_access


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: object


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("core:home", _("Home")),
    NavItem("operations:dashboard", _("Dashboard")),
    NavItem("customers:list", _("Customers")),
    NavItem("interactions:list", _("Interactions")),
    NavItem("complaints:queue", _("Complaints")),
    NavItem("commitments:list", _("Promises")),
    NavItem("surveys:list", _("Surveys")),
    NavItem("surveys:calls", _("Survey calls")),
    NavItem("imports:list", _("Imports")),
    NavItem("operations:kpi_explorer", _("KPIs")),
    NavItem("operations:staffing_plan", _("Staffing")),
    NavItem("operations:pyramid_page", _("Pyramid")),
    NavItem("operations:scorecard_page", _("Scorecard")),
    NavItem("complaints:measures", _("Service measures")),
    NavItem("insights:benchmarks", _("Benchmarks")),
    NavItem("insights:expectations", _("Expectations")),
    NavItem("insights:evaluation", _("Evaluation")),
    NavItem("textmining:overview", _("Text mining")),
    NavItem("calendars:list", _("Calendars")),
    NavItem("notifications:list", _("Messages")),
    NavItem("accounts:users", _("Users")),
    NavItem("audit:list", _("Audit log")),
    NavItem("accounts:api_keys", _("API keys")),
    NavItem("core:system", _("System")),
)


def visible_items(user: object, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        url = reverse(item.url_name)
        access = declared_access(resolve(url).func)
        if access is None or not access.allows(user):
            continue
        items.append({"url": url, "label": item.label, "active": False})
    # The active item is the one whose address is the longest prefix of the current path.
    matching = [
        i
        for i in items
        if i["url"] == current_path or (i["url"] != "/" and current_path.startswith(i["url"]))
    ]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    if getattr(user, "is_staff", False) and getattr(user, "is_active", False):
        items.append({"url": reverse("admin:index"), "label": _("Settings"), "active": False})
    return items
