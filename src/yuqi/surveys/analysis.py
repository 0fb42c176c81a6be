"""Analysis selectors: load a survey's or a campaign's answers in bulk, analyse them.

Answers are read with one ``values_list`` query straight into NumPy arrays (``np.fromiter``
over the cursor; the answer part is turned into its integer code by the database), never as
model instances; then :mod:`yuqi.domain.survey_analysis` does the statistics. Questions are
followed across survey versions by their stable ``code``: the newest version's wording,
scale and dimension describe a code, and answers to every version are pooled.

A campaign with two or more strata is analysed with the stratified estimator, using each
stratum's population ``N_h`` from :class:`CampaignStratum`; everything else (a survey as a
whole, which pools campaigns and post-contact answers) is analysed as a simple sample.
Breakdowns: tier is the customer's tier when they answered (``Response.tier_code``); channel
and queue come from the contact a post-contact survey was about (interactions facade).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import repeat
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import Case, IntegerField, QuerySet, Value, When

from yuqi.core.clock import day_start
from yuqi.domain import survey_analysis as sa
from yuqi.surveys import selectors
from yuqi.surveys.choices import QuestionType
from yuqi.surveys.models import (
    Answer,
    Campaign,
    CampaignStratum,
    Question,
    Response,
    Survey,
)
from yuqi.surveys.selectors import StratumRate
from yuqi.surveys.templates_builtin import ATTITUDE_CODE, RESOLVED_CODE
from yuqi.surveys.validation import question_scale

BREAKDOWNS = ("tier", "channel", "queue")
_ANSWER_DTYPE = np.dtype([("response", "i8"), ("question", "i8"), ("part", "i2"), ("value", "f8")])


@dataclass(frozen=True)
class QuestionInfo:
    """A question code as the analysis knows it (newest version's definition)."""

    code: str
    type: str
    text: str
    dimension: str
    feature: str


@dataclass(frozen=True)
class Breakdown:
    by: str
    rows: tuple[sa.GroupRow, ...]


@dataclass(frozen=True)
class AnalysisReport:
    """What the analysis page, its API and its Excel export show (one source for all three)."""

    survey: Survey
    campaign: Campaign | None
    questions: tuple[QuestionInfo, ...]
    result: sa.SurveyAnalysis
    breakdowns: tuple[Breakdown, ...]
    strata: tuple[StratumRate, ...]
    representativeness: sa.ChiSquare | None

    @property
    def responses(self) -> int:
        return self.result.respondents


@dataclass(frozen=True)
class _Loaded:
    questions: list[QuestionInfo]
    specs: list[sa.QuestionSpec]
    response_ids: np.ndarray
    stratum_keys: list[str]
    tiers: list[str]
    queues: list[str]
    interactions: list[int | None]
    answers: sa.AnswerArrays


# --------------------------------------------------------------------------- entry points


def survey_report(
    survey: Survey,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    breakdowns: bool = True,
) -> AnalysisReport:
    """Every response to any version of ``survey``, as a simple (unweighted) sample;
    ``date_from``/``date_to`` (local days, both included) keep the responses submitted then
    (the balanced scorecard's period). ``breakdowns=False`` leaves the per-tier, channel,
    queue, team and agent tables empty (a caller reading the headline or Kano skips the
    contacts' facts and the grouped analyses).

    The statistics are cached under the surveys' data version (``yuqi.surveys.versions``):
    the analysis of the answers whole, and each breakdown's under a digest of its groups,
    which come from the contacts and tiers (read afresh on every call), so every figure is
    the one a fresh analysis gives."""
    from yuqi.surveys import versions

    found: list[_Loaded] = []

    def load() -> _Loaded:  # at most once per call, only on a cache miss
        if not found:
            responses = Response.objects.filter(survey_version__survey=survey)
            if date_from is not None:
                responses = responses.filter(submitted_at__gte=day_start(date_from))
            if date_to is not None:
                end = day_start(date_to + timedelta(days=1))
                responses = responses.filter(submitted_at__lt=end)
            found.append(_load(survey, responses))
        return found[0]

    def analysed() -> _Analysed:
        loaded = load()
        return _Analysed(
            questions=tuple(loaded.questions),
            result=sa.analyse_survey(
                loaded.specs, loaded.answers, respondents=loaded.response_ids.size
            ),
            tiers=loaded.tiers,
            queues=loaded.queues,
            interactions=loaded.interactions,
        )

    args = (survey.pk, date_from, date_to)
    part = versions.cached("report", args, analysed)
    tables: tuple[Breakdown, ...] = ()
    if breakdowns:
        groups = _breakdown_groups(part.tiers, part.queues, part.interactions)
        digest = hashlib.blake2b(pickle.dumps(groups), digest_size=16).hexdigest()
        tables = versions.cached(
            "breakdowns", (*args, digest), lambda: _breakdown_rows(load(), groups)
        )
    return AnalysisReport(
        survey=survey,
        campaign=None,
        questions=part.questions,
        result=part.result,
        breakdowns=tables,
        strata=(),
        representativeness=None,
    )


@dataclass(frozen=True)
class _Analysed:
    """What :func:`survey_report` caches of one survey's answers: the analysis, and what
    each response's breakdown groups are made from."""

    questions: tuple[QuestionInfo, ...]
    result: sa.SurveyAnalysis
    tiers: list[str]
    queues: list[str]
    interactions: list[int | None]


def survey_headline(survey: Survey, *, date_from: date, date_to: date) -> sa.Headline:
    """The headline of :func:`survey_report` for the responses submitted from ``date_from``
    to ``date_to`` (local days, both included), computed alone: the scorecard's and the
    benchmarks' survey measures read nothing else."""
    responses = Response.objects.filter(
        survey_version__survey=survey,
        submitted_at__gte=day_start(date_from),
        submitted_at__lt=day_start(date_to + timedelta(days=1)),
    )
    loaded = _load(survey, responses)
    return sa.survey_headline(loaded.specs, loaded.answers, respondents=loaded.response_ids.size)


def campaign_report(campaign: Campaign) -> AnalysisReport:
    """A campaign's responses, weighted by stratum when the campaign has two or more."""
    survey = campaign.survey_version.survey
    loaded = _load(survey, Response.objects.filter(campaign=campaign))
    strata = list(CampaignStratum.objects.filter(campaign=campaign).order_by("key"))
    design = _design(strata, loaded.stratum_keys)
    result = sa.analyse_survey(
        loaded.specs, loaded.answers, respondents=loaded.response_ids.size, design=design
    )
    rates, test = stratum_rates(campaign)
    return AnalysisReport(
        survey=survey,
        campaign=campaign,
        questions=tuple(loaded.questions),
        result=result,
        breakdowns=_breakdowns(loaded),
        strata=rates,
        representativeness=test,
    )


def stratum_rates(campaign: Campaign) -> tuple[tuple[StratumRate, ...], sa.ChiSquare | None]:
    """Response rate per stratum (with Wilson intervals) and the chi-square
    representativeness test, from the campaign selectors (two grouped queries)."""
    rows = selectors.campaign_stratum_rates(campaign)
    return tuple(rows), selectors.campaign_representativeness(campaign, rates=rows).chi_square


def answer_rows(
    *, survey: Survey | None = None, campaign: Campaign | None = None
) -> QuerySet[Answer]:
    """Raw answers (for the CSV export), oldest response first; text answers included."""
    rows = Answer.objects.all()
    if campaign is not None:
        rows = rows.filter(response__campaign=campaign)
    elif survey is not None:
        rows = rows.filter(response__survey_version__survey=survey)
    return rows.order_by("response_id", "question__order", "part")


# --------------------------------------------------------------------------- loading


def _load(survey: Survey, responses: QuerySet[Response]) -> _Loaded:
    questions, specs, question_ids, positions = _questions(survey)
    rows = list(
        responses.order_by("pk").values_list(
            "pk", "stratum_key", "tier_code", "queue_code", "interaction_id"
        )
    )
    response_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    answers = _answers(responses, response_ids, question_ids, positions)
    return _Loaded(
        questions=questions,
        specs=specs,
        response_ids=response_ids,
        stratum_keys=[row[1] for row in rows],
        tiers=[row[2] for row in rows],
        queues=[row[3] for row in rows],
        interactions=[row[4] for row in rows],
        answers=answers,
    )


def _questions(
    survey: Survey,
) -> tuple[list[QuestionInfo], list[sa.QuestionSpec], np.ndarray, np.ndarray]:
    """Question codes of every version (newest first defines a code) and, for every
    question row id, the position of its code."""
    rows = Question.objects.filter(version__survey=survey).order_by("-version__number", "order")
    infos: list[QuestionInfo] = []
    specs: list[sa.QuestionSpec] = []
    position_of: dict[str, int] = {}
    ids, positions = [], []
    for question in rows:
        if question.code not in position_of:
            position_of[question.code] = len(specs)
            specs.append(_spec(question))
            infos.append(
                QuestionInfo(
                    question.code,
                    question.type,
                    question.display_text,
                    question.dimension,
                    question.feature,
                )
            )
        ids.append(question.pk)
        positions.append(position_of[question.code])
    order = np.argsort(np.asarray(ids, dtype=np.int64))
    return (
        infos,
        specs,
        np.asarray(ids, dtype=np.int64)[order],
        np.asarray(positions, dtype=np.intp)[order],
    )


def _spec(question: Question) -> sa.QuestionSpec:
    kind = question.type
    scale = question_scale(kind, question.scale_min, question.scale_max)
    rate, success = "", ()
    if question.code == RESOLVED_CODE and kind == QuestionType.SINGLE_CHOICE:
        rate, success = "matter", (1.0,)
    elif question.code == ATTITUDE_CODE and kind in (QuestionType.CSAT, QuestionType.RATING):
        rate = "person"
    return sa.QuestionSpec(
        code=question.code,
        kind=kind,
        scale=tuple(scale) if scale else (1, 5),
        dimension=question.dimension if kind == QuestionType.SERVQUAL_ITEM else "",
        feature=question.feature,
        rate=rate,
        success=success,
        label=question.display_text,
    )


def _part_code() -> Case:
    """``Answer.part`` as its integer code, computed by the database."""
    names = [
        ("", sa.PART_WHOLE),
        ("expectation", sa.PART_EXPECTATION),
        ("perception", sa.PART_PERCEPTION),
        ("functional", sa.PART_FUNCTIONAL),
        ("dysfunctional", sa.PART_DYSFUNCTIONAL),
        *((f"importance:{d}", sa.part_code(f"importance:{d}")) for d in sa.DIMENSIONS),
    ]
    return Case(
        *(When(part=name, then=Value(code)) for name, code in names),
        default=Value(sa.PART_UNKNOWN),
        output_field=IntegerField(),
    )


def _answers(
    responses: QuerySet[Response],
    response_ids: np.ndarray,
    question_ids: np.ndarray,
    positions: np.ndarray,
) -> sa.AnswerArrays:
    if response_ids.size == 0 or question_ids.size == 0:
        return sa.AnswerArrays.empty()
    rows = (
        Answer.objects.filter(response__in=responses.order_by().values("pk"))
        .filter(value__isnull=False)
        .annotate(part_code=_part_code())
        .order_by()
        .values_list("response_id", "question_id", "part_code", "value")
    )
    # Straight from the database cursor: tens of thousands of rows through the ORM's per-row
    # iterator and converters cost more than the whole analysis (the columns are plain ints
    # and a float, which NumPy converts itself).
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        raw = np.fromiter(cursor.fetchall(), dtype=_ANSWER_DTYPE)
    keep = np.isin(raw["question"], question_ids) & (raw["part"] >= 0)
    raw = raw[keep]
    return sa.AnswerArrays(
        respondent=np.searchsorted(response_ids, raw["response"]).astype(np.intp),
        question=positions[np.searchsorted(question_ids, raw["question"])],
        part=raw["part"].astype(np.intp),
        value=raw["value"].astype(float),
    )


def _design(strata: Sequence[CampaignStratum], keys: Sequence[str]) -> sa.Design | None:
    """The stratified design, when the campaign has two or more strata."""
    if len(strata) < 2:
        return None
    position = {stratum.key: i for i, stratum in enumerate(strata)}
    codes = np.fromiter((position.get(key, -1) for key in keys), dtype=np.intp, count=len(keys))
    return sa.Design(codes, tuple(s.key for s in strata), tuple(int(s.population) for s in strata))


# --------------------------------------------------------------------------- breakdowns


def _breakdowns(loaded: _Loaded) -> tuple[Breakdown, ...]:
    return _breakdown_rows(
        loaded, _breakdown_groups(loaded.tiers, loaded.queues, loaded.interactions)
    )


#: (breakdown, group labels, each respondent's group position) per breakdown with a group.
Groups = list[tuple[str, list[str], np.ndarray]]


def _breakdown_groups(
    response_tiers: Sequence[str],
    response_queues: Sequence[str],
    interactions: Sequence[int | None],
) -> Groups:
    """Each breakdown's groups: the tier the customer had when answering, and the channel,
    queue, team and agent of the contact a post-contact survey was about (read now)."""
    from yuqi.customers.facade import tier_labels
    from yuqi.interactions.facade import contact_facts, queue_names

    facts = contact_facts(i for i in interactions if i)
    if facts:
        channels = [facts[i].channel_label if i in facts else "" for i in interactions]
        agents = [facts[i].agent if i in facts else "" for i in interactions]
        teams = [facts[i].team if i in facts else "" for i in interactions]
    else:  # no contact known (a survey not about contacts): no channel, team or agent
        channels = agents = teams = [""] * len(interactions)
    if facts or any(response_queues):
        queue_name = queue_names()
        queues = [
            queue_name.get(code, code)
            for code in (
                queue or (facts[i].queue_code if i in facts else "")
                for queue, i in zip(response_queues, interactions, strict=True)
            )
        ]
    else:
        queues = [""] * len(interactions)
    names = tier_labels()
    tiers = list(map(names.get, response_tiers, response_tiers))  # the code when unnamed
    order = {"tier": list(names.values())}
    found: Groups = []
    dimensions = (
        ("tier", tiers),
        ("channel", channels),
        ("queue", queues),
        ("team", teams),  # CSAT, 对事/对人 per team and per agent (quality)
        ("agent", agents),
    )
    for by, values in dimensions:
        labels, codes = _groups(values, order.get(by, ()))
        if labels:
            found.append((by, labels, codes))
    return found


def _breakdown_rows(loaded: _Loaded, groups: Groups) -> tuple[Breakdown, ...]:
    return tuple(
        Breakdown(
            by,
            sa.breakdown(
                loaded.specs,
                loaded.answers,
                respondents=loaded.response_ids.size,
                groups=codes,
                labels=labels,
            ),
        )
        for by, labels, codes in groups
    )


def _groups(values: Sequence[str], preferred: Iterable[str]) -> tuple[list[str], np.ndarray]:
    """Distinct non-empty values (in ``preferred`` order first, then sorted) and each
    respondent's group position (−1 for an empty value)."""
    present = {v for v in set(values) if v}
    if not present:  # no group (a breakdown the survey's answers do not have): not shown
        return [], np.full(len(values), -1, dtype=np.intp)
    labels = [v for v in preferred if v in present]
    labels += sorted(present - set(labels))
    position = {label: i for i, label in enumerate(labels)}
    codes = np.fromiter(map(position.get, values, repeat(-1)), dtype=np.intp, count=len(values))
    return labels, codes


def report_as_dict(report: AnalysisReport) -> dict[str, Any]:
    """Plain data for the API (the same numbers as the page)."""
    from dataclasses import asdict

    result = report.result
    return {
        "survey": report.survey.code,
        "campaign": report.campaign.pk if report.campaign else None,
        "responses": result.respondents,
        "weighted": result.weighted,
        "headline": asdict(result.headline),
        "unweighted": asdict(result.unweighted),
        "questions": [asdict(q) for q in result.questions],
        "servqual": asdict(result.servqual) if result.servqual else None,
        "kano": [
            {
                "feature": row.feature,
                "label": row.label,
                "category": row.summary.category,
                "ties": list(row.summary.ties),
                "counts": row.summary.counts,
                "n": row.summary.n,
                "better": row.summary.coefficients.better,
                "worse": row.summary.coefficients.worse,
                "total_strength": row.summary.total_strength,
                "category_strength": row.summary.category_strength,
                "significant": row.summary.significant,
                "fong_margin": row.summary.fong_margin,
                "mixed": row.summary.mixed,
                "candidates": list(row.summary.candidates),
                "decision": row.summary.decision,
            }
            for row in result.kano
        ],
        "breakdowns": [
            {"by": b.by, "rows": [asdict(row) for row in b.rows]} for b in report.breakdowns
        ],
        "strata": [asdict(s) for s in report.strata],
        "representativeness": asdict(report.representativeness)
        if report.representativeness
        else None,
        "empty_strata": list(result.empty_strata),
        "single_strata": list(result.single_strata),
        "unplaced": result.unplaced,
    }
