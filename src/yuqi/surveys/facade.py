"""What other contexts may know of surveys: plain summaries per customer, never the models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from yuqi.core.compiled_reads import CompiledRead
from yuqi.surveys.models import FollowUp, Invitation, SurveyOptOut


@dataclass(frozen=True)
class SurveyLine:
    invitation_id: int
    survey: str
    source: str
    channel: str
    sent_at: datetime | None
    answered_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True)
class CustomerSurveys:
    opted_out: bool
    recent: list[SurveyLine]
    open_follow_ups: int


def _invitations(limit: int, *, customer_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(customer_id=customer_id)
        .select_related("survey_version__survey")
        .order_by("-created_at")[:limit]
    )


#: The 360's survey invitations, compiled once per database and limit (building and
#: compiling the three-table read was about 1 ms of every 360 with a surveys panel).
INVITATIONS_READ = CompiledRead(
    _invitations, model=Invitation, customer_id=Invitation._meta.get_field("customer")
)


def _recent_invitations(customer_id: int, limit: int) -> list[Invitation]:
    return INVITATIONS_READ.objects(limit, customer_id=customer_id)


def _opt_out(*, customer_id: int) -> QuerySet[SurveyOptOut, tuple[int]]:
    return SurveyOptOut.objects.filter(customer_id=customer_id).order_by().values_list("pk")[:1]


#: Whether the customer opted out, compiled once per database: the statement ``exists()``
#: runs (one row at most, no order) but for the column read, ``pk`` instead of ``1``.
OPT_OUT_READ = CompiledRead(
    _opt_out, model=SurveyOptOut, customer_id=SurveyOptOut._meta.get_field("customer")
)


def _opted_out(customer_id: int) -> bool:
    """What ``SurveyOptOut.objects.filter(customer_id=customer_id).exists()`` answers."""
    return bool(OPT_OUT_READ.rows(customer_id=customer_id))


def _customer_surveys(customer_id: int, rows: list[Invitation], opted_out: bool) -> CustomerSurveys:
    return CustomerSurveys(
        opted_out=opted_out,
        recent=[
            SurveyLine(
                row.pk,
                row.survey_version.survey.display_title,
                row.get_source_display(),
                row.get_channel_display(),
                row.sent_at,
                row.answered_at,
                row.expires_at,
            )
            for row in rows
        ],
        open_follow_ups=FollowUp.objects.filter(customer_id=customer_id, status="open").count(),
    )


def surveys_for_customer(customer_id: int, *, limit: int = 10) -> CustomerSurveys:
    """The customer's latest survey invitations, opt-out flag and open recovery follow-ups."""
    rows = _recent_invitations(customer_id, limit)
    opted_out = _opted_out(customer_id)
    return _customer_surveys(customer_id, rows, opted_out)


def surveys_to_show_for_customer(customer_id: int, *, limit: int = 10) -> CustomerSurveys | None:
    """What :func:`surveys_for_customer` answers, or None when the customer has neither an
    invitation nor an opt-out (the customer 360 then shows no surveys panel): for most
    customers two short reads (no invitations, no opt-out), not three."""
    rows = _recent_invitations(customer_id, limit)
    opted_out = _opted_out(customer_id)
    if not rows and not opted_out:
        return None
    return _customer_surveys(customer_id, rows, opted_out)


# --- for the expectation register (insights) -------------------------------------------------


@dataclass(frozen=True)
class GapFact:
    """A SERVQUAL gap P − E (negative = below expectation) of an item, or of a dimension when
    ``item_code`` is empty, over the responses submitted in a date range."""

    survey: str
    dimension: str
    item_code: str
    item_text: str
    expectation: float
    perception: float
    gap: float
    ci_low: float | None
    ci_high: float | None
    n: int


def _servqual_surveys():
    from yuqi.surveys.models import Question, Survey

    codes = (
        Question.objects.filter(type="servqual_item")
        .values_list("version__survey__code", flat=True)
        .distinct()
    )
    return Survey.objects.filter(code__in=list(codes)).order_by("code")


def servqual_gaps(*, date_from, date_to) -> list[GapFact]:
    """SERVQUAL gaps per dimension and item of every survey with SERVQUAL items, over
    responses submitted from ``date_from`` to ``date_to`` (inclusive), unweighted."""
    from datetime import timedelta

    from yuqi.core.clock import day_start
    from yuqi.surveys.models import Response

    facts: list[GapFact] = []
    for survey in _servqual_surveys():
        responses = Response.objects.filter(
            survey_version__survey=survey,
            submitted_at__gte=day_start(date_from),
            submitted_at__lt=day_start(date_to + timedelta(days=1)),
        )
        facts += _gap_facts(survey, responses)
    return facts


def _gap_facts(survey, responses) -> list[GapFact]:
    from yuqi.domain import survey_analysis as sa
    from yuqi.surveys.analysis import _load

    loaded = _load(survey, responses)
    if not loaded.response_ids.size:
        return []
    result = sa.analyse_survey(loaded.specs, loaded.answers, respondents=loaded.response_ids.size)
    if result.servqual is None:
        return []
    rows = [("", r) for r in result.servqual.dimensions]
    rows += [(r.key, r) for r in result.servqual.items]
    return [
        GapFact(
            survey=survey.code,
            dimension=row.dimension,
            item_code=item_code,
            item_text=str(row.label),
            expectation=row.expectation,
            perception=row.perception,
            gap=row.gap.value,
            ci_low=row.gap.ci_low,
            ci_high=row.gap.ci_high,
            n=row.n,
        )
        for item_code, row in rows
    ]


def campaign_servqual_gaps(code: str) -> tuple[list[GapFact], date | None, date | None]:
    """SERVQUAL gaps of one campaign's (one wave's) responses, unweighted, with the first and
    last day they were submitted (empty and None when the campaign has no answers)."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from yuqi.surveys.models import Campaign, Response

    campaign = Campaign.objects.select_related("survey_version__survey").filter(code=code).first()
    if campaign is None:
        return [], None, None
    responses = Response.objects.filter(campaign=campaign)
    span = responses.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    if span["first"] is None:
        return [], None, None
    facts = _gap_facts(campaign.survey_version.survey, responses)
    first = timezone.localdate(span["first"])
    return facts, first, timezone.localdate(span["last"])


def kano_classes() -> dict[str, tuple[str | None, float | None, float | None]]:
    """Kano feature code → (class, better, worse) over every Kano answer we hold.

    The class is the one to plan with by the book (``KanoSummary.decision``): the most frequent
    category when Fong's test says it leads significantly, else the first of the close
    categories by Berger's M > O > A > I rule, so a mixed feature is not taken as definite."""
    from yuqi.surveys.analysis import survey_report
    from yuqi.surveys.models import Question, Survey

    codes = (
        Question.objects.filter(type="kano_pair")
        .values_list("version__survey__code", flat=True)
        .distinct()
    )
    out: dict[str, tuple[str | None, float | None, float | None]] = {}
    for survey in Survey.objects.filter(code__in=list(codes)).order_by("code"):
        for row in survey_report(survey, breakdowns=False).result.kano:
            c = row.summary.coefficients
            out.setdefault(row.feature, (row.summary.decision, c.better, c.worse))
    return out


@dataclass(frozen=True)
class ContactRating:
    """A post-contact survey's CSAT (1–5) about one contact or ticket."""

    interaction_id: int | None
    complaint_id: int | None
    csat: float
    submitted_at: datetime


def contact_ratings(
    *, interaction_ids: Iterable[int] = (), complaint_ids: Iterable[int] = ()
) -> list[ContactRating]:
    """CSAT answers of the responses about the given contacts or tickets (the quality
    context breaks them down by agent and team, and samples low answers). One query."""
    from django.db.models import Q

    from yuqi.surveys.choices import QuestionType
    from yuqi.surveys.models import Answer

    wanted = Q(response__interaction_id__in=set(interaction_ids)) | Q(
        response__complaint_id__in=set(complaint_ids)
    )
    rows = (
        Answer.objects.filter(wanted, question__type=QuestionType.CSAT, value__isnull=False)
        .order_by("response__submitted_at", "pk")
        .values_list(
            "response__interaction_id", "response__complaint_id", "value", "response__submitted_at"
        )
    )
    return [ContactRating(i, c, float(v), at) for i, c, v, at in rows]


def servqual_dimension_labels() -> dict[str, str]:
    """SERVQUAL dimension code → its name in the active language."""
    from yuqi.surveys.choices import ServqualDimension

    return {code: str(label) for code, label in ServqualDimension.choices}


# --- for improvement actions' before/after checks ---------------------------------------------

#: what ``answer_values`` may be asked for
ANSWER_MEASURES = ("csat", "nps", "ces")


def answer_values(*, measure: str, date_from, date_to) -> list[float]:
    """One value per answer to every question of the type ``measure`` (``csat`` 1–5, ``nps``
    0–10, ``ces`` 1–7) in responses submitted from ``date_from`` to ``date_to`` (local days,
    both included), oldest first. ``ValueError`` for another measure."""
    from datetime import timedelta

    from yuqi.core.clock import day_start
    from yuqi.surveys.models import Answer

    if measure not in ANSWER_MEASURES:
        raise ValueError(f"unknown answer measure {measure!r}")
    rows = (
        Answer.objects.filter(
            question__type=measure,
            value__isnull=False,
            response__submitted_at__gte=day_start(date_from),
            response__submitted_at__lt=day_start(date_to + timedelta(days=1)),
        )
        .order_by("response__submitted_at", "pk")
        .values_list("value", flat=True)
    )
    return [float(v) for v in rows]


def servqual_gap_values(*, dimension: str = "", item: str = "", date_from, date_to) -> list[float]:
    """Per response, the SERVQUAL gap P − E of one item (question ``code``) or the mean gap
    over a dimension's items, for responses submitted from ``date_from`` to ``date_to``
    (local days, both included). A response that lacks either part is left out."""
    from datetime import timedelta

    from yuqi.core.clock import day_start
    from yuqi.surveys.models import Answer

    rows = Answer.objects.filter(
        question__type="servqual_item",
        part__in=("expectation", "perception"),
        value__isnull=False,
        response__submitted_at__gte=day_start(date_from),
        response__submitted_at__lt=day_start(date_to + timedelta(days=1)),
    )
    if item:
        rows = rows.filter(question__code=item)
    elif dimension:
        rows = rows.filter(question__dimension=dimension)
    parts: dict[int, dict[int, dict[str, float]]] = {}
    for response_id, question_id, part, value in rows.order_by("response_id").values_list(
        "response_id", "question_id", "part", "value"
    ):
        parts.setdefault(response_id, {}).setdefault(question_id, {})[part] = float(value)
    out: list[float] = []
    for questions in parts.values():
        gaps = [
            q["perception"] - q["expectation"]
            for q in questions.values()
            if "perception" in q and "expectation" in q
        ]
        if gaps:
            out.append(sum(gaps) / len(gaps))
    return out
