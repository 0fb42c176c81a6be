"""Reads of the quality context, one function per question (pages and API alike)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yuqi.domain.qa_forms import parse_form
from yuqi.domain.quality import Alpha, Kappa, cohen_kappa, krippendorff_alpha
from yuqi.quality import ports
from yuqi.quality.choices import EvaluationStatus, FlagRule, FlagStatus
from yuqi.quality.models import (
    AutoFlag,
    CalibrationSession,
    CoachingNote,
    Evaluation,
    PeerTestCall,
    TrainingRecord,
)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def graded() -> QuerySet[Evaluation]:
    """Evaluations that count (calibration scores excluded)."""
    return Evaluation.objects.exclude(status=EvaluationStatus.CALIBRATION)


def own_evaluations(user: Any) -> QuerySet[Evaluation]:
    """The evaluations of the signed-in agent: their account, or their agent work number."""
    agent = ports.agent_for_user(user.pk)
    mine = Q(agent_user_id=user.pk)
    if agent is not None:
        mine |= Q(agent_code=agent.code)
    return graded().filter(mine).select_related("form_version__form", "evaluator")


def evaluation_list(
    *, agent_code: str = "", status: str = "", exclude_user_id: int | None = None
) -> QuerySet[Evaluation]:
    rows = graded().select_related("form_version__form", "evaluator", "agent_user")
    if agent_code:
        rows = rows.filter(agent_code=agent_code)
    if status:
        rows = rows.filter(status=status)
    return rows


def disputes_to_review(user: Any) -> QuerySet[Evaluation]:
    """Disputes a second evaluator (not the first one) can take."""
    return (
        graded()
        .filter(status=EvaluationStatus.DISPUTED)
        .exclude(evaluator_id=user.pk)
        .exclude(agent_user_id=user.pk)
        .select_related("form_version__form", "evaluator")
    )


# ---------------------------------------------------------------------------- agents, teams


@dataclass(frozen=True)
class WeekScore:
    week: date
    mean: float
    n: int


@dataclass(frozen=True)
class AgentQuality:
    code: str
    label: str
    team_code: str
    team_name: str
    evaluations: int
    mean_score: float | None
    auto_fails: int
    trend: tuple[WeekScore, ...]
    matter_rate: float | None  # 对事: full marks on the items tagged "matter"
    person_rate: float | None  # 对人
    csat: float | None
    csat_n: int
    contacts: int
    fcr: float | None
    aht_seconds: float | None
    complaints: int
    broken_promises: int
    training_hours: float
    coaching_notes: int


def _tag_rate(rows: list[Evaluation], tag: str) -> float | None:
    hits = total = 0
    for row in rows:
        spec = parse_form(row.form_version.structure)
        for item in spec.items:
            if item.tag == tag and row.answers.get(item.key) is not None:
                total += 1
                hits += int(row.answers[item.key] == item.points)
    return hits / total if total else None


def _trend(rows: list[Evaluation]) -> tuple[WeekScore, ...]:
    weeks: dict[date, list[float]] = defaultdict(list)
    for row in rows:
        if row.score is None:
            continue
        day = timezone.localtime(row.contact_at or row.submitted_at).date()
        weeks[day - timedelta(days=day.weekday())].append(float(row.score))
    return tuple(
        WeekScore(week, statistics.fmean(values), len(values))
        for week, values in sorted(weeks.items())
    )


def agent_quality(
    *, start: date, end: date, agent_codes: list[str] | None = None
) -> list[AgentQuality]:
    """QA score and trend, auto-fails, 对事/对人, CSAT, FCR, AHT, complaints, broken promises,
    training hours and coaching notes per agent over ``[start, end]``."""
    since, until = _bounds(start, end)
    agents = ports.agent_refs(agent_codes)
    rows = list(
        graded()
        .filter(submitted_at__gte=since, submitted_at__lt=until, agent_code__in=list(agents))
        .select_related("form_version")
    )
    by_agent: dict[str, list[Evaluation]] = defaultdict(list)
    for row in rows:
        by_agent[row.agent_code].append(row)
    handling = ports.agent_handling(since, until)
    contacts = ports.qa_contacts(start=since, end=until, agent_codes=list(agents))
    agent_of = {c.id: c.agent_code for c in contacts}
    csat: dict[str, list[float]] = defaultdict(list)
    for rating in ports.contact_ratings(interaction_ids=list(agent_of)):
        if rating.interaction_id in agent_of:
            csat[agent_of[rating.interaction_id]].append(rating.csat)
    complaints: dict[int, int] = defaultdict(int)
    for ref in ports.complaints_opened(since, until):
        if ref.owner_id:
            complaints[ref.owner_id] += 1
    broken = ports.broken_by_promiser(since, until)
    hours = dict(
        TrainingRecord.objects.filter(taken_on__gte=start, taken_on__lte=end)
        .order_by()
        .values_list("agent_code")
        .annotate(h=Sum("hours"))
        .values_list("agent_code", "h")
    )
    notes = dict(
        CoachingNote.objects.filter(coached_on__gte=start, coached_on__lte=end)
        .order_by()
        .values_list("agent_code")
        .annotate(n=Count("pk"))
        .values_list("agent_code", "n")
    )
    out = []
    for code, agent in agents.items():
        mine = by_agent.get(code, [])
        scores = [float(r.score) for r in mine if r.score is not None]
        hand = handling.get(code)
        out.append(
            AgentQuality(
                code=code,
                label=agent.label,
                team_code=agent.team_code,
                team_name=agent.team_name,
                evaluations=len(mine),
                mean_score=statistics.fmean(scores) if scores else None,
                auto_fails=sum(1 for r in mine if r.auto_failed),
                trend=_trend(mine),
                matter_rate=_tag_rate(mine, "matter"),
                person_rate=_tag_rate(mine, "person"),
                csat=statistics.fmean(csat[code]) if csat.get(code) else None,
                csat_n=len(csat.get(code, [])),
                contacts=hand.contacts if hand else 0,
                fcr=hand.fcr_rate if hand else None,
                aht_seconds=hand.mean_handle_seconds if hand else None,
                complaints=complaints.get(agent.user_id or 0, 0),
                broken_promises=broken.get(agent.user_id or 0, 0),
                training_hours=float(hours.get(code) or 0),
                coaching_notes=notes.get(code, 0),
            )
        )
    return out


@dataclass(frozen=True)
class TeamQuality:
    code: str
    name: str
    agents: int
    evaluations: int
    mean_score: float | None
    auto_fails: int
    csat: float | None
    fcr: float | None
    training_hours: float


def team_quality(rows: list[AgentQuality]) -> list[TeamQuality]:
    """Per team: the evaluation-weighted mean score, auto-fails, CSAT, FCR, training hours."""
    teams: dict[str, list[AgentQuality]] = defaultdict(list)
    for row in rows:
        teams[row.team_code].append(row)
    out = []
    for code, members in sorted(teams.items()):
        weighted = [(a.mean_score, a.evaluations) for a in members if a.mean_score is not None]
        n = sum(w for _m, w in weighted)
        csat = [(a.csat, a.csat_n) for a in members if a.csat is not None]
        csat_n = sum(w for _c, w in csat)
        fcr = [a.fcr for a in members if a.fcr is not None]
        out.append(
            TeamQuality(
                code=code,
                name=members[0].team_name or code,
                agents=len(members),
                evaluations=sum(a.evaluations for a in members),
                mean_score=sum(m * w for m, w in weighted) / n if n else None,
                auto_fails=sum(a.auto_fails for a in members),
                csat=sum(c * w for c, w in csat) / csat_n if csat_n else None,
                fcr=statistics.fmean(fcr) if fcr else None,
                training_hours=sum(a.training_hours for a in members),
            )
        )
    return out


# ---------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class ItemSpread:
    key: str
    text: str
    points: int
    mean: float | None
    spread: float | None  # mean over contacts of the range (max − min) across evaluators
    sd: float | None  # mean over contacts of the standard deviation across evaluators
    alpha: Alpha  # nominal, pass (full marks) / fail


@dataclass(frozen=True)
class CalibrationStats:
    evaluators: tuple[Any, ...]
    subjects: tuple[tuple[str, int], ...]
    scores: dict[tuple[int, tuple[str, int]], float | None]
    items: tuple[ItemSpread, ...]
    score_alpha: Alpha  # interval, total score per contact
    pass_alpha: Alpha  # nominal, pass/fail of every item of every contact
    kappa: Kappa | None  # two evaluators only: pass/fail of every item of every contact
    score_kappa: Kappa | None  # two evaluators: total score bands, quadratic weights


def _pass(value: Any, points: int) -> str | None:
    if value is None:
        return None
    return "pass" if value == points else "fail"


def calibration_stats(session: CalibrationSession) -> CalibrationStats:
    spec = parse_form(session.form_version.structure)
    evaluators = tuple(session.evaluators.order_by("pk"))
    subjects = tuple((k, int(i)) for k, i in session.subjects)
    found = {(e.evaluator_id, (e.subject_kind, e.subject_id)): e for e in session.evaluations.all()}
    scores = {
        (ev.pk, s): (
            float(found[(ev.pk, s)].score)
            if (ev.pk, s) in found and found[(ev.pk, s)].score is not None
            else None
        )
        for ev in evaluators
        for s in subjects
    }
    score_rows = [[scores[(ev.pk, s)] for s in subjects] for ev in evaluators]
    items = []
    pass_rows: list[list[str | None]] = [[] for _ in evaluators]
    for item in spec.items:
        values = [
            [
                found[(ev.pk, s)].answers.get(item.key) if (ev.pk, s) in found else None
                for s in subjects
            ]
            for ev in evaluators
        ]
        per_contact = [
            [row[j] for row in values if row[j] is not None] for j in range(len(subjects))
        ]
        ranges = [max(v) - min(v) for v in per_contact if len(v) >= 2]
        sds = [statistics.pstdev(v) for v in per_contact if len(v) >= 2]
        flat = [v for col in per_contact for v in col]
        passes = [[_pass(v, item.points) for v in row] for row in values]
        for index, row in enumerate(passes):
            pass_rows[index].extend(row)
        items.append(
            ItemSpread(
                item.key,
                item.text,
                item.points,
                statistics.fmean(flat) if flat else None,
                statistics.fmean(ranges) if ranges else None,
                statistics.fmean(sds) if sds else None,
                krippendorff_alpha(passes, "nominal"),
            )
        )
    kappa = score_kappa = None
    if len(evaluators) == 2:
        kappa = cohen_kappa(pass_rows[0], pass_rows[1])
        bands = [[None if v is None else _band(v) for v in row] for row in score_rows]
        score_kappa = cohen_kappa(bands[0], bands[1], "quadratic", labels=BANDS)
    return CalibrationStats(
        evaluators,
        subjects,
        scores,
        tuple(items),
        krippendorff_alpha(score_rows, "interval"),
        krippendorff_alpha(pass_rows, "nominal"),
        kappa,
        score_kappa,
    )


BANDS = ("<60", "60-69", "70-79", "80-89", "90+")


def _band(score: float) -> str:
    if score < 60:
        return BANDS[0]
    if score >= 90:
        return BANDS[4]
    return BANDS[int(score // 10) - 5]


# ---------------------------------------------------------------------------- flags


@dataclass(frozen=True)
class RulePrecision:
    rule: str
    label: str
    open: int
    confirmed: int
    dismissed: int

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return self.confirmed / decided if decided else None


def flag_precision() -> list[RulePrecision]:
    """Per rule: flags open, confirmed, dismissed; precision = confirmed ÷ decided."""
    counts = {
        (r, s): n
        for r, s, n in AutoFlag.objects.order_by()
        .values_list("rule", "status")
        .annotate(n=Count("pk"))
        .values_list("rule", "status", "n")
    }
    return [
        RulePrecision(
            rule.value,
            str(rule.label),
            counts.get((rule.value, FlagStatus.OPEN), 0),
            counts.get((rule.value, FlagStatus.CONFIRMED), 0),
            counts.get((rule.value, FlagStatus.DISMISSED), 0),
        )
        for rule in FlagRule
    ]


# ---------------------------------------------------------------------------- peer test calls


@dataclass(frozen=True)
class PeerCallAggregate:
    peer: str
    calls: int
    answered: int
    answer_rate: float | None
    mean_wait: float | None
    answered_rate: float | None  # question answered ÷ answered calls with an outcome
    mean_ivr_steps: float | None


def peer_call_aggregates(*, period_start: date, period_end: date) -> list[PeerCallAggregate]:
    since, until = _bounds(period_start, period_end)
    calls: dict[str, list[PeerTestCall]] = defaultdict(list)
    for call in PeerTestCall.objects.filter(called_at__gte=since, called_at__lt=until):
        calls[call.peer].append(call)
    out = []
    for peer, rows in sorted(calls.items()):
        answered = [r for r in rows if r.answered]
        waits = [r.wait_seconds for r in answered if r.wait_seconds is not None]
        outcomes = [r.question_answered for r in answered if r.question_answered is not None]
        out.append(
            PeerCallAggregate(
                peer,
                len(rows),
                len(answered),
                len(answered) / len(rows) if rows else None,
                statistics.fmean(waits) if waits else None,
                sum(outcomes) / len(outcomes) if outcomes else None,
                statistics.fmean(r.ivr_steps for r in rows) if rows else None,
            )
        )
    return out
