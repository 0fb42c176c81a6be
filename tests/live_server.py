"""The live server the browser tests talk to, serving one request at a time.

Under an in-memory SQLite test database Django's live server hands every request thread the
test's own connection. A page and the HTMX requests it fires at once (the alert bell, a
panel) then run statements on one ``sqlite3`` connection from two threads, and SQLite answers
"bad parameter or other API misuse": the session read fails and the browser lands on the
login page. Real servers give each worker its own connection, so the race is the test
harness's, not the product's; the server below keeps Django's threads (a kept-alive browser
connection does not block the others) but lets one request at a time into the application.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.core.servers.basehttp import ThreadedWSGIServer

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def one_at_a_time(app: WSGIApp) -> WSGIApp:
    """``app`` behind a lock held until its response has been read to the end."""
    lock = threading.Lock()

    def serialised(environ: dict, start_response: Callable) -> Iterable[bytes]:
        with lock:
            response = app(environ, start_response)
            try:
                return list(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()

    return serialised


class OneRequestAtATimeServer(ThreadedWSGIServer):
    def set_app(self, application: WSGIApp) -> None:
        super().set_app(one_at_a_time(application))
