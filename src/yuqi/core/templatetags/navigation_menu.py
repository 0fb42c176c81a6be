"""``{% nav_menu nav_groups %}``: the main menu's groups and links (from
:func:`yuqi.core.navigation.grouped`), drawn in one pass; ``{% main_menu %}``: the signed-in
user's menu for the current page, drawn by ``nav_menu`` once per role, language and active
link in each process (:func:`yuqi.core.navigation.menu`).

Every page draws the menu, some 25 links in 7 groups; through the template engine each link
cost its variable look-ups and conditions on every page. The markup is that of the loop it
replaced in ``base.html`` (``tests/core/test_navigation_menu.py`` compares the two).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from yuqi.core.navigation import menu

register = template.Library()


def _v(value: Any) -> str:
    return conditional_escape(str(value))


@register.simple_tag
def nav_menu(groups: list[dict[str, Any]]) -> SafeString:
    parts: list[str] = []
    for group in groups:
        key = _v(group["key"])
        active = group["active"]
        parts.append(
            f'\n      <li class="navgroup{" active" if active else ""}" data-group="{key}">\n'
            f'        <button type="button" class="navgroup-toggle" aria-expanded="false" '
            f'aria-controls="navmenu-{key}"{' aria-current="true"' if active else ""}>'
            f"{_v(group['label'])}</button>\n"
            f'        <ul class="navmenu" id="navmenu-{key}">\n        '
        )
        for item in group["items"]:
            current = ' class="active" aria-current="page"' if item["active"] else ""
            parts.append(
                f'\n          <li><a href="{_v(item["url"])}"{current}>{_v(item["label"])}</a></li>'
                "\n        "
            )
        parts.append("\n        </ul>\n      </li>\n    ")
    return mark_safe("".join(parts))  # every value is escaped by _v


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    """What ``{% nav_menu nav_groups %}`` draws for the page's user and path."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None:  # drawn without the request's context processors
        return nav_menu(context.get("nav_groups") or [])
    return menu(user, request.path, nav_menu)
