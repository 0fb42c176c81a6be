from datetime import timedelta

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "yuqi.commitments"
    label = "commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        from yuqi.commitments import personal_data

        personal_data.register()  # personal-information requests (privacy)
        post_migrate.connect(_defaults, sender=self)
        from auditlog.registry import auditlog

        from yuqi.calendars.signals import calendar_changed
        from yuqi.commitments.models import (
            Commitment,
            CommitmentEvent,
            Perk,
            PromiseAuthority,
            ServiceStandard,
        )
        from yuqi.commitments.panels import customer_promises_panel
        from yuqi.core.panels import register_panel

        for model in (ServiceStandard, Perk, PromiseAuthority, Commitment, CommitmentEvent):
            auditlog.register(model)
        register_panel("customer_360", "commitments", customer_promises_panel)

        from yuqi.commitments.home_panels import (
            complaint_record_promise,
            home_awaiting_approval,
            home_my_promises,
        )

        register_panel("home", "my-promises", home_my_promises)
        register_panel("home", "my-promises-awaiting-approval", home_awaiting_approval)
        register_panel("complaint", "record-promise", complaint_record_promise)
        calendar_changed.connect(_recheck_assumed_years, dispatch_uid="commitments-calendar")

        from yuqi.commitments.tasks import break_overdue_commitments, remind_due_commitments
        from yuqi.core.schedule import register_job

        register_job("commitments-remind", remind_due_commitments, timedelta(minutes=5))
        register_job("commitments-break-overdue", break_overdue_commitments, timedelta(minutes=5))

        from yuqi.commitments.approvals import SOURCE
        from yuqi.core.approvals import register_approval_source

        register_approval_source(SOURCE)

        from yuqi.commitments.measure_sources import register_measure_sources

        register_measure_sources()  # promise kept-on-time rate on the scorecard


def _recheck_assumed_years(
    sender: object, calendar_name: str | None = None, **kwargs: object
) -> None:
    from yuqi.commitments.services import commitments_recheck_assumed_years

    commitments_recheck_assumed_years()


def _defaults(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Refill the service standards, perks and authority limits after a flush (tests), as the
    data migration installed them; never overwrites edits. Runs after customers' (its tiers)."""
    from yuqi.commitments import models
    from yuqi.commitments.defaults import install_defaults

    install_defaults(
        models.ServiceStandard,
        models.Perk,
        models.PromiseAuthority,
        apps.get_model("customers", "Tier"),
    )
