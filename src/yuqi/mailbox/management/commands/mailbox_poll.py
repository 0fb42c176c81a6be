"""``yuqi manage mailbox_poll``: read the intake mailbox once, now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuqi.mailbox.services import mailbox_poll


class Command(BaseCommand):
    help = "Read the e-mail intake mailbox once (YUQI_IMAP_* settings)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = mailbox_poll()
        if result is None:
            raise CommandError("no mailbox configured: set YUQI_IMAP_HOST")
        self.stdout.write(
            f"run {result.run_id} {result.status}: {result.seen} read, {result.created} new "
            f"tickets, {result.threaded} threaded, {result.skipped} skipped, "
            f"{result.failed} failed"
        )
        if result.error:
            raise CommandError(result.error)
