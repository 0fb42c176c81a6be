"""Each user's permissions and group names are kept in the process between requests
(``yuqi.accounts.access_kept``), yet every change that decides access is seen on the user's
next request: the kept sets are forgotten only through the token the user's load reads, never
by the writer clearing this process's memory, so the tests below are what another server
process sees too."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.accounts.factories import UserFactory
from yuqi.accounts import access_kept
from yuqi.accounts.backends import KeptPermissionsBackend
from yuqi.accounts.roles import ROLES

SYSTEM = "/system/"  # requires core.view_system_status
PERMISSION = "core.view_system_status"


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _access_queries(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if "auth_permission" in q["sql"] or "auth_group" in q["sql"]]


@pytest.mark.django_db
def test_a_second_request_reads_no_permission_or_group(as_user, agent):
    client = as_user(agent)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/").status_code == 200
    assert _access_queries(second.captured_queries) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_kept_sets_equal_a_fresh_read(role):
    user = UserFactory(username=f"kept-{role}", roles=[role])
    backend = KeptPermissionsBackend()
    backend.get_user(user.pk)  # keeps them
    kept = backend.get_user(user.pk)  # from what was kept
    fresh = type(user).objects.get(pk=user.pk)
    model = ModelBackend()
    assert kept._user_perm_cache == model.get_user_permissions(fresh)
    assert kept._group_perm_cache == model.get_group_permissions(fresh)
    assert kept.get_all_permissions() == model.get_all_permissions(fresh)
    assert access_kept.group_names(kept) == {g.name for g in fresh.groups.all()}


@pytest.mark.django_db
def test_an_own_permission_revoked_takes_effect_on_the_next_request(as_user, agent):
    agent.user_permissions.add(_permission(PERMISSION))
    client = as_user(agent)
    assert client.get(SYSTEM).status_code == 200
    assert client.get(SYSTEM).status_code == 200  # kept
    agent.user_permissions.remove(_permission(PERMISSION))
    assert client.get(SYSTEM).status_code == 403


@pytest.mark.django_db
def test_a_permission_taken_from_the_group_takes_effect_on_the_next_request(as_user, agent):
    group = Group.objects.create(name="system readers")
    group.permissions.add(_permission(PERMISSION))
    agent.groups.add(group)
    client = as_user(agent)
    assert client.get(SYSTEM).status_code == 200
    group.permissions.remove(_permission(PERMISSION))
    assert client.get(SYSTEM).status_code == 403
    group.permissions.add(_permission(PERMISSION))
    assert client.get(SYSTEM).status_code == 200
    group.permissions.clear()
    assert client.get(SYSTEM).status_code == 403


@pytest.mark.django_db
def test_leaving_a_group_or_its_deletion_takes_effect_on_the_next_request(as_user, agent):
    group = Group.objects.create(name="system readers")
    group.permissions.add(_permission(PERMISSION))
    agent.groups.add(group)
    client = as_user(agent)
    assert client.get(SYSTEM).status_code == 200
    agent.groups.remove(group)
    assert client.get(SYSTEM).status_code == 403
    group.user_set.add(agent)  # from the other side of the relation
    assert client.get(SYSTEM).status_code == 200
    group.delete()  # takes the membership rows with it, no m2m_changed
    assert client.get(SYSTEM).status_code == 403


@pytest.mark.django_db
def test_superuser_and_active_flags_are_read_on_every_request(as_user, agent):
    client = as_user(agent)
    assert client.get(SYSTEM).status_code == 403
    type(agent).objects.filter(pk=agent.pk).update(is_superuser=True)  # no signal at all
    assert client.get(SYSTEM).status_code == 200
    type(agent).objects.filter(pk=agent.pk).update(is_superuser=False)
    assert client.get(SYSTEM).status_code == 403
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)
    assert client.get("/").status_code == 302  # signed out


@pytest.mark.django_db
def test_a_role_change_shows_on_the_home_page_roles_card(as_user, agent, settings):
    supervisor = next(role for role in ROLES if role.name == "supervisor")
    with translation.override(settings.LANGUAGE_CODE):
        label = f"<strong>{supervisor.label}</strong>"
    client = as_user(agent)
    assert label not in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert label not in client.get("/").content.decode()
    assert _access_queries(kept.captured_queries) == []
    agent.groups.add(Group.objects.get(name="supervisor"))
    assert label in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_grant_is_not_kept(as_user):
    agent = UserFactory(username="lina", roles=["agent"])
    client = as_user(agent)
    assert client.get(SYSTEM).status_code == 403

    def grant_then_fail() -> None:
        with transaction.atomic():
            agent.user_permissions.add(_permission(PERMISSION))
            assert client.get(SYSTEM).status_code == 200  # inside the transaction: granted
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        grant_then_fail()
    assert client.get(SYSTEM).status_code == 403


@pytest.mark.django_db
def test_without_the_token_row_every_request_reads_afresh(as_user, agent):
    from yuqi.accounts.models import AccessVersion

    AccessVersion.objects.all().delete()
    client = as_user(agent)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/").status_code == 200
    assert len(_access_queries(second.captured_queries)) == 3  # own, groups', names
