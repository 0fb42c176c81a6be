from django.contrib import admin

from yuqi.customers.models import Tier


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "name", "name_en", "is_vip", "sl_target", "sl_seconds")
    ordering = ("rank",)
