"""The complaint page's panel of what the customer filed on the public form: the files they
attached (links for those allowed to open them, a count for everyone else who sees the
ticket)."""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel


def complaint_customer_files(complaint_id: int, user: Any) -> Panel | None:
    from yuqi.channels.models import Attachment

    if not (user and user.is_authenticated):
        return None
    rows = list(Attachment.objects.filter(submission__complaint_id=complaint_id).order_by("id"))
    if not rows:
        return None
    return Panel(
        "channels/panels/complaint_files.html",
        {"files": rows, "may_open": user.has_perm("channels.view_attachment")},
        order=6,
    )
