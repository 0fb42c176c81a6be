"""Keep the contacts' stored service-level threshold and tier current, and the KPI rollups
told about deleted contacts.

A contact's threshold Y is its customer tier's, else its queue's (``yuqi.interactions.derived``).
When one of those settings or the customer's tier changes through ``save()`` (the settings
pages, the admin, the customer services), the contacts it applies to whose stored value no
longer matches are made pending again (``derived_at`` cleared), and the next derivation sets
them and queues their days for the rollups. A customer import writes with a bulk upsert,
which sends no ``save()`` signal: it sends ``customers_written`` per batch instead, and the
contacts of the batch's customers whose stored tier is no longer their customer's are made
pending in one statement. Changes written with ``QuerySet.update()`` send nothing.

An agent written through ``save()`` or ``delete()`` also moves the KPI rollups' read version
on (:func:`_read_version_moved`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_delete

from yuqi.customers.signals import customers_written
from yuqi.interactions.derived import mark_days
from yuqi.interactions.models import Agent, Interaction, Queue


def _queue_saved(sender: Any, instance: Queue, created: bool, **kwargs: Any) -> None:
    if created:
        return
    no_tier_threshold = Q(tier__isnull=True) | Q(tier__sl_seconds__isnull=True)
    Interaction.objects.filter(no_tier_threshold, queue=instance, derived_at__isnull=False).exclude(
        sl_seconds=instance.sl_seconds
    ).update(derived_at=None)


def _tier_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return
    contacts = Interaction.objects.filter(tier=instance, derived_at__isnull=False)
    if instance.sl_seconds is not None:
        contacts = contacts.exclude(sl_seconds=instance.sl_seconds)
    else:
        contacts = contacts.exclude(sl_seconds=F("queue__sl_seconds"))
    contacts.update(derived_at=None)


def _tier_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    Interaction.objects.filter(tier=instance).update(derived_at=None)


def _customer_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return
    Interaction.objects.filter(customer_id=instance.pk, derived_at__isnull=False).exclude(
        tier_id=instance.tier_id
    ).update(derived_at=None)


def _customers_written(
    sender: Any, external_ids: list[str], fields: frozenset[str], **kwargs: Any
) -> None:
    if "tier_id" not in fields or not external_ids:
        return
    same_tier = Q(tier_id=F("customer__tier_id")) | Q(
        tier__isnull=True, customer__tier__isnull=True
    )
    Interaction.objects.filter(
        customer__external_id__in=external_ids, derived_at__isnull=False
    ).exclude(same_tier).update(derived_at=None)


def _contact_deleted(sender: Any, instance: Interaction, **kwargs: Any) -> None:
    if instance.local_day is not None:
        mark_days({instance.local_day})


def _read_version_moved(sender: Any, **kwargs: Any) -> None:
    """An agent written: the occupancy of a KPI table read from the rollups keeps the codes of
    the agents who handled its contacts, so the rollups' read version moves on
    (``RollupState.version``; the queues and tiers a table reads are in its cache key)."""
    if kwargs.get("raw"):  # loaddata: no state row is touched mid-fixture
        return
    from yuqi.interactions.rollups import bump_read_version

    bump_read_version()


def connect() -> None:
    post_save.connect(_read_version_moved, sender=Agent, dispatch_uid="interactions-agent-saved")
    post_delete.connect(
        _read_version_moved, sender=Agent, dispatch_uid="interactions-agent-deleted"
    )
    post_save.connect(_queue_saved, sender=Queue, dispatch_uid="interactions-queue-threshold")
    post_save.connect(
        _tier_saved, sender="customers.Tier", dispatch_uid="interactions-tier-threshold"
    )
    pre_delete.connect(
        _tier_deleted, sender="customers.Tier", dispatch_uid="interactions-tier-deleted"
    )
    post_save.connect(
        _customer_saved, sender="customers.Customer", dispatch_uid="interactions-customer-tier"
    )
    customers_written.connect(_customers_written, dispatch_uid="interactions-customers-tier")
    post_delete.connect(
        _contact_deleted, sender=Interaction, dispatch_uid="interactions-contact-deleted"
    )
