"""Every state change of the quality context: ``<entity>_<verb>(*, ...)``.

Rules:

* an evaluation keeps the form version it was scored on; publishing a form makes a new version;
* an evaluator never evaluates their own contacts (refused);
* the agent acknowledges or disputes within the dispute window (``QualitySettings``); a late
  dispute is refused with the date the window closed; a dispute goes to a second evaluator,
  never the first one nor the agent;
* the "promise within the service standard" item is checked against the promise ledger: it
  cannot be N/A when a promise is recorded on the contact, and full marks on a promise the
  ledger flagged are kept with a warning in the evidence.
"""

from __future__ import annotations

import csv
import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.private_files import open_private, private_dir
from yuqi.domain.pii import mask_pii
from yuqi.domain.qa_checks import ContactKey, find_phrases, find_promise, repeat_contacts
from yuqi.domain.qa_forms import FormSpec, parse_form, score_answers
from yuqi.domain.sampling import select_sample
from yuqi.quality import ports
from yuqi.quality.choices import (
    EvaluationStatus,
    FlagRule,
    FlagStatus,
    PhraseSeverity,
    ReviewOutcome,
    SampleMethod,
    SubjectKind,
    TaskStatus,
    TrainingSource,
)
from yuqi.quality.models import (
    AutoFlag,
    CalibrationSession,
    CoachingNote,
    Evaluation,
    MysteryTask,
    PeerTestCall,
    PhraseRule,
    QaForm,
    QaFormVersion,
    QualitySettings,
    SampleItem,
    SampleList,
    TrainingRecord,
)

MAX_COMMENT = 2_000
MAX_SUBJECTS = 50
MAX_SAMPLE_PER_AGENT = 20
EVIDENCE_TEXT = 2_000
#: Promise-guard flags that mean "beyond the service standard" (commitments' guard).
OUTSIDE_STANDARD = frozenset(
    {"too_fast", "over_authority", "over_standard_amount", "perk_above_tier"}
)


def quality_settings() -> QualitySettings:
    row, _created = QualitySettings.objects.get_or_create(pk=1)
    return row


# ---------------------------------------------------------------------------- forms


def latest_version(form: QaForm) -> QaFormVersion:
    version = form.versions.order_by("-number").first()
    if version is None:
        raise DomainError(_("This form has no published version."))
    return version


def form_spec(version: QaFormVersion) -> FormSpec:
    return parse_form(version.structure)


@transaction.atomic
def qa_form_publish(*, form: QaForm, structure: Mapping[str, Any], by: Any) -> QaFormVersion:
    """Publish a new version of ``form``; earlier evaluations keep theirs."""
    try:
        spec = parse_form(structure)
    except ValueError as error:
        raise DomainError(_("The form is not valid: %(why)s") % {"why": error}) from None
    QaForm.objects.select_for_update().get(pk=form.pk)
    number = (form.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return QaFormVersion.objects.create(
        form=form,
        number=number,
        structure=dict(structure),
        max_points=spec.max_points,
        published_at=now(),
        published_by=by if getattr(by, "pk", None) else None,
    )


def qa_forms_install_defaults() -> int:
    """Create the built-in forms (version 1) and the default phrases that are missing (the
    data migration does the same on a new database). Returns the number of forms created."""
    from yuqi.quality.defaults import BUILTIN_FORMS, DEFAULT_PHRASES

    created = 0
    for code, name, name_en, kind, structure in BUILTIN_FORMS:
        form, new = QaForm.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "kind": kind, "builtin": True}
        )
        if new or not form.versions.exists():
            qa_form_publish(form=form, structure=structure, by=None)
            created += 1
    for phrase, severity in DEFAULT_PHRASES:
        PhraseRule.objects.get_or_create(phrase=phrase, defaults={"severity": severity})
    return created


# ---------------------------------------------------------------------------- subjects


@dataclass(frozen=True)
class Subject:
    """What an evaluation is about, as gathered from the other contexts' facades."""

    kind: str
    id: int
    label: str
    agent_code: str
    agent_user_id: int | None
    team_code: str
    queue_code: str
    at: datetime | None
    evidence: dict[str, Any] = field(default_factory=dict)
    promises: tuple[Any, ...] = ()


def _clip(text: str) -> str:
    return mask_pii(text or "")[:EVIDENCE_TEXT]


def _contact_subject(c: Any, promises: tuple[Any, ...]) -> Subject:
    """A handled contact (``ports.qa_contacts``) with its promises, as a subject."""
    evidence = {
        "channel": c.channel_label,
        "queue": c.queue_name or c.queue_code,
        "category": c.category,
        "wait_seconds": c.wait_seconds,
        "handle_seconds": c.handle_seconds,
        "first_contact_resolved": c.first_contact_resolved,
        "transferred": c.transferred,
        "notes": _clip(c.notes),
        "promises": [_promise(p) for p in promises],
    }
    return Subject(
        SubjectKind.INTERACTION,
        c.id,
        _("Contact %(id)s") % {"id": c.id},
        c.agent_code,
        c.agent_user_id,
        c.team_code,
        c.queue_code,
        c.arrived_at,
        evidence,
        promises,
    )


def _contact_subjects(ids: Sequence[int]) -> dict[int, Subject]:
    """:func:`subject_for` of many handled contacts: two queries per 500 (the contacts and
    their promises), not two per contact."""
    subjects: dict[int, Subject] = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        promises: dict[int, list[Any]] = defaultdict(list)
        for line in ports.promises_for(interaction_ids=chunk):
            promises[line.interaction_id].append(line)
        for c in ports.qa_contacts(ids=chunk):
            subjects[c.id] = _contact_subject(c, tuple(promises[c.id]))
    return subjects


def subject_for(kind: str, subject_id: int) -> Subject:
    """The contact, ticket or mystery task with its agent and evidence; DomainError if unknown."""
    if kind == SubjectKind.INTERACTION:
        contacts = ports.qa_contacts(ids=[subject_id])
        if not contacts:
            raise DomainError(_("No handled contact %(id)s.") % {"id": subject_id})
        c = contacts[0]
        return _contact_subject(c, tuple(ports.promises_for(interaction_ids=[c.id])))
    if kind == SubjectKind.COMPLAINT:
        ref = ports.complaint_ref(subject_id)
        if ref is None:
            raise DomainError(_("No complaint %(id)s.") % {"id": subject_id})
        agent = ports.agent_for_user(ref.owner_id)
        promises = tuple(ports.promises_for(complaint_ids=[ref.id]))
        evidence = {
            "number": ref.number,
            "state": ref.state_label,
            "level": ref.level_label,
            "category": ref.category,
            "text": _clip(ports.complaint_text(ref.id)),
            "timeline": [
                dict(line, text=_clip(line["text"])) for line in ports.complaint_timeline(ref.id)
            ],
            "promises": [_promise(p) for p in promises],
        }
        return Subject(
            kind,
            ref.id,
            _("Complaint %(number)s") % {"number": ref.number},
            agent.code if agent else "",
            ref.owner_id,
            agent.team_code if agent else "",
            "",
            ref.opened_at,
            evidence,
            promises,
        )
    if kind == SubjectKind.MYSTERY:
        task = MysteryTask.objects.filter(pk=subject_id).first()
        if task is None:
            raise DomainError(_("No mystery-shopping task %(id)s.") % {"id": subject_id})
        agent = (
            ports.agent_refs([task.agent_code]).get(task.agent_code) if task.agent_code else None
        )
        evidence = {
            "scenario": task.scenario[:EVIDENCE_TEXT],
            "script": task.script[:EVIDENCE_TEXT],
            "shopper": task.shopper,
        }
        at = timezone.make_aware(datetime.combine(task.done_on or task.planned_on, time(12)))
        return Subject(
            kind,
            task.pk,
            task.title,
            task.agent_code,
            agent.user_id if agent else None,
            agent.team_code if agent else "",
            "",
            at,
            evidence,
        )
    raise DomainError(_("Unknown subject."), field="subject_kind")


def _promise(line: Any) -> dict[str, Any]:
    return {
        "id": line.id,
        "text": _clip(line.text)[:200],
        "status": line.status_label,
        "flags": list(line.flags),
        "outside_standard": bool(OUTSIDE_STANDARD & set(line.flags)),
    }


def is_own_contact(user: Any, subject: Subject) -> bool:
    """True when ``user`` handled the contact (by account or by their agent work number)."""
    return _handled_by(user, ports.agent_for_user, subject)


def _handled_by(user: Any, agent_for_user: Any, subject: Subject) -> bool:
    if subject.agent_user_id and subject.agent_user_id == user.pk:
        return True
    agent = agent_for_user(user.pk)
    return bool(agent and subject.agent_code and agent.code == subject.agent_code)


# ---------------------------------------------------------------------------- evaluations


def _clean_answers(spec: FormSpec, raw: Mapping[str, Any]) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for item in spec.items:
        value = raw.get(item.key, "")
        if value is None or (isinstance(value, str) and value.strip().lower() in ("na", "n/a")):
            answers[item.key] = None
            continue
        try:
            answers[item.key] = int(str(value).strip())
        except ValueError:
            raise DomainError(
                _("Give %(item)s 0 to %(points)s points.")
                % {"item": item.text, "points": item.points},
                field=item.key,
            ) from None
    return answers


def _score(spec: FormSpec, answers: dict[str, int | None]) -> Any:
    try:
        return score_answers(spec, answers)
    except ValueError as error:
        raise DomainError(_("The answers are not valid: %(why)s") % {"why": error}) from None


def _crosscheck(spec: FormSpec, answers: dict[str, int | None], subject: Subject) -> list[str]:
    warnings: list[str] = []
    for item in spec.items:
        if item.tag != "promise":
            continue
        if answers.get(item.key) is None and subject.promises:
            raise DomainError(
                _(
                    "A promise is recorded on this contact in the promise ledger: "
                    "“%(item)s” cannot be N/A."
                )
                % {"item": item.text},
                field=item.key,
            )
        outside = [p for p in subject.promises if OUTSIDE_STANDARD & set(p.flags)]
        if outside and answers.get(item.key) == item.points:
            warnings.append(
                _("The promise ledger flagged promise %(ids)s as beyond the standard.")
                % {"ids": ", ".join(str(p.id) for p in outside)}
            )
    return warnings


def _text(value: str, limit: int, name: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=name)
    return value


@transaction.atomic
def evaluation_submit(
    *,
    form_version: QaFormVersion,
    subject_kind: str,
    subject_id: int,
    evaluator: Any,
    answers: Mapping[str, Any],
    item_notes: Mapping[str, str] | None = None,
    comment: str = "",
    sample_item: SampleItem | None = None,
    calibration: CalibrationSession | None = None,
    at: datetime | None = None,
) -> Evaluation:
    """Score a contact, ticket or mystery task on a form version (see module rules)."""
    subject = subject_for(subject_kind, subject_id)
    if is_own_contact(evaluator, subject):
        raise DomainError(_("You cannot evaluate your own contacts."), code="own_contact")
    row = _evaluation_row(
        form_version=form_version,
        spec=form_spec(form_version),
        subject=subject,
        evaluator=evaluator,
        answers=answers,
        item_notes=item_notes,
        comment=comment,
        sample_item=sample_item,
        calibration=calibration,
        at=at or now(),
        dispute_days=None if calibration is not None else quality_settings().dispute_days,
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            return row
    except IntegrityError:
        raise DomainError(_("You already scored this contact in this session.")) from None


@dataclass(frozen=True)
class EvaluationDraft:
    """One evaluation of a handled contact for :func:`evaluations_submit`."""

    contact_id: int
    evaluator: Any
    answers: Mapping[str, Any]
    comment: str = ""
    at: datetime | None = None


def evaluations_submit(
    *, form_version: QaFormVersion, drafts: Sequence[EvaluationDraft]
) -> list[Evaluation | DomainError]:
    """:func:`evaluation_submit` of many contacts at once, outside any sample or calibration
    session (the demo's month of evaluations): the same checks, evidence, score and row per
    draft, in the drafts' order, the refused ones answered by their ``DomainError`` in their
    place. The contacts and their promises are read in bulk, each evaluator's agent once,
    the settings once, and the rows inserted with one ``bulk_create`` (then ``post_save`` sent
    for each, as ``save()`` sends it: the audit log records them as before)."""
    subjects = _contact_subjects([d.contact_id for d in drafts])
    spec = form_spec(form_version)
    dispute_days = quality_settings().dispute_days
    agents: dict[Any, Any] = {}

    def agent_for_user(user_id: Any) -> Any:
        if user_id not in agents:
            agents[user_id] = ports.agent_for_user(user_id)
        return agents[user_id]

    out: list[Evaluation | DomainError] = []
    for draft in drafts:
        try:
            subject = subjects.get(draft.contact_id)
            if subject is None:
                raise DomainError(_("No handled contact %(id)s.") % {"id": draft.contact_id})
            if _handled_by(draft.evaluator, agent_for_user, subject):
                raise DomainError(_("You cannot evaluate your own contacts."), code="own_contact")
            out.append(
                _evaluation_row(
                    form_version=form_version,
                    spec=spec,
                    subject=subject,
                    evaluator=draft.evaluator,
                    answers=draft.answers,
                    item_notes=None,
                    comment=draft.comment,
                    sample_item=None,
                    calibration=None,
                    at=draft.at or now(),
                    dispute_days=dispute_days,
                )
            )
        except DomainError as error:
            out.append(error)
    rows = [row for row in out if isinstance(row, Evaluation)]
    with transaction.atomic():
        Evaluation.objects.bulk_create(rows)
        # what ``save()`` would have sent after each insert (the audit log's entry)
        for row in rows:
            post_save.send(
                sender=Evaluation,
                instance=row,
                created=True,
                update_fields=None,
                raw=False,
                using=row._state.db,
            )
    return out


def _evaluation_row(
    *,
    form_version: QaFormVersion,
    spec: FormSpec,
    subject: Subject,
    evaluator: Any,
    answers: Mapping[str, Any],
    item_notes: Mapping[str, str] | None,
    comment: str,
    sample_item: SampleItem | None,
    calibration: CalibrationSession | None,
    at: datetime,
    dispute_days: int | None,
) -> Evaluation:
    """The checked, scored, unsaved evaluation (``DomainError`` if the answers are refused);
    ``dispute_days`` None in a calibration session (no dispute window)."""
    clean = _clean_answers(spec, answers)
    score = _score(spec, clean)
    warnings = _crosscheck(spec, clean, subject)
    notes = {
        key: _text(str(text), 500, key)
        for key, text in (item_notes or {}).items()
        if key in clean and str(text).strip()
    }
    evidence = dict(subject.evidence, warnings=warnings)
    if calibration is not None:
        status, until = EvaluationStatus.CALIBRATION, None
    else:
        status = EvaluationStatus.SUBMITTED
        until = at + timedelta(days=dispute_days or 0)
    return Evaluation(
        form_version=form_version,
        subject_kind=subject.kind,
        subject_id=subject.id,
        agent_code=subject.agent_code,
        agent_user_id=subject.agent_user_id,
        team_code=subject.team_code,
        queue_code=subject.queue_code,
        contact_at=subject.at,
        evaluator=evaluator,
        answers=clean,
        item_notes=notes,
        earned=score.earned,
        possible=score.possible,
        score=None if score.percent is None else Decimal(f"{score.percent:.1f}"),
        auto_failed=score.auto_failed,
        comment=_text(comment, MAX_COMMENT, "comment"),
        evidence=evidence,
        status=status,
        sample_item=sample_item,
        calibration=calibration,
        submitted_at=at,
        dispute_until=until,
    )


def is_agent_of(user: Any, evaluation: Evaluation) -> bool:
    if evaluation.agent_user_id and evaluation.agent_user_id == user.pk:
        return True
    agent = ports.agent_for_user(user.pk)
    return bool(agent and evaluation.agent_code and agent.code == evaluation.agent_code)


def _locked(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk)


def _answerable(row: Evaluation, by: Any, at: datetime) -> None:
    if not is_agent_of(by, row):
        raise DomainError(_("Only the evaluated agent can answer an evaluation."), code="forbidden")
    if row.status != EvaluationStatus.SUBMITTED:
        raise DomainError(_("This evaluation was already answered."), code="state")


@transaction.atomic
def evaluation_acknowledge(
    *, evaluation: Evaluation, by: Any, at: datetime | None = None
) -> Evaluation:
    row = _locked(evaluation)
    at = at or now()
    _answerable(row, by, at)
    row.status, row.acknowledged_at = EvaluationStatus.ACKNOWLEDGED, at
    row.save(update_fields=["status", "acknowledged_at"])
    return row


@transaction.atomic
def evaluation_dispute(
    *, evaluation: Evaluation, by: Any, reason: str, at: datetime | None = None
) -> Evaluation:
    """The agent disputes; refused after the window, with the date it closed."""
    row = _locked(evaluation)
    at = at or now()
    _answerable(row, by, at)
    if row.dispute_until and at > row.dispute_until:
        closed = date_format(timezone.localtime(row.dispute_until), "DATETIME_FORMAT")
        raise DomainError(
            _("The dispute window closed on %(date)s.") % {"date": closed}, code="window_closed"
        )
    reason = _text(reason, MAX_COMMENT, "reason")
    if not reason:
        raise DomainError(_("Say why you dispute the evaluation."), field="reason")
    row.status, row.disputed_at, row.dispute_reason = EvaluationStatus.DISPUTED, at, reason
    row.save(update_fields=["status", "disputed_at", "dispute_reason"])
    return row


@transaction.atomic
def evaluation_review(
    *,
    evaluation: Evaluation,
    by: Any,
    answers: Mapping[str, Any] | None,
    comment: str,
    at: datetime | None = None,
) -> Evaluation:
    """A second evaluator settles a dispute: keep the score (``answers`` None) or rescore on
    the same form version."""
    row = _locked(evaluation)
    if row.status != EvaluationStatus.DISPUTED:
        raise DomainError(_("Only a disputed evaluation can be reviewed."), code="state")
    if by.pk == row.evaluator_id:
        raise DomainError(_("A dispute goes to a second evaluator, not the first one."))
    if is_agent_of(by, row):
        raise DomainError(_("You cannot evaluate your own contacts."), code="own_contact")
    row.original_score = row.score
    outcome = ReviewOutcome.UPHELD
    if answers is not None:
        spec = form_spec(row.form_version)
        clean = _clean_answers(spec, answers)
        score = _score(spec, clean)
        if clean != row.answers:
            outcome = ReviewOutcome.CHANGED
            row.answers, row.earned, row.possible = clean, score.earned, score.possible
            row.score = None if score.percent is None else Decimal(f"{score.percent:.1f}")
            row.auto_failed = score.auto_failed
    row.status, row.reviewer, row.review_outcome = EvaluationStatus.REVIEWED, by, outcome
    row.review_comment = _text(comment, MAX_COMMENT, "comment")
    row.reviewed_at = at or now()
    row.save()
    return row


# ---------------------------------------------------------------------------- sampling


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


@transaction.atomic
def sample_draw(
    *,
    name: str,
    method: str,
    period_start: date,
    period_end: date,
    per_agent: int,
    seed: int,
    by: Any,
) -> SampleList:
    """Draw a sample list of contacts (or tickets) per agent.

    random: ``per_agent`` contacts per agent, simple random; stratified: per agent and queue
    (each agent × queue stratum gets its share, at least one); targeted methods take the
    agent's contacts that match (complaints they own, low survey answers, the longest handle
    times — above the 90th percentile of their queue —, broken promises), at random among them.
    Seeded with :func:`yuqi.domain.sampling.select_sample`: the same seed gives the same list.
    """
    if method not in SampleMethod.values:
        raise DomainError(_("Unknown sampling method."), field="method")
    if period_end < period_start or (period_end - period_start).days > 92:
        raise DomainError(_("Choose a period of at most 92 days."), field="period_end")
    if not 1 <= per_agent <= MAX_SAMPLE_PER_AGENT:
        raise DomainError(
            _("Between 1 and %(n)s per agent.") % {"n": MAX_SAMPLE_PER_AGENT}, field="per_agent"
        )
    name = _text(name, 120, "name") or _("Sample")
    start, end = _day_bounds(period_start, period_end)
    frames, reasons, queues, kind = _frames(method, start, end)
    population: dict[Any, list[int]] = {k: v for k, v in frames.items() if v}
    if method == SampleMethod.STRATIFIED:
        by_agent: dict[str, int] = defaultdict(int)
        for agent, _queue in population:
            by_agent[agent] += 1
        sizes = {
            key: min(len(ids), max(1, round(per_agent / by_agent[key[0]])))
            for key, ids in population.items()
        }
    else:
        sizes = {key: min(len(ids), per_agent) for key, ids in population.items()}
    drawn = select_sample(population, sizes, seed=seed)
    sample = SampleList.objects.create(
        name=name,
        method=method,
        period_start=period_start,
        period_end=period_end,
        per_agent=per_agent,
        seed=seed,
        created_by=by,
        created_at=now(),
    )
    SampleItem.objects.bulk_create(
        SampleItem(
            sample=sample,
            subject_kind=kind,
            subject_id=unit,
            agent_code=key[0] if isinstance(key, tuple) else key,
            queue_code=queues.get(unit, ""),
            reason=reasons.get(unit, "")[:200],
        )
        for key, units in drawn.units.items()
        for unit in units
    )
    return sample


def _frames(
    method: str, start: datetime, end: datetime
) -> tuple[dict[Any, list[int]], dict[int, str], dict[int, str], str]:
    frames: dict[Any, list[int]] = defaultdict(list)
    reasons: dict[int, str] = {}
    queues: dict[int, str] = {}
    if method == SampleMethod.COMPLAINTS:
        refs = ports.complaints_opened(start, end)
        agents = {r.owner_id: ports.agent_for_user(r.owner_id) for r in refs if r.owner_id}
        for ref in refs:
            agent = agents.get(ref.owner_id)
            if agent is None:
                continue
            frames[agent.code].append(ref.id)
            reasons[ref.id] = _("Complaint %(number)s") % {"number": ref.number}
        return frames, reasons, queues, SubjectKind.COMPLAINT
    contacts = ports.qa_contacts(start=start, end=end)
    if method == SampleMethod.LONG_HANDLE:
        by_queue: dict[str, list[int]] = defaultdict(list)
        for c in contacts:
            by_queue[c.queue_code].append(c.handle_seconds)
        cut = {q: sorted(v)[int(0.9 * (len(v) - 1))] for q, v in by_queue.items() if v}
        contacts = [c for c in contacts if c.handle_seconds > cut.get(c.queue_code, 0)]
        for c in contacts:
            reasons[c.id] = _("Handle time %(s)s s") % {"s": c.handle_seconds}
    elif method == SampleMethod.BROKEN_PROMISE:
        broken = ports.broken_promise_contacts([c.id for c in contacts])
        contacts = [c for c in contacts if c.id in broken]
        for c in contacts:
            reasons[c.id] = _("Broken promise")
    elif method == SampleMethod.LOW_SURVEY:
        low = ports.low_survey_contacts([c.id for c in contacts])
        contacts = [c for c in contacts if c.id in low]
        for c in contacts:
            reasons[c.id] = _("Low survey answer: %(v)s") % {"v": low[c.id]}
    for c in contacts:
        key = (c.agent_code, c.queue_code) if method == SampleMethod.STRATIFIED else c.agent_code
        frames[key].append(c.id)
        queues[c.id] = c.queue_code
    return frames, reasons, queues, SubjectKind.INTERACTION


# ---------------------------------------------------------------------------- calibration


@transaction.atomic
def calibration_create(
    *,
    name: str,
    form_version: QaFormVersion,
    subjects: Sequence[tuple[str, int]],
    evaluators: Iterable[Any],
    by: Any,
) -> CalibrationSession:
    subjects = list(dict.fromkeys((str(k), int(i)) for k, i in subjects))
    if not subjects:
        raise DomainError(_("Choose at least one contact."), field="subjects")
    if len(subjects) > MAX_SUBJECTS:
        raise DomainError(_("At most %(n)s contacts.") % {"n": MAX_SUBJECTS}, field="subjects")
    for kind, subject_id in subjects:
        subject_for(kind, subject_id)  # refuses unknown ones
    session = CalibrationSession.objects.create(
        name=_text(name, 120, "name") or _("Calibration"),
        form_version=form_version,
        subjects=[[k, i] for k, i in subjects],
        created_by=by,
        created_at=now(),
    )
    session.evaluators.set(list(evaluators))
    return session


def calibration_score(
    *,
    session: CalibrationSession,
    evaluator: Any,
    subject_kind: str,
    subject_id: int,
    answers: Mapping[str, Any],
    comment: str = "",
    at: datetime | None = None,
) -> Evaluation:
    if [subject_kind, subject_id] not in session.subjects:
        raise DomainError(_("This contact is not part of the session."))
    if not session.evaluators.filter(pk=evaluator.pk).exists():
        raise DomainError(_("You are not an evaluator of this session."), code="forbidden")
    return evaluation_submit(
        form_version=session.form_version,
        subject_kind=subject_kind,
        subject_id=subject_id,
        evaluator=evaluator,
        answers=answers,
        comment=comment,
        calibration=session,
        at=at,
    )


# ---------------------------------------------------------------------------- automatic checks


def phrase_rule_add(*, phrase: str, severity: str) -> PhraseRule:
    phrase = _text(phrase, 60, "phrase")
    if not phrase:
        raise DomainError(_("Enter a phrase."), field="phrase")
    if severity not in PhraseSeverity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    row, _created = PhraseRule.objects.update_or_create(
        phrase=phrase, defaults={"severity": severity, "active": True}
    )
    return row


def phrase_rule_toggle(*, rule: PhraseRule) -> PhraseRule:
    rule.active = not rule.active
    rule.save(update_fields=["active"])
    return rule


@dataclass(frozen=True)
class CheckRun:
    scanned_contacts: int
    scanned_complaints: int
    created: int
    scanned_notes: int = 0


def _flag(
    rows: list[AutoFlag],
    rule: str,
    kind: str,
    sid: int,
    key: str,
    detail: str,
    agent: str,
    at: datetime,
) -> None:
    rows.append(
        AutoFlag(
            rule=rule,
            subject_kind=kind,
            subject_id=sid,
            key=key[:80],
            detail=detail[:300],
            agent_code=agent,
            found_at=at,
        )
    )


def checks_run(*, since: datetime, until: datetime | None = None) -> CheckRun:
    """Scan contacts, tickets and the notes written on tickets from ``since``: phrases,
    unrecorded promises, repeats.
    Idempotent: a flag already raised (rule, subject, what matched) is not raised again."""
    until = until or now()
    at = now()
    phrases = list(PhraseRule.objects.filter(active=True).values_list("phrase", flat=True))
    window = quality_settings().repeat_contact_days
    contacts = ports.qa_contacts(start=since - timedelta(days=window), end=until)
    recent = [c for c in contacts if c.arrived_at >= since]
    promised = ports.promised_contacts([c.id for c in recent])
    flags: list[AutoFlag] = []
    for c in recent:
        for phrase in find_phrases(c.notes, phrases):
            _flag(
                flags,
                FlagRule.PHRASE,
                SubjectKind.INTERACTION,
                c.id,
                phrase,
                _("“%(p)s” in the notes") % {"p": phrase},
                c.agent_code,
                at,
            )
        words = find_promise(c.notes)
        if words and c.id not in promised:
            _flag(
                flags,
                FlagRule.UNRECORDED_PROMISE,
                SubjectKind.INTERACTION,
                c.id,
                "promise",
                _("“%(w)s” in the notes, no promise recorded") % {"w": words},
                c.agent_code,
                at,
            )
    keys = [
        ContactKey(c.id, c.customer_id, c.category, c.arrived_at) for c in contacts if c.customer_id
    ]
    by_id = {c.id: c for c in contacts}
    for contact_id, first_id in repeat_contacts(keys, days=window).items():
        again, first = by_id.get(contact_id), by_id.get(first_id)
        # the contact to review is the first one, which its agent marked resolved
        if again is None or first is None or again.arrived_at < since:
            continue
        if first.first_contact_resolved is not True:
            continue
        _flag(
            flags,
            FlagRule.REPEAT_CONTACT,
            SubjectKind.INTERACTION,
            first.id,
            first.category,
            _(
                "Marked resolved, but the customer called again on “%(cat)s” within %(d)s "
                "days (contact %(again)s)"
            )
            % {"cat": first.category, "again": again.id, "d": window},
            first.agent_code,
            at,
        )
    texts = ports.complaint_texts_since(since, until)
    for complaint_id, (text, agent_code) in texts.items():
        for phrase in find_phrases(text, phrases):
            _flag(
                flags,
                FlagRule.PHRASE,
                SubjectKind.COMPLAINT,
                complaint_id,
                phrase,
                _("“%(p)s” in the complaint text") % {"p": phrase},
                agent_code,
                at,
            )
    notes = ports.ticket_notes_since(since, until)
    for event_id, complaint_id, text, agent_code in notes:
        for phrase in find_phrases(text, phrases):
            _flag(
                flags,
                FlagRule.PHRASE,
                SubjectKind.COMPLAINT,
                complaint_id,
                f"{phrase}#{event_id}",  # one flag per note: two notes are two reviews
                _("“%(p)s” in a note on the ticket: %(text)s") % {"p": phrase, "text": text},
                agent_code,
                at,
            )
    before = AutoFlag.objects.count()
    AutoFlag.objects.bulk_create(flags, ignore_conflicts=True)
    return CheckRun(len(recent), len(texts), AutoFlag.objects.count() - before, len(notes))


@transaction.atomic
def flag_decide(*, flag: AutoFlag, by: Any, confirm: bool) -> AutoFlag:
    row = AutoFlag.objects.select_for_update().get(pk=flag.pk)
    row.status = FlagStatus.CONFIRMED if confirm else FlagStatus.DISMISSED
    row.decided_by, row.decided_at = by, now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    return row


# ---------------------------------------------------------------------------- mystery shopping


def mystery_task_create(
    *,
    title: str,
    scenario: str,
    script: str,
    shopper: str,
    channel: str,
    planned_on: date,
    form: QaForm,
    by: Any,
) -> MysteryTask:
    title, shopper = _text(title, 120, "title"), _text(shopper, 80, "shopper")
    if not title or not shopper:
        raise DomainError(_("A task needs a title and a named shopper."), field="shopper")
    return MysteryTask.objects.create(
        title=title,
        scenario=_text(scenario, MAX_COMMENT, "scenario"),
        script=_text(script, MAX_COMMENT, "script"),
        shopper=shopper,
        channel=_text(channel, 20, "channel"),
        planned_on=planned_on,
        form=form,
        created_by=by,
    )


@transaction.atomic
def mystery_task_score(
    *,
    task: MysteryTask,
    evaluator: Any,
    answers: Mapping[str, Any],
    agent_code: str,
    done_on: date,
    comment: str = "",
) -> Evaluation:
    row = MysteryTask.objects.select_for_update().get(pk=task.pk)
    if row.status == TaskStatus.DONE:
        raise DomainError(_("This task was already scored."), code="state")
    agent_code = _text(agent_code, 40, "agent_code")
    if agent_code and agent_code not in ports.agent_refs([agent_code]):
        raise DomainError(_("Unknown agent work number."), field="agent_code")
    row.agent_code, row.done_on, row.status = agent_code, done_on, TaskStatus.DONE
    row.save(update_fields=["agent_code", "done_on", "status"])
    return evaluation_submit(
        form_version=latest_version(row.form),
        subject_kind=SubjectKind.MYSTERY,
        subject_id=row.pk,
        evaluator=evaluator,
        answers=answers,
        comment=comment,
        at=timezone.make_aware(datetime.combine(done_on, time(18))),
    )


def peer_call_log(
    *,
    peer: str,
    called_at: datetime,
    number_called: str,
    answered: bool,
    wait_seconds: int | None,
    ivr_steps: int,
    question_answered: bool | None,
    notes: str,
    by: Any,
) -> PeerTestCall:
    peer = _text(peer, 120, "peer")
    if not peer:
        raise DomainError(_("Name the peer centre."), field="peer")
    if wait_seconds is not None and not 0 <= wait_seconds <= 7200:
        raise DomainError(_("Wait must be 0 to 7200 seconds."), field="wait_seconds")
    if not 0 <= ivr_steps <= 30:
        raise DomainError(_("IVR steps must be 0 to 30."), field="ivr_steps")
    if called_at > now() + timedelta(minutes=5):
        raise DomainError(_("A test call cannot be in the future."), field="called_at")
    return PeerTestCall.objects.create(
        peer=peer,
        called_at=called_at,
        number_called=_text(number_called, 30, "number_called"),
        answered=answered,
        wait_seconds=wait_seconds if answered else None,
        ivr_steps=ivr_steps,
        question_answered=question_answered if answered else None,
        notes=_text(notes, MAX_COMMENT, "notes"),
        caller=by,
    )


@dataclass(frozen=True)
class PeerPublish:
    peers: int
    values: int


def peer_calls_publish(*, period_start: date, period_end: date) -> PeerPublish:
    """Turn the period's test calls into peer indicator values with their provenance:
    answer rate (answered ÷ calls), ASA (mean wait of answered calls), FCR (question answered
    ÷ answered calls with an outcome), through the insights facade."""
    from yuqi.quality.selectors import peer_call_aggregates

    rows = peer_call_aggregates(period_start=period_start, period_end=period_end)
    records = []
    for row in rows:
        source = _("Mystery-shopper test calls: %(n)s calls, %(a)s – %(b)s") % {
            "n": row.calls,
            "a": period_start.isoformat(),
            "b": period_end.isoformat(),
        }
        for indicator, value in (
            ("answer_rate", row.answer_rate),
            ("asa_seconds", row.mean_wait),
            ("fcr", row.answered_rate),
        ):
            if value is not None:
                records.append(
                    {
                        "peer": row.peer,
                        "indicator": indicator,
                        "period_start": period_start,
                        "period_end": period_end,
                        "value": Decimal(f"{value:.4f}"),
                        "source": source[:200],
                    }
                )
    if records:
        ports.peer_values_record(records)
    return PeerPublish(len(rows), len(records))


# ---------------------------------------------------------------------------- coaching, training


def coaching_note_add(
    *,
    agent_code: str,
    coach: Any,
    topic: str,
    note: str,
    coached_on: date,
    follow_up_on: date | None = None,
    evaluation: Evaluation | None = None,
) -> CoachingNote:
    if agent_code not in ports.agent_refs([agent_code]):
        raise DomainError(_("Unknown agent work number."), field="agent_code")
    topic, note = _text(topic, 120, "topic"), _text(note, MAX_COMMENT, "note")
    if not topic or not note:
        raise DomainError(_("A coaching note needs a topic and a note."), field="note")
    if follow_up_on is not None and follow_up_on < coached_on:
        raise DomainError(_("The follow-up cannot be before the coaching."), field="follow_up_on")
    return CoachingNote.objects.create(
        agent_code=agent_code,
        coach=coach,
        topic=topic,
        note=note,
        coached_on=coached_on,
        follow_up_on=follow_up_on,
        evaluation=evaluation,
    )


def coaching_follow_up_done(*, note: CoachingNote, at: datetime | None = None) -> CoachingNote:
    note.followed_up_at = at or now()
    note.save(update_fields=["followed_up_at"])
    return note


TRAINING_ERRORS_SHOWN = 5


@dataclass(frozen=True)
class TrainingImport:
    """An import of training records: the run (counts) and its first rejected rows as
    (row, column, reason)."""

    run: Any
    rejected: list[tuple[str, str, str]]


def training_file_import(*, name: str, content: IO[bytes], by: Any) -> TrainingImport:
    """Import an uploaded file of training records now, through the shared import engine
    (such files are small: a row per agent, course and date), for whoever may enter training
    records (supervisors too, who have no imports page). Returns the run's counts and the
    first rejected rows with their reasons."""
    from yuqi.imports.engine import import_file
    from yuqi.imports.importers import get_importer
    from yuqi.imports.retention import uploads_folder
    from yuqi.imports.services import import_run_create

    folder = private_dir(uploads_folder())
    path = folder / f"{uuid.uuid4().hex}-training{Path(name).suffix.lower()[:6]}"
    with open_private(path, "wb") as handle:
        for chunk in iter(lambda: content.read(1 << 20), b""):
            handle.write(chunk)
    run = import_run_create(kind="training", file_name=Path(name).name, path=path, by=by)
    run = import_file(importer=get_importer("training"), path=path, run=run)
    rejected: list[tuple[str, str, str]] = []
    if run.error_report and Path(run.error_report).is_file():
        with Path(run.error_report).open(encoding="utf-8-sig", newline="") as report:
            for line in itertools.islice(csv.DictReader(report), TRAINING_ERRORS_SHOWN):
                rejected.append((line["row"], line["column"], line["reason"]))
    return TrainingImport(run, rejected)


def training_record_add(
    *,
    agent_code: str,
    course: str,
    hours: Decimal,
    taken_on: date,
    result: str = "",
    source: str = TrainingSource.ENTERED,
) -> TrainingRecord:
    if agent_code not in ports.agent_refs([agent_code]):
        raise DomainError(_("Unknown agent work number."), field="agent_code")
    course = _text(course, 120, "course")
    if not course:
        raise DomainError(_("Name the course."), field="course")
    if not Decimal("0") < Decimal(hours) <= Decimal("200"):
        raise DomainError(_("Hours must be above 0 and at most 200."), field="hours")
    row, _created = TrainingRecord.objects.update_or_create(
        agent_code=agent_code,
        course=course,
        taken_on=taken_on,
        defaults={
            "hours": Decimal(hours),
            "result": _text(result, 60, "result"),
            "source": source,
            "created_at": now(),
        },
    )
    return row
