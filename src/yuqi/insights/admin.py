from django import forms
from django.contrib import admin

from yuqi.domain.grading import GradePoints
from yuqi.insights import models


@admin.register(models.PeerCentre)
class PeerCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "region")
    search_fields = ("name",)


@admin.register(models.PeerIndicatorValue)
class PeerIndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("peer", "indicator", "period_start", "period_end", "value", "source")
    list_filter = ("indicator",)


@admin.register(models.Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(models.PeerOffering)
class PeerOfferingAdmin(admin.ModelAdmin):
    list_display = ("peer", "offering", "since", "source")


@admin.register(models.OurOffering)
class OurOfferingAdmin(admin.ModelAdmin):
    list_display = ("offering", "since")


@admin.register(models.IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "target")


class ScoringSettingsForm(forms.ModelForm):
    class Meta:
        model = models.ScoringSettings
        fields = (
            "method",
            "weight_importance",
            "weight_gap",
            "weight_reach",
            "importance_min",
            "importance_max",
            "gap_cap",
            "population",
            "points_a",
            "points_b",
            "points_c",
        )

    def clean(self) -> dict:
        data = super().clean()
        try:
            GradePoints(data.get("points_a", 0), data.get("points_b", 0), data.get("points_c", 0))
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(models.ScoringSettings)
class ScoringSettingsAdmin(admin.ModelAdmin):
    """The score weights, scales and grade points (one row; see ``yuqi.insights.evaluation``)."""

    form = ScoringSettingsForm
    list_display = (
        "method",
        "weight_importance",
        "weight_gap",
        "weight_reach",
        "points_a",
        "points_b",
        "points_c",
        "population",
    )

    def has_add_permission(self, request) -> bool:
        return not models.ScoringSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Expectation)
class ExpectationAdmin(admin.ModelAdmin):
    """Read-mostly: grades change only by a recorded decision (the register page)."""

    list_display = ("code", "statement", "category", "grade", "score", "status")
    list_filter = ("grade", "status")
    search_fields = ("code", "statement")
    readonly_fields = ("grade", "score", "status", "merged_into", "split_from")
