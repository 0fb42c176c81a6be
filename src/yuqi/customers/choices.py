from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuqi.core.choices import ChoiceSet, Colour


class Segment(ChoiceSet):
    """The customer pyramid ([seed-002]); computed by the operations context, stored here.
    The colours run warm to cool down the value pyramid; the pyramid charts read them."""

    TOP = "top", _("Top"), Colour.BROWN
    HIGH = "high", _("High"), Colour.AMBER
    MIDDLE = "middle", _("Middle"), Colour.TEAL
    LOW = "low", _("Low"), Colour.MINT
    INACTIVE = "inactive", _("Inactive"), Colour.SILVER
    POTENTIAL = "potential", _("Potential"), Colour.BLUE
    WAIT_AND_SEE = "wait_and_see", _("Wait and see"), Colour.GREY


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", pgettext_lazy("customer status", "Closed")
