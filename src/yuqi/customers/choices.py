from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    """The customer pyramid (seeds/002); computed by the operations context, stored here."""

    TOP = "top", _("Top")
    HIGH = "high", _("High")
    MIDDLE = "middle", _("Middle")
    LOW = "low", _("Low")
    INACTIVE = "inactive", _("Inactive")
    POTENTIAL = "potential", _("Potential")
    WAIT_AND_SEE = "wait_and_see", _("Wait and see")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")
