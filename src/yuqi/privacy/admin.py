from django.contrib import admin

from yuqi.privacy.models import ConsentEntry, PrivacyRequest, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("data_class", "days", "basis", "last_run_at", "last_count")
    fields = ("data_class", "days", "basis", "last_run_at", "last_count")
    readonly_fields = ("data_class", "last_run_at", "last_count")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "customer_ref", "status", "received_at", "due_on")
    list_filter = ("kind", "status")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ConsentEntry)
class ConsentEntryAdmin(admin.ModelAdmin):
    list_display = ("customer_id", "purpose", "given", "source", "at")
    list_filter = ("purpose", "given", "source")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
