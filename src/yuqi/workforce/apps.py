from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "yuqi.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.core.measures import register_agent_time_source, register_measure_source
        from yuqi.core.navigation import NavItem, register_nav_item
        from yuqi.imports.importers import register_importer
        from yuqi.workforce import models
        from yuqi.workforce.importing import AgentStateImporter
        from yuqi.workforce.measures import agent_time, observed_shrinkage
        from yuqi.workforce.services import agent_occupancy_measure, roster_adherence_measure

        for model in (
            models.ShiftTemplate,
            models.WorkforceAgent,
            models.Roster,
            models.RosterAssignment,
            models.TimeOffRequest,
            models.SwapRequest,
            models.AgentStateRow,
        ):
            auditlog.register(model)
        register_nav_item(NavItem("workforce:rosters", _("Rosters"), "operations", 50))
        register_nav_item(NavItem("workforce:my_schedule", _("My schedule"), "workbench", 40))
        register_importer(
            "agent_states",
            AgentStateImporter,  # type: ignore[arg-type]  # as insights: a class is the factory
            label=_("Agent states (ACD)"),
        )
        register_measure_source("roster_adherence", roster_adherence_measure)
        register_measure_source("agent_occupancy", agent_occupancy_measure)
        register_measure_source("observed_shrinkage", observed_shrinkage)
        register_agent_time_source(agent_time)
        from yuqi.workforce.services import register_planner
        from yuqi.workforce.tasks import plan_roster

        register_planner(plan_roster.enqueue)

        from datetime import timedelta

        from yuqi.core.schedule import register_job
        from yuqi.workforce.adherence_store import REFRESH_EVERY
        from yuqi.workforce.tasks import refresh_adherence, refresh_agent_time

        register_job("workforce-agent-time", refresh_agent_time, timedelta(minutes=1))
        register_job("workforce-adherence", refresh_adherence, REFRESH_EVERY)

        from yuqi.workforce import versions

        versions.connect()
