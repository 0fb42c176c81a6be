"""Choice sets of the e-mail intake."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    OK = "ok", _("Finished")
    FAILED = "failed", _("Failed")


class Outcome(models.TextChoices):
    """What became of one message."""

    CREATED = "created", _("New ticket")
    THREADED = "threaded", _("Added to a ticket")
    DUPLICATE = "duplicate", _("Duplicate (already read)")
    SKIPPED = "skipped", _("Left for staff")
    FAILED = "failed", _("Could not be read")


class AttachmentStatus(models.TextChoices):
    STORED = "stored", _("Stored")
    REFUSED = "refused", pgettext_lazy("e-mail attachment", "Refused")
