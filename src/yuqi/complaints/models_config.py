"""The data version of the complaint configuration (levels, categories, root causes, SLA
policies, playbooks and their steps) and the manager that moves it on with the bulk writes.

Imported by :mod:`yuqi.complaints.models`, so Django sees the version row in the complaints
app. What is kept under the version, and every write path that moves it on, is described in
:mod:`yuqi.complaints.config_kept`.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from yuqi.core.data_version import DataVersion


class ComplaintConfigVersion(DataVersion):
    """Derived: the data version of the complaint configuration; server processes keep the
    configuration they read under it (:mod:`yuqi.complaints.config_kept`). Not a business
    record (nothing to audit)."""


class ConfigQuerySet[M: models.Model](models.QuerySet[M]):
    """The bulk writes that send no model signals move the configuration's version on too;
    deletes go through the collector, which sends ``post_delete`` because a receiver is
    connected (:func:`yuqi.complaints.config_kept.connect`)."""

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[M]:
        made = super().bulk_create(*args, **kwargs)
        ComplaintConfigVersion.bump()
        return made

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        changed = super().bulk_update(*args, **kwargs)
        ComplaintConfigVersion.bump()
        return changed

    def update(self, **kwargs: Any) -> int:
        changed = super().update(**kwargs)
        ComplaintConfigVersion.bump()
        return changed


ConfigManager = models.Manager.from_queryset(ConfigQuerySet)
