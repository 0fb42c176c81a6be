"""The session store (``yuqi.core.sessions``) reads a session with one plain statement; what it
answers is what Django's database store answers: the data of a live session, nothing for an
expired, deleted or unknown one, and it keeps the sessions Django's store wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yuqi.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_engine_is_this_store():
    assert settings.SESSION_ENGINE == "yuqi.core.sessions"


def test_a_session_written_by_django_reads_the_same():
    old = DjangoStore()
    old["_auth_user_id"] = "7"
    old["nested"] = {"a": [1, 2], "text": "中文"}
    old.save()
    ours = SessionStore(old.session_key)
    assert ours.load() == DjangoStore(old.session_key).load() == dict(old.items())
    assert ours.session_key == old.session_key


def test_a_session_written_here_reads_in_django_store():
    ours = SessionStore()
    ours["k"] = "v"
    ours.save()
    assert DjangoStore(ours.session_key).load() == {"k": "v"}


def test_one_query_per_load():
    store = SessionStore()
    store["k"] = 1
    store.save()
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key).load() == {"k": 1}
    assert len(queries.captured_queries) == 1
    assert "django_session" in queries.captured_queries[0]["sql"]


@pytest.mark.parametrize("store_class", [SessionStore, DjangoStore])
def test_an_expired_session_is_empty_and_its_key_forgotten(store_class):
    store = SessionStore()
    store["k"] = 1
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    reader = store_class(store.session_key)
    assert reader.load() == {}
    assert reader.session_key is None


@pytest.mark.parametrize("store_class", [SessionStore, DjangoStore])
def test_a_deleted_or_unknown_session_is_empty(store_class):
    store = SessionStore()
    store["k"] = 1
    store.save()
    store.delete()
    for key in (store.session_key, "x" * 32, "short", None):
        reader = store_class(key)
        assert reader.load() == {}
        assert reader.session_key is None


def test_a_session_with_a_forged_signature_is_empty():
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.save()
    Session.objects.filter(pk=store.session_key).update(session_data="e30:forged:signature")
    assert SessionStore(store.session_key).load() == {}


def test_a_signed_out_session_no_longer_signs_in(as_user, agent):
    client = as_user(agent)
    key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(pk=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, replayed
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_expired_session_no_longer_signs_in(as_user, agent):
    client = as_user(agent)
    assert client.get("/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
