from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "yuqi.quality"
    label = "quality"
    verbose_name = _("Quality monitoring")

    def ready(self) -> None:
        from yuqi.quality import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from yuqi.core.body_limit import register_upload_limit
        from yuqi.quality.importers import TRAINING_UPLOAD_MAX_BYTES

        # The training page's file: refused before it is read when far over its limit.
        register_upload_limit("/quality/training/import/", TRAINING_UPLOAD_MAX_BYTES + 256 * 1024)
        from auditlog.registry import auditlog

        from yuqi.core.measures import register_measure_source
        from yuqi.core.navigation import NavItem, register_nav_item
        from yuqi.core.schedule import register_job
        from yuqi.imports.importers import register_importer
        from yuqi.quality import measures, models
        from yuqi.quality.importers import TrainingImporter
        from yuqi.quality.tasks import run_automatic_checks

        for model in (
            models.QualitySettings,
            models.QaForm,
            models.QaFormVersion,
            models.SampleList,
            models.SampleItem,
            models.CalibrationSession,
            models.Evaluation,
            models.PhraseRule,
            models.AutoFlag,
            models.MysteryTask,
            models.PeerTestCall,
            models.CoachingNote,
            models.TrainingRecord,
        ):
            auditlog.register(model)
        register_nav_item(NavItem("quality:home", _("Quality"), "operations", 50))
        register_nav_item(NavItem("quality:my_evaluations", _("My evaluations"), "workbench", 40))
        register_measure_source("qa_score", measures.qa_score)
        register_measure_source("training_hours", measures.training_hours)
        register_measure_source("coaching_done", measures.coaching_done)
        register_job("quality-automatic-checks", run_automatic_checks, timedelta(hours=1))
        register_importer("training", TrainingImporter, label=_("Training records"))
        post_migrate.connect(_defaults, sender=self)


def _defaults(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Refill the built-in forms and phrases after a flush (tests); never overwrites edits."""
    from yuqi.quality import models
    from yuqi.quality.defaults import ensure_defaults

    ensure_defaults(models.QaForm, models.QaFormVersion, models.PhraseRule)
