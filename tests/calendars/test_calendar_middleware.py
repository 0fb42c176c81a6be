"""A GET page reads each business calendar once; any other method reads it afresh."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from yuqi.calendars import facade
from yuqi.calendars.middleware import CalendarsPerRequestMiddleware

pytestmark = pytest.mark.django_db


def _page(reads: int, seen: list[int]):
    def view(request):
        for _ in range(reads):
            with CaptureQueriesContext(connection) as captured:
                facade.calendar_for()
            seen.append(len(captured))
        return HttpResponse("ok")

    return view


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_get_page_reads_the_calendar_once(method):
    seen: list[int] = []
    middleware = CalendarsPerRequestMiddleware(_page(3, seen))
    assert middleware(getattr(RequestFactory(), method)("/")).status_code == 200
    assert seen[0] > 0  # the first read goes to the database
    assert seen[1:] == [0, 0]


def test_a_post_reads_the_calendar_each_time():
    seen: list[int] = []
    middleware = CalendarsPerRequestMiddleware(_page(2, seen))
    middleware(RequestFactory().post("/"))
    assert seen[0] > 1
    assert seen[1] == seen[0]


def test_the_next_get_reads_only_the_token_while_nothing_changed():
    seen: list[int] = []
    middleware = CalendarsPerRequestMiddleware(_page(2, seen))
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().get("/"))
    assert seen[2:] == [1, 0]  # the second request: the token, then nothing
    with CaptureQueriesContext(connection) as outside:
        facade.calendar_for()
    assert len(outside) > 1  # outside a request nothing is kept


def test_the_middleware_is_installed():
    from django.conf import settings

    assert "yuqi.calendars.middleware.CalendarsPerRequestMiddleware" in settings.MIDDLEWARE
