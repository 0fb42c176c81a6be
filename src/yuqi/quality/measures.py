"""The scorecard's learning-and-growth measures this context feeds (``core.measures``):
``qa_score`` (mean score of the period's evaluations, calibration scores excluded),
``training_hours`` (training hours ÷ agents who handled contacts in the period) and
``coaching_done`` (coaching notes written in the period)."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.measures import MeasureReading
from yuqi.quality import ports
from yuqi.quality.models import CoachingNote, TrainingRecord
from yuqi.quality.selectors import graded


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def qa_score(start: date, end: date) -> MeasureReading:
    since, until = _bounds(start, end)
    scores = [
        float(s)
        for s in graded()
        .filter(submitted_at__gte=since, submitted_at__lt=until, score__isnull=False)
        .values_list("score", flat=True)
    ]
    if not scores:
        return MeasureReading(None, _("No evaluation in this period."), n=0)
    mean = statistics.fmean(scores)
    half = 1.96 * statistics.stdev(scores) / len(scores) ** 0.5 if len(scores) > 1 else None
    return MeasureReading(
        mean,
        n=len(scores),
        low=mean - half if half is not None else None,
        high=mean + half if half is not None else None,
        link=reverse("quality:agents"),
    )


def training_hours(start: date, end: date) -> MeasureReading:
    since, until = _bounds(start, end)
    total = TrainingRecord.objects.filter(taken_on__gte=start, taken_on__lte=end).aggregate(
        h=Sum("hours")
    )["h"]
    agents = ports.agents_handling_count(since, until) or len(ports.agent_refs())
    if not agents:
        return MeasureReading(None, _("No agents."), n=0)
    if total is None:
        return MeasureReading(None, _("No training recorded in this period."), n=agents)
    return MeasureReading(float(total) / agents, n=agents, link=reverse("quality:training"))


def coaching_done(start: date, end: date) -> MeasureReading:
    n = CoachingNote.objects.filter(coached_on__gte=start, coached_on__lte=end).count()
    return MeasureReading(float(n), n=n, link=reverse("quality:agents"))
