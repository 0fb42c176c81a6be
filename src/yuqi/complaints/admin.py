"""Configuration of the complaints context in the admin: levels, the category tree, root
causes and SLA policies (permissions in ``_CONFIGURE_COMPLAINTS``: managers, administrators).
Tickets, clocks and events are changed only through the services, so they are not here."""

from django.contrib import admin

from yuqi.complaints.models import ComplaintCategory, ComplaintLevel, RootCause, SlaPolicy


class SlaPolicyInline(admin.TabularInline):
    model = SlaPolicy
    extra = 0
    fields = (
        "clock_kind",
        "tier",
        "target_amount",
        "target_unit",
        "warn_fraction",
        "calendar_name",
        "active",
    )


@admin.register(ComplaintLevel)
class ComplaintLevelAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "name", "name_en", "is_regulator", "active")
    ordering = ("rank",)
    inlines = [SlaPolicyInline]


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "parent", "position", "active")
    list_filter = ("active", "parent")
    search_fields = ("code", "name", "name_en")
    ordering = ("parent__position", "position", "code")


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "position", "active")
    search_fields = ("code", "name", "name_en")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "level",
        "clock_kind",
        "tier",
        "target_amount",
        "target_unit",
        "warn_fraction",
        "calendar_name",
        "active",
    )
    list_filter = ("level", "clock_kind", "target_unit", "active")
    fields = (
        "level",
        "tier",
        "clock_kind",
        "target_amount",
        "target_unit",
        "warn_fraction",
        "calendar_name",
        "source",
        "active",
    )


# Issue 16: the playbooks per level and complainer type (editable; defaults name their source).
from yuqi.complaints.models import Playbook, PlaybookStep  # noqa: E402


class PlaybookStepInline(admin.TabularInline):
    model = PlaybookStep
    extra = 0
    fields = ("position", "code", "text", "text_en")


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "name_en",
        "scope",
        "contact_every_hours",
        "requires_senior_owner",
        "by_the_book",
        "active",
    )
    list_filter = ("scope", "active")
    inlines = [PlaybookStepInline]
