"""The menu's links per permission set are worked out once, and the drawn menu per permission
set, language and active link; both follow a change of role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from tests.accounts.factories import UserFactory
from yuqi.core import navigation
from yuqi.core.templatetags.navigation_menu import nav_menu

pytestmark = pytest.mark.django_db


def _urls(user) -> list[str]:
    return [item["url"] for item in navigation.visible_items(user, "/")]


def _asked(user) -> list[str]:
    """The links as each link's declared access answers for ``user`` (no cache)."""
    return [url for _item, url, access in navigation._targets() if access and access.allows(user)]


def test_each_role_sees_what_each_link_allows(agent, supervisor, manager, admin_user):
    for user in (agent, supervisor, manager, admin_user, agent):
        found = _urls(user)
        assert found[: len(_asked(user))] == _asked(user)
    assert "/admin/" in _urls(admin_user)
    assert "/admin/" not in _urls(manager)


def test_a_new_role_shows_its_links_on_the_next_page(agent):
    before = _urls(agent)
    agent.groups.add(Group.objects.get(name="manager"))
    fresh = type(agent).objects.get(pk=agent.pk)  # a new request reads the user again
    after = _urls(fresh)
    assert set(after) > set(before)
    assert after == _asked(fresh)


def test_an_inactive_user_sees_only_public_links():
    user = UserFactory(username="gone", roles=["manager"], is_active=False)
    assert _urls(user) == _asked(user)
    assert len(_urls(user)) < len(_urls(UserFactory(username="here", roles=["manager"])))


# The drawn menu is kept per (permission set, staff, language, active link): each kept menu must
# be the one drawn afresh, and a change of role, flag or language must show on the next page.

PATHS = ["/", "/complaints/", "/complaints/?sla=breached", "/customers/x/", "/nowhere/", ""]


def _fresh(user, path: str) -> str:
    return nav_menu(navigation.grouped(navigation.visible_items(user, path)))


def _kept(user, path: str) -> str:
    return navigation.menu(user, path, nav_menu)


def test_each_kept_menu_is_the_one_drawn_afresh(agent, supervisor, manager, admin_user):
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            for _ in range(2):  # drawn, then kept
                for user in (agent, supervisor, manager, admin_user):
                    for path in PATHS:
                        assert _kept(user, path) == _fresh(user, path), (user, language, path)
    with translation.override("en"):
        assert ">Home<" in _kept(agent, "/")
    with translation.override("zh-hans"):
        assert ">Home<" not in _kept(agent, "/")


def _nav(client, path: str) -> str:
    """The page's main menu (and the user menu after it)."""
    page = client.get(path).content.decode()
    return page[page.index('<nav class="mainnav"') : page.index("</header>")]


def test_the_page_shows_a_link_granted_or_taken_on_the_next_request(as_user, agent):
    client = as_user(agent)
    assert 'href="/system/"' not in _nav(client, "/")
    permission = Permission.objects.get(codename="view_system_status")
    agent.user_permissions.add(permission)
    assert 'href="/system/"' in _nav(client, "/")
    agent.user_permissions.remove(permission)
    assert 'href="/system/"' not in _nav(client, "/")


def test_the_page_follows_a_new_role_staff_flag_and_language(as_user, agent):
    client = as_user(agent)
    page = _nav(client, "/customers/")
    assert 'href="/operations/scorecard/"' not in page
    assert 'href="/admin/"' not in page
    agent.groups.add(Group.objects.get(name="manager"))
    assert 'href="/operations/scorecard/"' in _nav(client, "/customers/")
    type(agent).objects.filter(pk=agent.pk).update(is_staff=True)
    assert 'href="/admin/"' in _nav(client, "/customers/")
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)
    assert client.get("/customers/").status_code == 302  # signed out
    client.cookies["django_language"] = "en"
    type(agent).objects.filter(pk=agent.pk).update(is_active=True)
    client = as_user(type(agent).objects.get(pk=agent.pk))
    client.cookies["django_language"] = "en"
    assert ">Customers</a>" in _nav(client, "/customers/")
    client.cookies["django_language"] = "zh-hans"
    assert ">Customers</a>" not in _nav(client, "/customers/")


def test_the_active_link_follows_the_page(as_user, manager):
    client = as_user(manager)
    for path in ("/customers/", "/operations/kpis/"):
        page = _nav(client, path)
        assert page.count('aria-current="page"') == 1
        assert f'<a href="{path}" class="active" aria-current="page">' in page


def test_the_context_still_offers_the_links(rf, manager):
    from yuqi.core.context_processors import shell

    request = rf.get("/customers/")
    request.user = manager
    context = shell(request)
    assert list(context["nav_items"]) == navigation.visible_items(manager, "/customers/")
    assert list(context["nav_groups"]) == navigation.grouped(
        navigation.visible_items(manager, "/customers/")
    )
    assert len(context["nav_groups"]) > 1
