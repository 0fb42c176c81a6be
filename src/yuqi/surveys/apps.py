from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "yuqi.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from yuqi.surveys import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.surveys import models

        for model in (
            models.Survey,
            models.SurveyVersion,
            models.Question,
            models.SurveySettings,
            models.SurveyOptOut,
            models.Campaign,
            models.CampaignStratum,
            models.FollowUp,
        ):
            auditlog.register(model)
        # Invitations hold only a token hash; responses and answers are high-volume data
        # whose integrity rests on the one-response-per-invitation constraint.
        auditlog.register(models.Invitation, exclude_fields=["token_hash"])
        auditlog.register(models.Response)
        auditlog.register(models.Answer)
        from yuqi.core.panels import register_panel
        from yuqi.surveys.panels import customer_surveys_panel

        register_panel("customer_360", "surveys", customer_surveys_panel)
        from yuqi.surveys.home_panels import home_survey_calls

        register_panel("home", "survey-calls", home_survey_calls)
        _connect_signals()
        from yuqi.surveys import versions

        versions.connect()  # the headlines' data version moves on with every write

        from yuqi.surveys.measures import register_measure_sources

        register_measure_sources()  # CSAT, NPS, CES, achievement rate on the scorecard

        from yuqi.core.schedule import register_job
        from yuqi.surveys.tasks import create_due_survey_waves, sample_post_contact_interactions

        register_job(
            "surveys-post-contact-sample", sample_post_contact_interactions, timedelta(hours=24)
        )
        register_job("surveys-recurring-waves", create_due_survey_waves, timedelta(hours=1))


def _connect_signals() -> None:
    """Listen to complaints closing (post-contact survey), if that context is installed."""
    try:
        from yuqi.complaints.signals import complaint_closed
    except ImportError:  # the complaints context is not there yet
        return
    from yuqi.surveys.receivers import on_complaint_closed

    complaint_closed.connect(on_complaint_closed, dispatch_uid="surveys.post_contact")
