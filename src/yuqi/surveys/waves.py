"""Recurring campaigns: waves drawn the same way, the job that creates them, their trend.

A campaign becomes recurring when its recurrence is set (monthly or quarterly): it is then
the *first wave* of a series and holds when the next wave is due (``next_wave_at``). When it
is due, :func:`waves_create_due` (the periodic job) copies the first wave's frame rules and
sample size rules into a new campaign on the survey's current version — same population
filter, strata, exclusions, sample size rule and allocation — and draws its sample with the
existing sampling code (:func:`yuqi.surveys.campaigns.campaign_draw_sample`). The seed of wave
``k`` is the first wave's seed + k − 1: each wave is a fresh random draw by the same rules
(the same seed would pick the same customers again where the frame allows). Sending stays a
person's decision: a wave is created sampled, not sent.

The trend (:func:`series_trend`) compares consecutive waves with :mod:`yuqi.domain.waves`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain import survey_analysis as sa
from yuqi.domain import waves as domain
from yuqi.domain.kano import KanoSummary
from yuqi.surveys.choices import CampaignState, Recurrence
from yuqi.surveys.models import Campaign, Response

#: The rules that define how a wave is drawn; a wave whose rules differ from the previous
#: wave's is reported as a frame change (its trend step is shown but not flagged).
FRAME_FIELDS = (
    "population_filter",
    "strata_fields",
    "exclude_opted_out",
    "exclude_surveyed_days",
    "sample_size_mode",
    "fixed_size",
    "margin",
    "confidence",
    "expected_response_rate",
    "allocation",
    "min_per_stratum",
)
_COPIED = (
    *FRAME_FIELDS,
    "prior_sds",
    "reserve_share",
    "channel",
    "expires_days",
)
MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}


def add_period(moment: datetime, recurrence: str) -> datetime:
    """``moment`` plus one month or one quarter (the day kept, or the month's last day)."""
    months = MONTHS.get(Recurrence(recurrence))
    if months is None:
        raise DomainError(_("Choose monthly or quarterly."), field="recurrence")
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def frame_rules(campaign: Campaign) -> dict[str, Any]:
    """The wave's frame and sample size rules, plus its survey (for the comparison)."""
    rules = {name: getattr(campaign, name) for name in FRAME_FIELDS}
    rules["survey"] = campaign.survey_version.survey.code
    return rules


def first_wave(campaign: Campaign) -> Campaign:
    root = campaign.series if campaign.series_id else None
    return root if root is not None else campaign


def series_waves(campaign: Campaign) -> list[Campaign]:
    """Every wave of the campaign's series (the campaign alone when it is a one-off)."""
    root = first_wave(campaign)
    later = Campaign.objects.filter(series=root).select_related("survey_version__survey")
    return [root, *sorted(later, key=lambda c: c.wave)]


# --------------------------------------------------------------------------- writes


@transaction.atomic
def campaign_set_recurrence(
    *, campaign: Campaign, recurrence: str, first_due: datetime | None = None
) -> Campaign:
    """Make a campaign recurring (or a one-off again, with ``""``); only the first wave of a
    series carries the recurrence. The next wave is due ``first_due`` or one period after the
    latest wave was sampled (or created)."""
    if recurrence not in Recurrence.values:
        raise DomainError(_("Choose monthly or quarterly."), field="recurrence")
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.series_id:
        raise DomainError(
            _("Set the recurrence on the first wave of the series."), field="recurrence"
        )
    locked.recurrence = recurrence
    if not recurrence:
        locked.next_wave_at = None
    else:
        latest = series_waves(locked)[-1]
        start = latest.sampled_at or latest.created_at or now()
        locked.next_wave_at = first_due or add_period(start, recurrence)
    locked.save(update_fields=["recurrence", "next_wave_at"])
    return locked


def _free_code(base: str) -> str:
    code, n = base[:60], 1
    while Campaign.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:55]}-{n}"
    return code


@dataclass(frozen=True)
class WaveCreated:
    campaign: Campaign
    drawn: bool
    note: str


@transaction.atomic
def wave_create_next(*, campaign: Campaign, by: Any = None, draw: bool = True) -> WaveCreated:
    """The next wave of ``campaign``'s series, drawn the same way (see the module docstring)."""
    from yuqi.surveys.campaigns import campaign_draw_sample

    root = Campaign.objects.select_for_update().get(pk=first_wave(campaign).pk)
    if root.survey_version.survey.current_version_id is None:
        raise DomainError(_("The survey has no current version."))
    number = series_waves(root)[-1].wave + 1
    wave = Campaign.objects.create(
        code=_free_code(f"{root.code}-w{number}"),
        name=_("%(name)s · wave %(n)s") % {"name": root.name, "n": number},
        survey_version_id=root.survey_version.survey.current_version_id,
        seed=int(root.seed) + number - 1,
        series=root,
        wave=number,
        created_by=by,
        **{name: getattr(root, name) for name in _COPIED},
    )
    note = ""
    if draw:
        try:
            campaign_draw_sample(campaign=wave)
        except DomainError as error:  # e.g. nobody left after the exclusions: stays a draft
            note = error.message
    wave.refresh_from_db()
    return WaveCreated(wave, wave.state == CampaignState.SAMPLED, note)


def waves_create_due(moment: datetime | None = None) -> list[WaveCreated]:
    """Create the next wave of every recurring series that is due (the periodic job).

    Each series is claimed with a conditional update of ``next_wave_at``, so two workers never
    create the same wave; a series due several periods ago gets one wave and its next date
    moves past ``moment``."""
    moment = moment or now()
    created = []
    due = Campaign.objects.filter(
        series__isnull=True, next_wave_at__lte=moment, recurrence__in=list(MONTHS)
    )
    for root in due.order_by("next_wave_at", "pk"):
        assert root.next_wave_at is not None
        following = add_period(root.next_wave_at, root.recurrence)
        while following <= moment:
            following = add_period(following, root.recurrence)
        claimed = Campaign.objects.filter(pk=root.pk, next_wave_at=root.next_wave_at).update(
            next_wave_at=following
        )
        if claimed == 1:
            created.append(wave_create_next(campaign=root))
    return created


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class WaveRow:
    campaign: Campaign
    label: str
    responses: int
    frame_changed: bool


@dataclass(frozen=True)
class SeriesTrend:
    waves: tuple[WaveRow, ...]
    trend: domain.WaveTrend
    slides: tuple[domain.KanoSlide, ...]
    kano_labels: dict[str, str]


def wave_label(campaign: Campaign) -> str:
    return _("Wave %(n)s") % {"n": campaign.wave}


def _wave_data(campaign: Campaign) -> tuple[domain.WaveData, dict[str, KanoSummary], dict]:
    from yuqi.surveys.analysis import _load

    survey = campaign.survey_version.survey
    loaded = _load(survey, Response.objects.filter(campaign=campaign))
    n = int(loaded.response_ids.size)
    values = sa.respondent_values(loaded.specs, loaded.answers, respondents=n)
    result = sa.analyse_survey(loaded.specs, loaded.answers, respondents=n)
    data = domain.WaveData(
        label=wave_label(campaign),
        csat=values.csat,
        nps=values.nps,
        ces=values.ces,
        servqual=values.servqual,
        dimensions=values.dimensions,
        frame=frame_rules(campaign),
    )
    kano = {row.feature: row.summary for row in result.kano}
    labels = {row.feature: row.label for row in result.kano}
    return data, kano, labels


def series_trend(campaign: Campaign) -> SeriesTrend:
    """The wave list, the wave-over-wave trend and the Kano slides of the series."""
    waves = series_waves(campaign)
    data, kano, labels = [], [], {}
    for wave in waves:
        wave_data, summaries, names = _wave_data(wave)
        data.append(wave_data)
        kano.append((wave_data.label, summaries))
        labels.update(names)
    trend = domain.wave_trend(data)
    changed = set(trend.frame_changes)
    counts = {
        row["campaign"]: row["n"]
        for row in Response.objects.filter(campaign__in=waves)
        .values("campaign")
        .annotate(n=Count("pk"))
    }
    rows = tuple(
        WaveRow(w, d.label, counts.get(w.pk, 0), d.label in changed)
        for w, d in zip(waves, data, strict=True)
    )
    return SeriesTrend(rows, trend, domain.kano_slides(kano), labels)
