from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "yuqi.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.operations.models import PyramidSettings, ScorecardMeasure

        auditlog.register(ScorecardMeasure)
        auditlog.register(PyramidSettings)

        from yuqi.core.schedule import register_job
        from yuqi.operations.tasks import (
            refresh_scorecard,
            refresh_segment_service,
            refresh_segments,
        )

        register_job("refresh-segments", refresh_segments, timedelta(hours=24))
        register_job("pyramid-service", refresh_segment_service, timedelta(minutes=5))
        register_job("operations-scorecard", refresh_scorecard, timedelta(minutes=5))

        from yuqi.operations.pyramid import versions

        versions.connect()

        from yuqi.core.measures import register_default_periods
        from yuqi.operations.scorecard.selectors import default_periods
        from yuqi.operations.staffing.views import shrinkage_period

        # The periods the scorecard and the staffing plan read by default, so a context that
        # stores a measure ahead (workforce's adherence) computes them before they are asked.
        for code in ("roster_adherence", "observed_shrinkage"):
            register_default_periods(code, "operations.scorecard", default_periods)
        register_default_periods(
            "observed_shrinkage", "operations.staffing", lambda today: [shrinkage_period(today)]
        )
