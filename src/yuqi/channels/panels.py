"""The complaint page's panel of what the customer filed on the public form: the files they
attached (links for those allowed to open them, a count for everyone else who sees the
ticket)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yuqi.channels.models import Attachment, IntakeSubmission
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.panels import Panel


def _attachments(*, complaint_id: int) -> QuerySet[Attachment]:
    return Attachment.objects.filter(submission__complaint_id=complaint_id).order_by("id")


#: The ticket's attachments, compiled once per database (building and compiling the joined
#: read was about half a millisecond of every ticket page, most of which have no files).
ATTACHMENTS_READ = CompiledRead(
    _attachments,
    model=Attachment,
    complaint_id=IntakeSubmission._meta.get_field("complaint_id"),
)


def complaint_customer_files(complaint_id: int, user: Any) -> Panel | None:
    if not (user and user.is_authenticated):
        return None
    rows = ATTACHMENTS_READ.objects(complaint_id=complaint_id)
    if not rows:
        return None
    return Panel(
        "channels/panels/complaint_files.html",
        {"files": rows, "may_open": user.has_perm("channels.view_attachment")},
        order=6,
    )
