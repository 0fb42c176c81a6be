"""The menu's links per permission set are worked out once, and follow a change of role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.accounts.factories import UserFactory
from yuqi.core import navigation

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
