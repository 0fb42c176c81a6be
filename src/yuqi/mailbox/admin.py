"""The intake's records in Settings, read-only (written only by the mailbox job)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yuqi.mailbox.models import InboundMail, MailboxRun


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(MailboxRun)
class MailboxRunAdmin(_ReadOnly):
    list_display = ("started_at", "status", "seen", "created", "threaded", "skipped", "failed")
    list_filter = ("status",)


@admin.register(InboundMail)
class InboundMailAdmin(_ReadOnly):
    list_display = ("received_at", "uid", "outcome", "complaint_number", "subject")
    list_filter = ("outcome",)
    exclude = ("sender", "sender_name")
