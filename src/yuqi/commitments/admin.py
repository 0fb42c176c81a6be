from django.contrib import admin

from yuqi.commitments.models import Perk, PromiseAuthority, ServiceStandard


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "tier",
        "achievable_amount",
        "unit",
        "buffer_amount",
        "amount_limit",
        "source",
    )
    list_filter = ("kind", "unit")


@admin.register(Perk)
class PerkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "min_tier")


@admin.register(PromiseAuthority)
class PromiseAuthorityAdmin(admin.ModelAdmin):
    list_display = ("role", "user", "max_amount")
