from django.contrib import admin
from django.http import HttpRequest

from yuqi.operations.models import PyramidSettings, ScorecardMeasure


@admin.register(ScorecardMeasure)
class ScorecardMeasureAdmin(admin.ModelAdmin):
    list_display = (
        "code", "perspective", "name", "name_en", "unit", "direction", "target", "warning",
        "enabled", "order",
    )  # fmt: skip
    list_editable = ("target", "warning", "enabled", "order")
    list_filter = ("perspective", "enabled")
    ordering = ("perspective", "order", "code")
    search_fields = ("code", "name", "name_en")


@admin.register(PyramidSettings)
class PyramidSettingsAdmin(admin.ModelAdmin):
    """One row (created by the migrations): it can be edited, not added twice or deleted."""

    list_display = (
        "__str__", "top_share", "high_share", "middle_share", "inactive_days", "potential_days",
        "wait_and_see_contacts",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not PyramidSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
