from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "yuqi.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from yuqi.insights import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.core.schedule import register_job
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
            models.ExpectationOrigin,
        ):
            auditlog.register(model)

        from yuqi.imports.importers import register_importer
        from yuqi.insights import panels  # noqa: F401  (registers the agent panels)
        from yuqi.insights.evaluation import monthly_evaluation
        from yuqi.insights.importing import OfferingImporter, PeerValueImporter

        register_importer("peers", PeerValueImporter, label=_("Peer indicators"))
        register_importer("offerings", OfferingImporter, label=_("Offerings (ours and peers')"))

        # monthly: checked daily, runs once per calendar month (see insights.evaluation)
        register_job("insights-monthly-evaluation", monthly_evaluation, timedelta(hours=24))
