"""The message log in Settings, read-only (messages are written only by the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yuqi.notifications.models import OutboundMessage, SmsTemplate


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject_ref", "channel", "recipient", "template", "status")
    list_filter = ("channel", "status", "template")
    search_fields = ("subject_ref",)
    exclude = ("address",)  # the unmasked address is for delivery only
    date_hierarchy = "created_at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    """Which approved template the gateway sends for each kind of Yuqi message."""

    list_display = ("kind", "provider", "template_code", "params", "active")
    list_filter = ("provider", "active")
    search_fields = ("kind", "template_code")
