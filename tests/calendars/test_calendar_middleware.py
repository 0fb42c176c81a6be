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


def test_a_post_reads_the_calendar_each_time_and_nothing_outlives_the_request():
    seen: list[int] = []
    middleware = CalendarsPerRequestMiddleware(_page(2, seen))
    middleware(RequestFactory().post("/"))
    assert seen[0] > 0
    assert seen[1] == seen[0]
    seen.clear()
    middleware(RequestFactory().get("/"))
    first_get = seen[0]
    assert first_get > 0  # a new request: read again, no cache kept between requests
    with CaptureQueriesContext(connection) as after:
        facade.calendar_for()
    assert len(after) == first_get


def test_the_middleware_is_installed():
    from django.conf import settings

    assert "yuqi.calendars.middleware.CalendarsPerRequestMiddleware" in settings.MIDDLEWARE
