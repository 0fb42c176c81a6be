"""Named personas (STYLE.md): agent 李娜, supervisor 王强, analyst 陈静, manager 张伟,
admin 刘洋."""

from __future__ import annotations

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.accounts.factories import UserFactory

# Property tests run next to a parallel suite (and helpers) on two cores: timing is not what
# they test, so no deadline and no "input generation is slow" failure. Derandomised so a CI
# run is reproducible; HYPOTHESIS_PROFILE=explore searches afresh.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
hypothesis_settings.register_profile(
    "explore", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    """The live server lets one request at a time into Django (see :mod:`tests.live_server`)."""
    from django.test.testcases import LiveServerThread

    from tests.live_server import OneRequestAtATimeServer

    LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(scope="session", autouse=True)
def _exports_of_one_worker():
    """Each test worker (pytest-xdist) writes its exports in a folder of its own: the workers'
    test databases number their rows alike, so one worker's import report
    (``import-<run id>-<kind>-errors.csv``) was the other's, and a test read a report the
    other worker had just replaced or removed."""
    from pathlib import Path

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = settings.EXPORTS_DIR
    if worker:
        settings.EXPORTS_DIR = Path(shared) / "workers" / worker
    yield
    settings.EXPORTS_DIR = shared


@pytest.fixture
def agent(db):
    return UserFactory(username="lina", display_name="李娜", roles=["agent"])


@pytest.fixture
def supervisor(db):
    return UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])


@pytest.fixture
def analyst(db):
    return UserFactory(username="chenjing", display_name="陈静", roles=["analyst"])


@pytest.fixture
def manager(db):
    return UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="liuyang", display_name="刘洋", roles=["admin"])
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="yuqi.accounts.backends.KeptPermissionsBackend")
    return client


@pytest.fixture
def as_user():
    """``as_user(user)`` → a test client signed in as that user."""
    return signed_in_client


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test (``transaction=True``) empties every table on PostgreSQL, and the
    content types are made again with new ids; a later test on the same worker would otherwise
    write audit-log rows with the stale ids cached in ``ContentType.objects`` (a foreign-key
    error at set-up)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _no_audit_actor_left_over():
    """Each test starts with an empty audit context. A test that signs someone in leaves that
    user in this process's audit context (a context variable); a later test's audit rows would
    take the actor of a user its transaction never saw, and PostgreSQL checks the deferred
    foreign key at teardown."""
    from auditlog.context import auditlog_value

    token = auditlog_value.set({})
    yield
    auditlog_value.reset(token)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language. A request through the test client
    activates its language in this thread (Django's LocaleMiddleware does not undo it after the
    response), so a later test on the same xdist worker that renders or searches in-process
    would otherwise read English where the user's default, Chinese, is meant."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a cached figure (the adherence report, keyed by a
    data version that a rolled-back test database hands out again) must not leak into the
    next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def uses_database(item: pytest.Item) -> bool:
    """Whether ``item`` can reach the database: marked ``django_db`` (or ``database``, for a
    test whose subprocesses use ``DATABASE_URL``) or asking, directly or through another
    fixture, for one of pytest-django's database fixtures."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("database"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    only = os.environ.get("YUQI_TESTS_ONLY")
    if only not in {"database", "no-database"}:
        return
    keep, dropped = [], []
    for item in items:
        (keep if uses_database(item) == (only == "database") else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _database_use_is_declared(request: pytest.FixtureRequest):
    """A test that reaches the database only through ``request.getfixturevalue`` must say so
    (``@pytest.mark.django_db``): the PostgreSQL run keeps just the database tests
    (``YUQI_TESTS_ONLY=database``) and would otherwise leave it out unnoticed."""
    yield
    used = DATABASE_FIXTURES & set(request.fixturenames)
    if used and not uses_database(request.node):
        pytest.fail(
            f"{request.node.nodeid} reaches the database through {sorted(used)} without "
            "declaring it: mark it @pytest.mark.django_db",
            pytrace=False,
        )
