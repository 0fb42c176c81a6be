from typing import Any

from django.contrib import admin

from yuqi.workforce import models, rollups, versions


@admin.register(models.ShiftTemplate)
class ShiftTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "start", "minutes", "max_heads", "skill", "active")
    list_filter = ("active",)


@admin.register(models.WorkforceAgent)
class WorkforceAgentAdmin(admin.ModelAdmin):
    list_display = ("acd_code", "user", "contract_hours", "min_hours", "active")
    search_fields = ("acd_code", "user__username")
    list_filter = ("active",)


class AssignmentInline(admin.TabularInline):
    model = models.RosterAssignment
    extra = 0


@admin.register(models.Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ("queue_code", "start", "days", "status", "shortfall", "created_at")
    list_filter = ("status",)
    inlines = [AssignmentInline]


@admin.register(models.TimeOffRequest)
class TimeOffRequestAdmin(admin.ModelAdmin):
    list_display = ("agent", "first_day", "last_day", "status", "decided_by")
    list_filter = ("status",)


@admin.register(models.SwapRequest)
class SwapRequestAdmin(admin.ModelAdmin):
    list_display = ("assignment", "colleague", "status", "decided_by")
    list_filter = ("status",)


@admin.register(models.AgentStateRow)
class AgentStateRowAdmin(admin.ModelAdmin):
    list_display = ("agent_code", "state", "reason", "start", "end")
    list_filter = ("state",)
    search_fields = ("agent_code",)

    # Each write queues the local days of the old and the new row for the agent-time rollup.
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change and obj.pk:
            rollups.mark_rows(models.AgentStateRow.objects.filter(pk=obj.pk))
        super().save_model(request, obj, form, change)
        rollups.mark_spans([(obj.start, obj.end)])

    def delete_model(self, request: Any, obj: Any) -> None:
        rollups.mark_spans([(obj.start, obj.end)])
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with versions.deferred():  # one bump of adherence's data version, not one per row
            rollups.mark_rows(queryset)
            super().delete_queryset(request, queryset)
