from django.contrib import admin

from yuqi.quality import models


@admin.register(models.QualitySettings)
class QualitySettingsAdmin(admin.ModelAdmin):
    list_display = ("dispute_days", "repeat_contact_days")


@admin.register(models.QaForm)
class QaFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "builtin", "active")


@admin.register(models.QaFormVersion)
class QaFormVersionAdmin(admin.ModelAdmin):
    list_display = ("form", "number", "max_points", "published_at")
    readonly_fields = ("form", "number", "structure", "max_points", "published_at", "published_by")


@admin.register(models.PhraseRule)
class PhraseRuleAdmin(admin.ModelAdmin):
    list_display = ("phrase", "severity", "active")


@admin.register(models.Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("subject_kind", "subject_id", "agent_code", "evaluator", "score", "status")
    list_filter = ("status", "subject_kind")
    raw_id_fields = ("evaluator", "agent_user", "reviewer", "sample_item", "calibration")


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("agent_code", "course", "hours", "taken_on", "result", "source")
