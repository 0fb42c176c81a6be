from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "yuqi.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.imports.messages import render
        from yuqi.ingest.problems import use_renderer

        # ingest names its problems by code; these are their words.
        use_renderer(render)

        from yuqi.imports.models import ImportRun

        auditlog.register(
            ImportRun,
            exclude_fields=[
                "progress",
                "rows_read",
                "progress_at",
                "committed_rows",
                "report_offset",
                "attempt",
            ],
        )

        from datetime import timedelta

        from yuqi.core.schedule import register_job, register_sweep
        from yuqi.imports.services import import_runs_mark_interrupted
        from yuqi.imports.tasks import purge_old_uploads

        register_sweep(import_runs_mark_interrupted)
        register_job("imports-purge-uploads", purge_old_uploads, timedelta(hours=24))
