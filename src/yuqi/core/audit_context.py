"""Who the audit log names for changes made in this request or command.

django-auditlog's middleware picks the actor from the session before authentication by API
key happens, so the key's user is attributed here; commands use ``acting_as``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_actor


def attribute_audit_entries_to(user: Any) -> None:
    with contextlib.suppress(LookupError):  # outside a request there is nothing to attribute
        auditlog_value.get()["actor"] = user


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    with set_actor(user):
        yield
