from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextminingConfig(AppConfig):
    name = "yuqi.textmining"
    label = "textmining"
    verbose_name = _("Text mining")

    def ready(self) -> None:
        from yuqi.textmining import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.complaints.signals import complaint_opened
        from yuqi.textmining import (
            models,
            panels,  # noqa: F401  (registers the complaint page panel)
        )
        from yuqi.textmining.receivers import on_complaint_opened

        for model in (
            models.TextModel,
            models.ComplaintAnalysis,
            models.ComplaintLabel,
            models.ThemeRun,
        ):
            auditlog.register(model)
        complaint_opened.connect(on_complaint_opened, dispatch_uid="textmining-complaint-opened")

        from yuqi.core.schedule import register_job
        from yuqi.textmining.services import training_queue_set
        from yuqi.textmining.tasks import backfill_analyses, train_text_model

        register_job("textmining-backfill", backfill_analyses, timedelta(minutes=10))
        training_queue_set(train_text_model.enqueue)
