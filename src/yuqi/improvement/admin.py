from django.contrib import admin

from yuqi.improvement.models import ImprovementAction


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "owner", "status", "outcome", "due_date")
    list_filter = ("status", "outcome", "grade")
    search_fields = ("number", "title")
    readonly_fields = ("number", "status", "outcome", "created_at", "updated_at", "closed_at")
