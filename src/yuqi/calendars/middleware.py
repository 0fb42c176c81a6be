"""One read of each business calendar per page: a GET or HEAD request runs inside
:func:`yuqi.calendars.facade.calendars_cached`, so the work queue, the ticket page, the
scorecard and the home panels build each (team, name) calendar once however many clocks,
panels or measures ask for it. A request that may change a calendar (any other method) reads
it afresh each time, as before."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yuqi.calendars.facade import calendars_cached

SAFE_METHODS = frozenset({"GET", "HEAD"})


class CalendarsPerRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        with calendars_cached():
            return self.get_response(request)
