from django.contrib import admin

from yuqi.channels.models import Notice, NoticeOptOut


@admin.register(NoticeOptOut)
class NoticeOptOutAdmin(admin.ModelAdmin):
    list_display = ("customer_id", "source", "created_at")
    search_fields = ("customer_id",)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "state", "audience_size", "sent_at", "override_reason")
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
