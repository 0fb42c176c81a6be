from django.contrib import admin

from yuqi.surveys.models import SurveyOptOut, SurveySettings


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = (
        "post_contact_survey",
        "interaction_sample_rate",
        "frequency_days",
        "post_contact_channel",
        "unhappy_rating_max",
    )

    def has_add_permission(self, request) -> bool:  # a singleton: SurveySettings.load()
        return not SurveySettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyOptOut)
class SurveyOptOutAdmin(admin.ModelAdmin):
    list_display = ("customer", "reason", "created_at")
    raw_id_fields = ("customer",)
    search_fields = ("customer__external_id",)
