"""Background jobs of the customer channels context; they only call services."""

from __future__ import annotations

from django.tasks import task

from yuqi.channels import services


@task
def send_notice(notice_id: int) -> str:
    """Send a notice to its recipients not yet done (``services.notice_deliver``)."""
    notice = services.notice_deliver(notice_id)
    return f"notice {notice_id}: {notice.state}, {notice.sent_count} of {notice.audience_size}"
