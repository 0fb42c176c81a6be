"""The signed-in user is loaded with a statement the ORM compiled once
(``yuqi.accounts.backends.load_user``); the user it makes is the one the ORM's own load makes:
every field, the access token, the database and state."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from yuqi.accounts import access_kept, backends
from yuqi.accounts.backends import KeptPermissionsBackend, load_user

pytestmark = pytest.mark.django_db


def _orm_load(user_id):
    return backends._queryset(get_user_model()).get(pk=user_id)


def test_the_user_equals_the_orms_load(admin_user):
    admin_user.first_name, admin_user.email = "洋", "liu@example.com"
    admin_user.save()
    model = get_user_model()
    ours, orm = load_user(model, admin_user.pk), _orm_load(admin_user.pk)
    for field in model._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(ours, field.attname)) is type(getattr(orm, field.attname))
    assert getattr(ours, access_kept.TOKEN) == getattr(orm, access_kept.TOKEN) is not None
    assert ours._state.db == orm._state.db
    assert ours._state.adding is orm._state.adding is False
    assert ours.last_login is not None or orm.last_login is None
    assert str(ours) == "刘洋"


def test_one_query_and_none_for_a_missing_user(agent):
    model = get_user_model()
    with CaptureQueriesContext(connection) as queries:
        assert load_user(model, agent.pk).pk == agent.pk
        assert load_user(model, agent.pk + 10_000) is None
        assert load_user(model, str(agent.pk)).pk == agent.pk  # as the ORM takes it
    assert len(queries.captured_queries) == 3


def test_an_inactive_user_is_not_signed_in():
    user = UserFactory(username="left", roles=["agent"], is_active=False)
    assert KeptPermissionsBackend().get_user(user.pk) is None


def test_a_changed_user_is_read_afresh(agent):
    backend = KeptPermissionsBackend()
    assert backend.get_user(agent.pk).is_superuser is False
    type(agent).objects.filter(pk=agent.pk).update(is_superuser=True, display_name="新名字")
    again = backend.get_user(agent.pk)
    assert again.is_superuser is True
    assert str(again) == "新名字"
    assert again.has_perm("core.view_system_status")


def test_the_token_follows_a_change_of_access(agent):
    model = get_user_model()
    before = getattr(load_user(model, agent.pk), access_kept.TOKEN)
    access_kept.bump_token()
    after = getattr(load_user(model, agent.pk), access_kept.TOKEN)
    assert after != before
    assert after == getattr(_orm_load(agent.pk), access_kept.TOKEN)
