"""Reads of the surveys context: lists for the pages and API, response rates per stratum
and the representativeness check of a campaign (also used by the analysis pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from yuqi.core.clock import now
from yuqi.domain import survey_analysis as sa
from yuqi.domain.estimates import proportion
from yuqi.surveys.choices import FollowUpStatus, InvitationChannel
from yuqi.surveys.models import (
    Campaign,
    FollowUp,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyVersion,
)
from yuqi.surveys.tokens import token_hash, well_formed


def survey_list(*, include_archived: bool = False) -> QuerySet[Survey]:
    rows = Survey.objects.select_related("current_version").annotate(
        version_count=Count("versions", distinct=True),
    )
    return rows if include_archived else rows.filter(archived=False)


def version_questions(version: SurveyVersion) -> list[Question]:
    return list(version.questions.order_by("order"))


def survey_versions(survey: Survey) -> QuerySet[SurveyVersion]:
    return survey.versions.annotate(
        response_count=Count("responses", distinct=True),
        question_count=Count("questions", distinct=True),
    ).order_by("-number")


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("survey_version__survey").annotate(
        invited=Count("invitations", filter=Q(invitations__sent_at__isnull=False), distinct=True),
        responded=Count("responses", distinct=True),
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link token belongs to, or None (malformed, tampered or unknown)."""
    if not well_formed(token):
        return None
    return (
        Invitation.objects.select_related("survey_version__survey")
        .filter(token_hash=token_hash(token))
        .first()
    )


def call_list_invitations() -> QuerySet[Invitation]:
    """Every invitation that staff may answer for the customer: those of the outbound call
    list, once handed out. The only invitations ``surveys.enter_answers`` reaches, on the call
    list pages and through ``POST /api/v1/responses`` alike; any other invitation (SMS, e-mail,
    a link) is answered by the customer alone, with its token (security review F-5)."""
    return Invitation.objects.filter(channel=InvitationChannel.CALL_LIST, sent_at__isnull=False)


def call_list(
    *, campaign: Campaign | None = None, at: datetime | None = None
) -> QuerySet[Invitation]:
    """Open outbound-call invitations: handed out, not answered, not expired (at ``at``,
    by default now)."""
    rows = (
        call_list_invitations()
        .filter(answered_at__isnull=True, expires_at__gt=now() if at is None else at)
        .select_related("campaign", "customer__tier", "survey_version__survey")
    )
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return rows.order_by("campaign_id", "stratum_key", "pk")


def response_list(
    *, survey_code: str = "", campaign_code: str = "", channel: str = ""
) -> QuerySet[Response]:
    rows = Response.objects.select_related("survey_version__survey", "campaign").prefetch_related(
        Prefetch("answers", queryset=_answers_with_codes())
    )
    if survey_code:
        rows = rows.filter(survey_version__survey__code=survey_code)
    if campaign_code:
        rows = rows.filter(campaign__code=campaign_code)
    if channel:
        rows = rows.filter(channel=channel)
    return rows.order_by("-submitted_at", "-pk")


def _answers_with_codes() -> QuerySet:
    from yuqi.surveys.models import Answer

    return Answer.objects.select_related("question").order_by("question__order", "part")


def follow_up_list(*, status: str = FollowUpStatus.OPEN, owner_id: int | None = None) -> QuerySet:
    rows = FollowUp.objects.select_related("customer", "owner", "response__survey_version__survey")
    if status:
        rows = rows.filter(status=status)
    if owner_id is not None:
        rows = rows.filter(owner_id=owner_id)
    return rows.order_by("-created_at")


# --------------------------------------------------------------------------- campaign figures


@dataclass(frozen=True)
class StratumRate:
    """A stratum's population (N_h), eligible frame, planned sample (n_h), reserve, and the
    invitations sent, responses received and response rate ``responded / sent`` with its
    Wilson interval (None before anything was sent). ``share`` is the population share
    ``W_h = N_h / N`` and ``responder_share`` the stratum's share of all responders. The one
    row for the campaign page, its API and the analysis report."""

    key: str
    values: dict
    population: int
    eligible: int
    sample: int
    reserve: int
    sent: int
    responded: int
    rate: sa.Measure | None
    share: float
    responder_share: float


def _response_rate(responded: int, sent: int) -> sa.Measure | None:
    if not sent:
        return None
    e = proportion(min(responded, sent), sent)
    return sa.Measure(e.value, e.ci_low, e.ci_high, e.n, e.se, e.method)


def campaign_stratum_rates(campaign: Campaign) -> list[StratumRate]:
    """Response rate per stratum, in two queries."""
    counts = {
        row["stratum_key"]: row
        for row in campaign.invitations.order_by()
        .values("stratum_key")
        .annotate(
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            responded=Count("id", filter=Q(answered_at__isnull=False)),
        )
    }
    strata = list(campaign.strata.order_by("key"))
    population = sum(s.population for s in strata) or 1
    responders = sum(counts.get(s.key, {}).get("responded", 0) for s in strata) or 1
    rates = []
    for stratum in strata:
        row = counts.get(stratum.key, {})
        sent, responded = row.get("sent", 0), row.get("responded", 0)
        rates.append(
            StratumRate(
                key=stratum.key,
                values=stratum.values,
                population=stratum.population,
                eligible=stratum.eligible,
                sample=stratum.sample,
                reserve=stratum.reserve,
                sent=sent,
                responded=responded,
                rate=_response_rate(responded, sent),
                share=stratum.population / population,
                responder_share=responded / responders,
            )
        )
    return rates


@dataclass(frozen=True)
class RepresentativenessCell:
    key: str
    observed: int
    expected: float
    population_share: float
    responder_share: float


@dataclass(frozen=True)
class Representativeness:
    """Chi-square goodness-of-fit of the responders' strata against the population's
    (:func:`yuqi.domain.survey_analysis.representativeness`, kept as ``chi_square``).

    H0: responders are spread over the strata in proportion to the population
    (``N_h / N``). A small ``p_value`` (below ``alpha``) says the raw responders are not
    representative, so estimates must be weighted by stratum (as the analysis does).
    ``expected_small`` flags cells with an expected count under 5, where the chi-square
    approximation is rough (Cochran 1954). ``None`` statistics: fewer than two strata or
    no responders.
    """

    statistic: float | None
    p_value: float | None
    dof: int
    responders: int
    cells: tuple[RepresentativenessCell, ...]
    expected_small: bool
    chi_square: sa.ChiSquare | None = None
    alpha: float = 0.05

    @property
    def representative(self) -> bool | None:
        return None if self.p_value is None else self.p_value >= self.alpha


def campaign_representativeness(
    campaign: Campaign, *, rates: list[StratumRate] | None = None
) -> Representativeness:
    """Responders vs population by stratum (the test is the domain's)."""
    rates = rates if rates is not None else campaign_stratum_rates(campaign)
    strata = [r for r in rates if r.population > 0]
    total_population = sum(r.population for r in strata)
    responders = sum(r.responded for r in strata)
    cells = tuple(
        RepresentativenessCell(
            key=r.key,
            observed=r.responded,
            expected=responders * r.population / total_population if total_population else 0.0,
            population_share=r.population / total_population if total_population else 0.0,
            responder_share=r.responded / responders if responders else 0.0,
        )
        for r in strata
    )
    test = sa.representativeness([r.population for r in strata], [r.responded for r in strata])
    if test is None:
        return Representativeness(None, None, max(len(cells) - 1, 0), responders, cells, False)
    return Representativeness(
        statistic=test.statistic,
        p_value=test.p_value,
        dof=test.df,
        responders=responders,
        cells=cells,
        expected_small=any(c.expected < 5 for c in cells),
        chi_square=test,
    )
