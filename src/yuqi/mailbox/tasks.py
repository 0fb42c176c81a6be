from __future__ import annotations

from django.tasks import task

from yuqi.mailbox.services import mailbox_poll


@task
def read_mailbox() -> str:
    """Read the intake mailbox (nothing while ``YUQI_IMAP_HOST`` is empty)."""
    result = mailbox_poll()
    if result is None:
        return "skipped: no mailbox configured (YUQI_IMAP_HOST)"
    return (
        f"run {result.run_id} {result.status}: {result.seen} read, {result.created} new tickets, "
        f"{result.threaded} threaded, {result.skipped} skipped, {result.failed} failed"
    )
