"""The scorecard's "knowledge use" (知识库使用率), registered with ``yuqi.core.measures``.

knowledge use = complaints opened in the period on which an agent used, inserted or rated an
article helpful ÷ complaints opened in the period, with a Wilson 95 % interval.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.measures import MeasureReading
from yuqi.domain.effect import wilson_interval


def knowledge_use_reading(date_from: date, date_to: date) -> MeasureReading:
    from yuqi.knowledge.selectors import knowledge_use

    used, opened = knowledge_use(date_from, date_to)
    link = reverse("knowledge:health")
    if not opened:
        return MeasureReading(None, _("No complaints were opened in this period."), 0, link=link)
    low, high = wilson_interval(used, opened)
    return MeasureReading(used / opened, n=opened, low=low, high=high, link=link)
