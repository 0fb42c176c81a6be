"""Campaign services: create, draw the stratified sample, send, remind, release reserves.

The statistics are ``yuqi.domain.sampling`` (sample size, allocation, seeded selection);
this module only builds the sampling frame from the customers, interactions and complaints
facades, applies the exclusions and stores the result.

Population and frame. The *target population* is every customer matching the campaign's
filter; its stratum sizes ``N_h`` are kept for weighting and the representativeness check.
The *frame* leaves out customers who opted out and, under the contact-frequency rule,
those invited to any survey in the last ``exclude_surveyed_days`` days. The total sample is
allocated over the frame's strata (so no stratum is asked for more than it can give), and
drawn with :func:`yuqi.domain.sampling.select_sample` from the campaign's seed: the same
seed and the same frame give the same customers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.text import is_slug
from yuqi.domain import sampling
from yuqi.surveys import ports
from yuqi.surveys.choices import (
    AllocationMethod,
    CampaignState,
    InvitationChannel,
    SampleSizeMode,
    StrataField,
)
from yuqi.surveys.models import Campaign, CampaignStratum, Invitation, Survey
from yuqi.surveys.services import (
    invitation_build,
    invitation_remind,
    invitation_send,
    opted_out,
    recently_surveyed,
    version_freeze,
)

UNSTRATIFIED = "all"
FILTER_KEYS = {"tiers", "regions", "segments", "contacted_within_days", "complaints"}


@dataclass(frozen=True)
class DrawResult:
    population: int
    eligible: int
    excluded: int
    completes_needed: int
    invitations: int
    reserve: int
    strata: int
    notes: tuple[str, ...]


# --------------------------------------------------------------------------- create


def _number(values: Mapping[str, Any], name: str, low: float, high: float) -> float:
    try:
        value = float(values[name])
    except (TypeError, ValueError):
        raise DomainError(_("Enter a number."), field=name) from None
    if not low < value <= high:
        raise DomainError(
            _("Enter a number above %(low)s and at most %(high)s.") % {"low": low, "high": high},
            field=name,
        )
    return value


MAX_FIXED_SIZE = 1_000_000
MAX_SEED = 2**32 - 1
MAX_PRIOR_SD = 1e6


def _whole(values: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (the database's CHECK constraints and column
    sizes, checked here so that the API and the pages answer 422, never a 500)."""
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number."), field=name) from None
    if isinstance(raw, float) and raw != value:
        raise DomainError(_("Enter a whole number."), field=name)
    if not low <= value <= high:
        raise DomainError(
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=name,
        )
    return value


def _share(raw: Any) -> float:
    try:
        value = float(raw or 0)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a number."), field="reserve_share") from None
    if not 0.0 <= value <= 1.0:
        raise DomainError(_("The reserve share is between 0 and 1."), field="reserve_share")
    return value


def _check_filter(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise DomainError(_("The population filter must be an object."), field="population_filter")
    unknown = sorted(set(raw) - FILTER_KEYS)
    if unknown:
        raise DomainError(
            _("Unknown filter keys: %(keys)s.") % {"keys": ", ".join(unknown)},
            field="population_filter",
        )
    clean: dict[str, Any] = {}
    for key in ("tiers", "regions", "segments"):
        values = raw.get(key) or []
        if isinstance(values, str):
            values = [v.strip() for v in values.split(",") if v.strip()]
        clean[key] = [str(v) for v in values]
    days = raw.get("contacted_within_days")
    if days not in (None, ""):
        if not str(days).isdigit() or int(days) < 1:
            raise DomainError(_("Recent contact is a number of days."), field="population_filter")
        clean["contacted_within_days"] = int(days)
    complaints = raw.get("complaints") or ""
    if complaints not in ("", "any", "none"):
        raise DomainError(_("Complaint history is any or none."), field="population_filter")
    if complaints:
        clean["complaints"] = complaints
    return clean


@transaction.atomic
def campaign_create(*, values: Mapping[str, Any], by: Any = None) -> Campaign:
    """A draft campaign on the current version of a survey (``values["survey"]`` is its code)."""
    code = str(values.get("code") or "").strip()
    if not is_slug(code):
        raise DomainError(_("Use letters, digits, - or _ for the campaign code."), field="code")
    if Campaign.objects.filter(code=code).exists():
        raise DomainError(
            _("A campaign with code %(code)s already exists.") % {"code": code},
            field="code",
            code="conflict",
        )
    survey = Survey.objects.filter(code=values.get("survey")).first()
    if survey is None or survey.current_version_id is None:
        raise DomainError(_("Choose a survey."), field="survey")
    strata_fields = list(values.get("strata_fields") or [])
    if any(f not in StrataField.values for f in strata_fields) or len(set(strata_fields)) != len(
        strata_fields
    ):
        raise DomainError(_("Strata are made of tier, region and segment."), field="strata_fields")
    mode = values.get("sample_size_mode") or SampleSizeMode.CALCULATOR
    if mode not in SampleSizeMode.values:
        raise DomainError(_("Unknown sample size mode."), field="sample_size_mode")
    fixed = values.get("fixed_size")
    if mode == SampleSizeMode.FIXED and (
        not str(fixed or "").isdigit() or not 1 <= int(fixed) <= MAX_FIXED_SIZE
    ):
        raise DomainError(
            _("Enter the number of invitations, 1 to %(max)s.") % {"max": MAX_FIXED_SIZE},
            field="fixed_size",
        )
    allocation = values.get("allocation") or AllocationMethod.PROPORTIONAL
    if allocation not in AllocationMethod.values:
        raise DomainError(_("Unknown allocation method."), field="allocation")
    channel = values.get("channel") or InvitationChannel.SMS
    if channel not in InvitationChannel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    prior_sds = values.get("prior_sds") or {}
    if not isinstance(prior_sds, Mapping):
        raise DomainError(
            _("Prior standard deviations map stratum to a number."), field="prior_sds"
        )
    try:
        prior_sds = {str(k): float(v) for k, v in prior_sds.items()}
    except (TypeError, ValueError):
        raise DomainError(
            _("Prior standard deviations map stratum to a number."), field="prior_sds"
        ) from None
    if not all(math.isfinite(v) and 0 < v <= MAX_PRIOR_SD for v in prior_sds.values()):
        raise DomainError(
            _("A prior standard deviation is a positive number up to %(max)s.")
            % {"max": MAX_PRIOR_SD},
            field="prior_sds",
        )
    margin = _number({"margin": values.get("margin", 0.05)}, "margin", 0.0, 0.5)
    if margin < sampling.MIN_MARGIN:
        raise DomainError(
            _("The margin of error must be at least %(min)s.") % {"min": sampling.MIN_MARGIN},
            field="margin",
        )
    name = str(values.get("name") or "").strip() or code
    return Campaign.objects.create(
        code=code,
        name=name,
        survey_version_id=survey.current_version_id,
        population_filter=_check_filter(values.get("population_filter") or {}),
        strata_fields=strata_fields,
        sample_size_mode=mode,
        fixed_size=int(fixed) if mode == SampleSizeMode.FIXED else None,
        margin=margin,
        confidence=_number(
            {"confidence": values.get("confidence", 0.95)}, "confidence", 0.5, 0.999
        ),
        expected_response_rate=_number(
            {"expected_response_rate": values.get("expected_response_rate", 0.3)},
            "expected_response_rate",
            0.0,
            1.0,
        ),
        allocation=allocation,
        min_per_stratum=_whole(values, "min_per_stratum", 0, 0, MAX_FIXED_SIZE),
        prior_sds=prior_sds,
        seed=_whole(values, "seed", 20261129, 0, MAX_SEED),
        exclude_opted_out=bool(values.get("exclude_opted_out", True)),
        exclude_surveyed_days=_whole(values, "exclude_surveyed_days", 0, 0, 3660),
        reserve_share=_share(values.get("reserve_share")),
        channel=channel,
        expires_days=_whole(values, "expires_days", 14, 1, 366),
        notes=str(values.get("notes") or ""),
        created_by=by,
    )


# --------------------------------------------------------------------------- frame


def stratum_key(fields: list[str], row: Any) -> tuple[str, dict[str, str]]:
    """``"tier=gold|region=北京"`` and the same as a dict; ``"all"`` without strata."""
    if not fields:
        return UNSTRATIFIED, {}
    attributes = {"tier": row.tier_code, "region": row.region, "segment": row.segment}
    values = {f: attributes[f] or "-" for f in fields}
    return "|".join(f"{f}={v}" for f, v in values.items()), values


def _population(campaign: Campaign) -> tuple[list[Any], list[str]]:
    from yuqi.customers.facade import customer_frame

    spec = campaign.population_filter or {}
    rows = customer_frame(
        tiers=spec.get("tiers") or (),
        regions=spec.get("regions") or (),
        segments=spec.get("segments") or (),
    )
    notes: list[str] = []
    days = spec.get("contacted_within_days")
    if days:
        from yuqi.interactions.facade import customers_contacted_since

        contacted = customers_contacted_since(now() - timedelta(days=int(days)))
        rows = [r for r in rows if r.id in contacted]
    complaints = spec.get("complaints")
    if complaints:
        complained = ports.customers_with_complaints()
        if complained is None:
            notes.append(
                _("Complaint history filter skipped: the complaints context cannot tell yet.")
            )
        elif complaints == "any":
            rows = [r for r in rows if r.id in complained]
        else:
            rows = [r for r in rows if r.id not in complained]
    return rows, notes


def _sample_total(campaign: Campaign, eligible: int) -> tuple[int, int]:
    """(completes needed, invitations) for the campaign, capped at the frame."""
    if campaign.sample_size_mode == SampleSizeMode.FIXED:
        invitations = min(campaign.fixed_size or 0, eligible)
        return math.ceil(invitations * campaign.expected_response_rate), invitations
    try:
        size = sampling.sample_size_proportion(
            margin=campaign.margin,
            confidence=campaign.confidence,
            population=max(eligible, 1),
            response_rate=campaign.expected_response_rate,
        )
    except ValueError as error:  # a campaign stored before the bounds were checked
        raise DomainError(str(error), field="margin") from error
    return size.completes, min(size.invitations, eligible)


# --------------------------------------------------------------------------- draw


@transaction.atomic
def campaign_draw_sample(*, campaign: Campaign) -> DrawResult:
    """Draw (or redraw, while nothing is sent) the campaign's stratified sample."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.state not in (CampaignState.DRAFT, CampaignState.SAMPLED):
        raise DomainError(
            _("The sample of a sent campaign cannot be drawn again."), code="conflict"
        )
    locked.invitations.all().delete()
    locked.strata.all().delete()

    rows, notes = _population(locked)
    fields = list(locked.strata_fields or [])
    excluded_ids = set()
    ids = [r.id for r in rows]
    if locked.exclude_opted_out:
        excluded_ids |= opted_out(ids)
    excluded_ids |= recently_surveyed(ids, days=locked.exclude_surveyed_days)

    population: dict[str, int] = defaultdict(int)
    frame: dict[str, list[int]] = defaultdict(list)
    stratum_values: dict[str, dict[str, str]] = {}
    for row in rows:
        key, values = stratum_key(fields, row)
        stratum_values[key] = values
        population[key] += 1
        if row.id not in excluded_ids:
            frame[key].append(row.id)
    eligible_sizes = {key: len(frame.get(key, [])) for key in population}
    eligible = sum(eligible_sizes.values())
    if eligible == 0:
        raise DomainError(_("No customer is left to survey after the filter and exclusions."))

    completes, total = _sample_total(locked, eligible)
    allocation = _allocate(locked, eligible_sizes, total)
    reserve = {
        key: min(math.ceil(n * locked.reserve_share), eligible_sizes[key] - n)
        for key, n in allocation.items()
    }
    drawn = sampling.select_sample(
        {key: frame.get(key, []) for key in population},
        allocation,
        seed=int(locked.seed),
        reserve=reserve,
    )
    _store_draw(locked, drawn, population, eligible_sizes, allocation, stratum_values)
    locked.state = CampaignState.SAMPLED
    locked.sampled_at = now()
    locked.population_size = len(rows)
    locked.excluded_count = len(rows) - eligible
    locked.target_completes = completes
    locked.target_invitations = total
    locked.save(
        update_fields=[
            "state",
            "sampled_at",
            "population_size",
            "excluded_count",
            "target_completes",
            "target_invitations",
        ]
    )
    version_freeze(version=locked.survey_version)
    return DrawResult(
        population=len(rows),
        eligible=eligible,
        excluded=len(rows) - eligible,
        completes_needed=completes,
        invitations=total,
        reserve=sum(len(v) for v in drawn.reserve.values()),
        strata=len(population),
        notes=tuple(notes),
    )


def _allocate(campaign: Campaign, sizes: dict[str, int], total: int) -> dict[str, int]:
    std_devs = None
    if campaign.allocation == AllocationMethod.NEYMAN:
        missing = [k for k in sizes if k not in (campaign.prior_sds or {})]
        if missing:
            raise DomainError(
                _("Neyman allocation needs a prior standard deviation for: %(keys)s.")
                % {"keys": ", ".join(missing)},
                field="prior_sds",
            )
        std_devs = {k: float(campaign.prior_sds[k]) for k in sizes}
    minimum = min(campaign.min_per_stratum, total // max(len(sizes), 1))
    try:
        result = sampling.allocate(
            sizes, total, method=campaign.allocation, std_devs=std_devs, minimum=minimum
        )
    except ValueError as error:
        raise DomainError(str(error), field="allocation") from error
    return result.sizes


def _store_draw(
    campaign: Campaign,
    drawn: sampling.StratifiedSample,
    population: Mapping[str, int],
    eligible: Mapping[str, int],
    allocation: Mapping[str, int],
    stratum_values: Mapping[str, dict[str, str]],
) -> None:
    from yuqi.customers.facade import customer_refs

    CampaignStratum.objects.bulk_create(
        CampaignStratum(
            campaign=campaign,
            key=key,
            values=stratum_values.get(key, {}),
            population=population[key],
            eligible=eligible[key],
            sample=allocation.get(key, 0),
            reserve=len(drawn.reserve.get(key, ())),
        )
        for key in sorted(population)
    )
    chosen = [(key, unit, False) for key, units in drawn.units.items() for unit in units]
    chosen += [(key, unit, True) for key, units in drawn.reserve.items() for unit in units]
    names = {pk: ref.name for pk, ref in customer_refs([unit for _k, unit, _r in chosen]).items()}
    Invitation.objects.bulk_create(
        (
            invitation_build(
                version=campaign.survey_version,
                customer_id=int(unit),
                customer_name=names.get(int(unit), ""),
                channel=campaign.channel,
                expires_days=campaign.expires_days,
                campaign=campaign,
                stratum_key=key,
                is_reserve=is_reserve,
            )
            for key, unit, is_reserve in chosen
        ),
        batch_size=500,
    )


# --------------------------------------------------------------------------- send


def _lock_in(campaign: Campaign, states: tuple[str, ...], message: str) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.state not in states:
        raise DomainError(message, code="conflict")
    return locked


@transaction.atomic
def campaign_send(*, campaign: Campaign) -> int:
    """Send every drawn (non-reserve) invitation: SMS/e-mail through notifications, or onto
    the agents' call list. Returns how many were sent by this call."""
    locked = _lock_in(
        campaign,
        (CampaignState.SAMPLED, CampaignState.SENT),
        _("Draw the sample before sending."),
    )
    sent = 0
    pending = locked.invitations.filter(sent_at__isnull=True, is_reserve=False).select_related(
        "survey_version"
    )
    for invitation in pending.order_by("pk"):
        sent += invitation_send(invitation=invitation, expires_days=locked.expires_days)
    if locked.state != CampaignState.SENT:
        locked.state = CampaignState.SENT
        locked.sent_at = now()
        locked.save(update_fields=["state", "sent_at"])
    return sent


@transaction.atomic
def campaign_remind(*, campaign: Campaign) -> int:
    """Remind each non-responder once (a second run reminds nobody twice)."""
    locked = _lock_in(campaign, (CampaignState.SENT,), _("Only a sent campaign has reminders."))
    pending = locked.invitations.filter(
        sent_at__isnull=False,
        answered_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now(),
    ).exclude(channel=InvitationChannel.CALL_LIST)
    return sum(invitation_remind(invitation=i) for i in pending.order_by("pk"))


@transaction.atomic
def campaign_release_reserve(*, campaign: Campaign, stratum: str | None = None) -> int:
    """Replace non-responders by reserve units, stratum by stratum, in draw order.

    In each stratum as many reserve units are released and sent as there are sent,
    unanswered invitations not yet replaced, up to the reserve left. Returns how many.
    """
    locked = _lock_in(campaign, (CampaignState.SENT,), _("Send the campaign first."))
    released = 0
    strata = locked.strata.all() if stratum is None else locked.strata.filter(key=stratum)
    for row in strata:
        invitations = locked.invitations.filter(stratum_key=row.key)
        unanswered = invitations.filter(
            sent_at__isnull=False, answered_at__isnull=True, is_reserve=False
        ).count()
        already = invitations.filter(is_reserve=True, released=True).count()
        want = max(unanswered - already, 0)
        backups = list(invitations.filter(is_reserve=True, released=False).order_by("pk")[:want])
        for invitation in backups:
            claimed = Invitation.objects.filter(pk=invitation.pk, released=False).update(
                released=True
            )
            if claimed:
                released += invitation_send(invitation=invitation, expires_days=locked.expires_days)
    return released


@transaction.atomic
def campaign_close(*, campaign: Campaign) -> Campaign:
    locked = _lock_in(
        campaign,
        (CampaignState.SAMPLED, CampaignState.SENT),
        _("Only a sampled or sent campaign can be closed."),
    )
    locked.state = CampaignState.CLOSED
    locked.closed_at = now()
    locked.save(update_fields=["state", "closed_at"])
    locked.invitations.filter(answered_at__isnull=True, expires_at__gt=now()).update(
        expires_at=now()
    )
    return locked
