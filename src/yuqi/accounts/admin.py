from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yuqi.accounts.models import ApiKey, User


@admin.register(User)
class YuqiUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Yuqi", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_active", "is_staff")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created on the API keys page (which shows the secret once), not here."""

    list_display = ("name", "prefix", "user", "created_by", "created_at", "revoked_at")
    readonly_fields = [f.name for f in ApiKey._meta.fields]

    def has_add_permission(self, request):
        return False
