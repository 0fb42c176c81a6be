from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "yuqi.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.insights import models

        for model in (
            models.PeerCentre,
            models.PeerIndicatorValue,
            models.Offering,
            models.PeerOffering,
            models.OurOffering,
            models.IndicatorTarget,
            models.Expectation,
            models.Evidence,
            models.GradeDecision,
            models.GuidancePlan,
            models.ExpectationHistory,
            models.ScoringSettings,
            models.EvaluationRun,
            models.EvaluationRow,
        ):
            auditlog.register(model)

        from yuqi.insights import panels  # noqa: F401  (registers the agent panels)
