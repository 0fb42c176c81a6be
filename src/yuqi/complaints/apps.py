from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "yuqi.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from yuqi.complaints import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.calendars.signals import calendar_changed
        from yuqi.commitments.links import register_complaint_lookup
        from yuqi.commitments.signals import commitment_broken, commitment_changed
        from yuqi.complaints import (
            models,
            panels,  # noqa: F401  (registers the customer 360 panel)
        )
        from yuqi.complaints.facade import complaint_refs
        from yuqi.complaints.models_book import BOOK_MODELS
        from yuqi.complaints.receivers import (
            on_calendar_changed,
            on_commitment_broken,
            on_commitment_changed,
        )

        for model in (
            models.ComplaintLevel,
            models.ComplaintCategory,
            models.RootCause,
            models.SlaPolicy,
            models.Complaint,
            models.RecoveryAction,
            models.ComplaintEvent,
            models.SlaClock,
            models.ComplaintDaySequence,
            models.SavedQueueView,
            *BOOK_MODELS,
        ):
            auditlog.register(model)
        calendar_changed.connect(on_calendar_changed, dispatch_uid="complaints-calendar-changed")
        commitment_changed.connect(
            on_commitment_changed, dispatch_uid="complaints-promise-timeline"
        )
        commitment_broken.connect(on_commitment_broken, dispatch_uid="complaints-promise-broken")
        register_complaint_lookup(complaint_refs)
        post_migrate.connect(_defaults, sender=self)
        from yuqi.complaints import config_kept

        config_kept.connect()  # every configuration write moves its version on

        from yuqi.complaints.tasks import sweep_sla_alerts
        from yuqi.core.schedule import register_job

        register_job("complaints-sla-alerts", sweep_sla_alerts, timedelta(minutes=5))
        from yuqi.complaints.tasks import sweep_book_alerts

        register_job("complaints-book-alerts", sweep_book_alerts, timedelta(minutes=5))
        from yuqi.complaints.tasks import fill_met_targets

        register_job("complaints-met-targets", fill_met_targets, timedelta(hours=1))
        from yuqi.core.navigation import NavItem, register_nav_item

        register_nav_item(
            NavItem("complaints:feedback", _("Suggestions and praise"), "complaints", 40)
        )

        from yuqi.complaints.approvals import SOURCE
        from yuqi.core.approvals import register_approval_source

        register_approval_source(SOURCE)

        from yuqi.complaints.home_panels import home_my_tickets
        from yuqi.core.panels import register_panel

        register_panel("home", "my-tickets", home_my_tickets)

        from yuqi.complaints.measure_sources import register_measure_sources

        register_measure_sources()  # SLA compliance, appeals per 10k, recovery cost


def _defaults(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Refill the shipped defaults after a flush (tests); never overwrites edits. Then move
    the configuration's version on (:mod:`yuqi.complaints.config_kept`)."""
    from yuqi.complaints import models
    from yuqi.complaints.defaults import ensure_defaults

    ensure_defaults(
        models.ComplaintLevel, models.ComplaintCategory, models.RootCause, models.SlaPolicy
    )
    from yuqi.complaints.defaults_book import ensure_playbooks

    ensure_playbooks(models.Playbook, models.PlaybookStep, models.ComplaintLevel)
    from yuqi.complaints.config_kept import bump_after_migrate

    bump_after_migrate()  # the migrations' own writes send no signals
