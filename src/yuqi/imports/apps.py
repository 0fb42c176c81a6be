from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "yuqi.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from auditlog.registry import auditlog

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

        from yuqi.core.schedule import register_sweep
        from yuqi.imports.services import import_runs_mark_interrupted

        register_sweep(import_runs_mark_interrupted)
