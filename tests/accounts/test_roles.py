from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from yuqi.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS
from yuqi.accounts.services import sync_roles, user_create
from yuqi.core.errors import DomainError

MANAGER_ONLY_PAGES = ["/audit/"]
MANAGER_ONLY_API = ["/api/v1/audit/entries"]
ADMIN_ONLY_PAGES = ["/accounts/api-keys/", "/system/"]


def perms_of(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_role_groups_hold_exactly_the_declared_permissions():
    sync_roles()
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_NAMES)
    for role, expected in ROLE_PERMISSIONS.items():
        assert perms_of(Group.objects.get(name=role)) == set(expected)


@pytest.mark.django_db
def test_sync_roles_removes_a_permission_granted_by_hand():
    sync_roles()
    agent = Group.objects.get(name="agent")
    from django.contrib.auth.models import Permission

    agent.permissions.add(
        Permission.objects.get(content_type__app_label="auditlog", codename="view_logentry")
    )
    sync_roles()
    assert perms_of(agent) == set(ROLE_PERMISSIONS["agent"])


@pytest.mark.parametrize("url", MANAGER_ONLY_PAGES)
def test_agent_gets_a_forbidden_page_on_manager_pages(as_user, agent, url):
    response = as_user(agent).get(url)
    assert response.status_code == 403
    assert b"<html" in response.content


@pytest.mark.parametrize("url", MANAGER_ONLY_API)
def test_agent_gets_403_on_manager_api(as_user, agent, url):
    assert as_user(agent).get(url).status_code == 403


@pytest.mark.parametrize("url", MANAGER_ONLY_PAGES + MANAGER_ONLY_API)
def test_manager_may_use_manager_routes(as_user, manager, url):
    assert as_user(manager).get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_ONLY_PAGES)
def test_manager_is_refused_admin_pages(as_user, manager, admin_user, url):
    assert as_user(manager).get(url).status_code == 403
    assert as_user(admin_user).get(url).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/audit/")


def test_navigation_shows_only_what_the_role_may_open(as_user, agent, manager):
    agent_page = as_user(agent).get("/").content.decode()
    manager_page = as_user(manager).get("/").content.decode()
    assert 'href="/audit/"' not in agent_page
    assert 'href="/audit/"' in manager_page
    assert 'href="/accounts/api-keys/"' not in manager_page


@pytest.mark.django_db
def test_user_create_refuses_unknown_roles_and_weak_passwords():
    from django.core.exceptions import ValidationError

    with pytest.raises(DomainError) as unknown:
        user_create(username="x", password="a-long-enough-pass-1", roles=["boss"])
    assert unknown.value.field == "roles"
    with pytest.raises(ValidationError):
        user_create(username="y", password="12345", roles=["agent"])
    user = user_create(username="z", password="a-long-enough-pass-1", roles=["agent", "analyst"])
    assert user.role_names == ["agent", "analyst"]
