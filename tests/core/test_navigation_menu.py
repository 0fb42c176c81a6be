# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% nav_menu %}`` draws the menu exactly as the template loop it replaced did."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yuqi.core.navigation import grouped, visible_items

#: The former loop of ``base.html``.
LOOP = (
    "    {% for group in nav_groups %}\n"
    '      <li class="navgroup{% if group.active %} active{% endif %}" data-group="{{ group.key }}">\n'
    '        <button type="button" class="navgroup-toggle" aria-expanded="false" aria-controls="navmenu-{{ group.key }}"{% if group.active %} aria-current="true"{% endif %}>{{ group.label }}</button>\n'
    '        <ul class="navmenu" id="navmenu-{{ group.key }}">\n'
    "        {% for item in group.items %}\n"
    '          <li><a href="{{ item.url }}"{% if item.active %} class="active" aria-current="page"{% endif %}>{{ item.label }}</a></li>\n'
    "        {% endfor %}\n"
    "        </ul>\n"
    "      </li>\n"
    "    {% endfor %}"
)


def _groups() -> list[list[dict]]:
    item = {"url": "/a/", "label": _("Home"), "group": "workbench", "group_label": _("Workbench")}
    odd = {"url": '/x?a=1&b="2"', "label": "<Odd & Co>", "group": "settings"}
    return [
        [],
        [{"key": "workbench", "label": _("Workbench"), "active": False, "items": []}],
        [
            {
                "key": "workbench",
                "label": _("Workbench"),
                "active": True,
                "items": [item | {"active": True}, item | {"url": "/b/", "active": False}],
            },
            {"key": "se<t>", "label": "S & T", "active": False, "items": [odd | {"active": False}]},
        ],
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_tag_draws_what_the_loop_drew(language):
    with translation.override(language):
        for groups in _groups():
            old = Template(LOOP).render(Context({"nav_groups": groups}))
            new = Template("{% load navigation_menu %}    {% nav_menu nav_groups %}").render(
                Context({"nav_groups": groups})
            )
            assert new == old


@pytest.mark.django_db
def test_the_menu_of_each_role_is_drawn_as_before(agent, supervisor, manager, admin_user):
    for user in (agent, supervisor, manager, admin_user):
        groups = grouped(visible_items(user, "/complaints/"))
        old = Template(LOOP).render(Context({"nav_groups": groups}))
        new = Template("{% load navigation_menu %}    {% nav_menu nav_groups %}").render(
            Context({"nav_groups": groups})
        )
        assert new == old
