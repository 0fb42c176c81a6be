"""Every write of the text-mining context: analyses, labels, training, theme runs.

The pure pipeline (``yuqi.domain.text``) does the work; this module reads complaint texts
through the complaints facade, stores only masked text and structured fields, and keeps the
classifier versions.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from yuqi.core.clock import day_start, now
from yuqi.core.errors import DomainError
from yuqi.domain.text.analyse import ComplaintAnalysis as Analysed
from yuqi.domain.text.analyse import analyse_complaint
from yuqi.domain.text.reasonable import screen
from yuqi.domain.text.taxonomy import OTHER, default_taxonomy
from yuqi.domain.text.themes import discover_themes
from yuqi.textmining.models import (
    AnalysisSource,
    ComplaintAnalysis,
    ComplaintLabel,
    ModelStatus,
    TextModel,
    ThemeRun,
)
from yuqi.textmining.models_store import load_model, save_model

if TYPE_CHECKING:  # the classifier imports scikit-learn and SciPy (about 1 s): they are
    # imported when a model is trained or loaded, not by every process that starts Django
    from yuqi.domain.text.classifier import TrainedModel

log = logging.getLogger(__name__)

DUPLICATE_WINDOW_DAYS = 30
MIN_LABELS = 2  # distinct labels
MIN_EXAMPLES = 2  # examples of each of them
FOLDS = 5
TRAINING_TIMEOUT = dt.timedelta(hours=1)  # a training older than this is taken as lost


# ------------------------------------------------------------------- the active model
def active_model() -> tuple[TextModel | None, TrainedModel | None]:
    """The active version and its loaded classifier, or ``(None, None)`` (rules only)."""
    row = TextModel.objects.filter(status=ModelStatus.ACTIVE).first()
    if row is None or not row.file_name:
        return None, None
    try:
        return row, load_model(row.file_name)
    except (OSError, ValueError):
        log.exception("text model v%s could not be loaded; using the rules", row.version)
        return None, None


# ------------------------------------------------------------------------ analyses
def _category(result: Analysed) -> tuple[str, float, list[list[Any]], str]:
    if result.prediction is not None:
        p = result.prediction
        top = [[label, round(conf, 4)] for label, conf in p.top3]
        return p.label, round(p.confidence, 4), top, AnalysisSource.MODEL
    roots = [hit for hit in result.rule_hits if "." not in hit.code]
    if not roots:
        return OTHER, 0.0, [], AnalysisSource.RULES
    top = [[hit.code, hit.score] for hit in roots[:3]]
    return roots[0].code, roots[0].score, top, AnalysisSource.RULES


def _extraction_fields(result: Analysed) -> dict[str, Any]:
    ex = result.extraction
    outcomes = [
        {
            "kind": o.kind,
            "confidence": o.confidence,
            "matched": o.matched,
            "amount": str(o.amount) if o.amount is not None else None,
            "currency": o.currency,
        }
        for o in ex.outcomes
    ]
    with_amount = next((o for o in ex.outcomes if o.amount is not None), None)
    wanted = ex.wanted_time
    promise = ex.quoted_promise
    return {
        "wanted_outcomes": outcomes,
        "wanted_by": wanted.deadline if wanted else None,
        "wanted_by_confidence": wanted.confidence if wanted else None,
        "wanted_by_span": (wanted.matched[:100] if wanted else ""),
        "amount": with_amount.amount if with_amount else None,
        "amount_confidence": with_amount.confidence if with_amount else None,
        "target": ex.target.kind if ex.target else "",
        "target_confidence": ex.target.confidence if ex.target else None,
        "quoted_promise": _promise_fields(promise) if promise else {},
    }


def _promise_fields(promise: Any) -> dict[str, Any]:
    return {
        "kind": promise.kind,
        "matched": promise.matched[:200],
        "confidence": promise.confidence,
        "time_phrase": promise.time_phrase[:100],
        "deadline": promise.deadline.isoformat() if promise.deadline else None,
        "within": promise.within,
        "within_unit": promise.within_unit,
    }


def _signals(result: Analysed) -> dict[str, Any]:
    s = result.signals
    return {
        "anger": s.anger,
        "threats": [{"kind": t.kind, "matched": t.matched} for t in s.threats],
        "repeat": s.repeat,
        "repeat_count": s.repeat_count,
        "reasons": list(s.reasons),
    }


def _reasonable(
    complaint_id: int, customer_id: int, opened_at: dt.datetime, masked: str, kept: dict
) -> dict[str, Any]:
    """Spam and near-duplicate flags (against the same customer's earlier complaints);
    the handler's mark (``kept``) survives re-analysis."""
    earlier = (
        ComplaintAnalysis.objects.filter(
            complaint__customer_id=customer_id,
            complaint__opened_at__lt=opened_at,
            complaint__opened_at__gte=opened_at - dt.timedelta(days=DUPLICATE_WINDOW_DAYS),
        )
        .exclude(complaint_id=complaint_id)
        .values_list("complaint_id", "masked_text")
    )
    return _flags(complaint_id, masked, list(earlier), kept)


def _flags(
    complaint_id: int, masked: str, earlier: list[tuple[int, str]], kept: dict
) -> dict[str, Any]:
    screening = screen([masked], keys=[complaint_id], previous=earlier)[0]
    spam = [f.code for f in screening.flags if f.code not in ("duplicate", "unreasonable")]
    flags: dict[str, Any] = {"spam": spam, "duplicate_of": screening.duplicate_of}
    for key in ("unreasonable", "unreasonable_by", "unreasonable_at", "unreasonable_note"):
        if key in kept:
            flags[key] = kept[key]
    return flags


def _fields(result: Analysed, model_row: TextModel | None) -> dict[str, Any]:
    """The stored fields of an analysis but its reasonable flags and time stamp."""
    category, confidence, top3, source = _category(result)
    return {
        "masked_text": result.masked_text,
        "category": category,
        "confidence": confidence,
        "top3": top3,
        "source": source,
        "model": model_row if source == AnalysisSource.MODEL else None,
        **_extraction_fields(result),
        "signals": _signals(result),
    }


def _store(
    complaint_id: int, text: Any, result: Analysed, model_row: TextModel | None
) -> ComplaintAnalysis:
    existing = ComplaintAnalysis.objects.select_for_update().filter(complaint_id=complaint_id)
    kept = existing.values_list("reasonable", flat=True).first() or {}
    fields = {
        **_fields(result, model_row),
        "reasonable": _reasonable(
            complaint_id, text.customer_id, text.opened_at, result.masked_text, kept
        ),
        "analysed_at": now(),
    }
    analysis, _created = ComplaintAnalysis.objects.update_or_create(
        complaint_id=complaint_id, defaults=fields
    )
    return analysis


@dataclass
class _Earlier:
    """An analysis of one of the batch's customers, as :func:`_reasonable` reads it."""

    complaint_id: int
    opened_at: dt.datetime
    masked_text: str
    analysed_at: dt.datetime


def _update_fields(fields: dict[str, Any]) -> set[str]:
    """The fields ``update_or_create(defaults=fields)`` saves an existing row with: the
    defaults and every field that sets itself before saving (``pre_save``)."""
    from django.db.models import Field

    names = set(fields)
    for field in ComplaintAnalysis._meta.local_concrete_fields:
        if not (field.primary_key or field.__class__.pre_save is Field.pre_save):
            names.add(field.name)
            if field.name != field.attname:
                names.add(field.attname)
    return names


def _store_many(items: list[tuple[int, Any, Analysed]], model_row: TextModel | None) -> None:
    """:func:`_store` for a batch of ``(complaint id, text, result)`` in one transaction, in
    order: the same rows, flags and audit entries (each row created or saved as
    ``update_or_create`` does), but the existing analyses and the customers' earlier ones
    read in two queries, not three per complaint. The earlier analyses are kept up to date
    in memory as the batch stores its own, in :func:`_reasonable`'s order (the latest
    analysed first), so a complaint sees the ones stored before it in the batch."""
    if not items:
        return
    ids = [pk for pk, _text, _result in items]
    existing = {
        row.complaint_id: row
        for row in ComplaintAnalysis.objects.select_for_update().filter(complaint_id__in=ids)
    }
    window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    opened = [text.opened_at for _pk, text, _result in items]
    earlier: dict[int, dict[int, _Earlier]] = {}
    rows = ComplaintAnalysis.objects.filter(
        complaint__customer_id__in={text.customer_id for _pk, text, _result in items},
        complaint__opened_at__lt=max(opened),
        complaint__opened_at__gte=min(opened) - window,
    ).values_list(
        "complaint_id",
        "complaint__customer_id",
        "complaint__opened_at",
        "masked_text",
        "analysed_at",
    )
    for complaint_id, customer_id, opened_at, masked, analysed_at in rows:
        earlier.setdefault(customer_id, {})[complaint_id] = _Earlier(
            complaint_id, opened_at, masked, analysed_at
        )
    for pk, text, result in items:
        fields = _fields(result, model_row)
        row = existing.get(pk)
        kept = (row.reasonable if row is not None else None) or {}
        mine = earlier.setdefault(text.customer_id, {})
        previous = sorted(
            (
                e
                for e in mine.values()
                if e.complaint_id != pk and text.opened_at - window <= e.opened_at < text.opened_at
            ),
            key=lambda e: e.analysed_at,
            reverse=True,
        )
        fields["reasonable"] = _flags(
            pk, result.masked_text, [(e.complaint_id, e.masked_text) for e in previous], kept
        )
        fields["analysed_at"] = now()
        if row is None:
            ComplaintAnalysis(complaint_id=pk, **fields).save(force_insert=True)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=_update_fields(fields))
        mine[pk] = _Earlier(pk, text.opened_at, result.masked_text, fields["analysed_at"])


@transaction.atomic
def analysis_run(*, complaint_id: int, model: tuple | None = None) -> ComplaintAnalysis:
    """Analyse one complaint's account and demand with the active model (rules without one)
    and store the result; running it again replaces the analysis, keeping the handler's mark.

    ``model`` is ``(TextModel row, TrainedModel)`` to use instead of the active one."""
    from yuqi.complaints.facade import complaint_texts

    text = complaint_texts([complaint_id]).get(complaint_id)
    if text is None:
        raise DomainError(_("Unknown complaint."), field="complaint")
    row, trained = model if model is not None else active_model()
    result = analyse_complaint(text.text, localtime(text.opened_at), model=trained)
    return _store(complaint_id, text, result, row)


def _analyse_many(ids: list[int], model: tuple) -> int:
    """Analyse a batch: texts read in one facade call, the classifier run in one batch
    (same result as ``analysis_run`` one by one, several times faster)."""
    from yuqi.complaints.facade import complaint_texts

    row, trained = model
    texts = complaint_texts(ids)
    # Wanted times ("今天之内") are resolved in the centre's local time zone.
    results = {pk: analyse_complaint(t.text, localtime(t.opened_at)) for pk, t in texts.items()}
    if trained is not None and results:
        predictions = trained.predict([r.masked_text for r in results.values()])
        results = {
            pk: replace(result, prediction=prediction)
            for (pk, result), prediction in zip(results.items(), predictions, strict=True)
        }
    with transaction.atomic():
        _store_many([(pk, texts[pk], results[pk]) for pk in ids if pk in results], row)
    return len(results)


def _analyse_all(ids: list[int], model: tuple, batch: int = 200) -> int:
    count = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        try:
            count += _analyse_many(chunk, model)
        except Exception:  # one bad ticket must not stop the others: retry one by one
            log.exception("text analysis batch failed; analysing one by one")
            for pk in chunk:
                try:
                    analysis_run(complaint_id=pk, model=model)
                    count += 1
                except Exception:
                    log.exception("text analysis of complaint %s failed", pk)
    return count


def analysis_backfill(*, limit: int | None = None) -> int:
    """Analyse the complaints that have no analysis yet (oldest first); returns how many.
    The periodic job runs it so nothing is lost when the on-open receiver failed."""
    from yuqi.complaints.facade import complaint_ids

    done = set(ComplaintAnalysis.objects.values_list("complaint_id", flat=True))
    missing = [pk for pk in complaint_ids() if pk not in done]
    if limit is not None:
        missing = missing[:limit]
    return _analyse_all(missing, active_model())


def analysis_rerun(*, model: tuple | None = None, open_only: bool = True) -> int:
    """Re-analyse every open (or every) complaint, after a new model became active."""
    from yuqi.complaints.facade import complaint_ids

    model = model if model is not None else active_model()
    return _analyse_all(complaint_ids(open_only=open_only), model)


# -------------------------------------------------------------------------- labels
def _check_code(code: str) -> None:
    if code not in default_taxonomy().categories:
        raise DomainError(_("Unknown expectation category."), field="code")


def _analysis(complaint_id: int) -> ComplaintAnalysis:
    analysis = (
        ComplaintAnalysis.objects.select_for_update().filter(complaint_id=complaint_id).first()
    )
    if analysis is None:
        raise DomainError(_("This complaint has not been analysed yet."), field="complaint")
    return analysis


def _label(complaint_id: int, code: str, *, by: Any, corrected: bool) -> ComplaintLabel:
    label, _created = ComplaintLabel.objects.update_or_create(
        complaint_id=complaint_id,
        defaults={"code": code, "corrected": corrected, "by": by, "at": now()},
    )
    return label


@transaction.atomic
def label_confirm(*, complaint_id: int, by: Any) -> ComplaintLabel:
    """The handler agrees with the predicted category: it becomes a training label."""
    analysis = _analysis(complaint_id)
    return _label(complaint_id, analysis.category, by=by, corrected=False)


@transaction.atomic
def label_correct(*, complaint_id: int, code: str, by: Any) -> ComplaintLabel:
    """The handler gives another category: it replaces any previous label and feeds the
    next training (the stored prediction stays as it was, for the record)."""
    _check_code(code)
    analysis = _analysis(complaint_id)
    return _label(complaint_id, code, by=by, corrected=code != analysis.category)


@transaction.atomic
def mark_unreasonable(
    *, complaint_id: int, by: Any, unreasonable: bool = True, note: str = ""
) -> ComplaintAnalysis:
    """The handler judges the complaint unreasonable (or takes it back): it leaves the
    expectation evidence."""
    analysis = _analysis(complaint_id)
    flags = dict(analysis.reasonable or {})
    flags["unreasonable"] = bool(unreasonable)
    flags["unreasonable_by"] = getattr(by, "pk", None)
    flags["unreasonable_at"] = now().isoformat()
    flags["unreasonable_note"] = note[:500]
    analysis.reasonable = flags
    analysis.save(update_fields=["reasonable"])
    return analysis


# ------------------------------------------------------------------------ training
@dataclass(frozen=True)
class TrainingData:
    texts: list[str]
    labels: list[str]


def training_data() -> TrainingData:
    """Every label with its complaint's masked text (the analysis holds it)."""
    rows = ComplaintLabel.objects.filter(complaint__text_analysis__isnull=False).values_list(
        "complaint__text_analysis__masked_text", "code"
    )
    texts, labels = [], []
    for text, code in rows.order_by("complaint_id"):
        texts.append(text)
        labels.append(code)
    return TrainingData(texts, labels)


def check_training_data(data: TrainingData) -> None:
    counts = Counter(data.labels)
    usable = [code for code, n in counts.items() if n >= MIN_EXAMPLES]
    if len(usable) < MIN_LABELS:
        raise DomainError(
            _(
                "Training needs at least %(labels)d categories with at least %(examples)d "
                "confirmed complaints each; there are %(usable)d (confirm or correct more "
                "predictions on the review page)."
            )
            % {"labels": MIN_LABELS, "examples": MIN_EXAMPLES, "usable": len(usable)},
            code="too_few_labels",
        )


@transaction.atomic
def model_start(*, by: Any) -> TextModel:
    """Check the labels and create the next version in state ``training``."""
    check_training_data(training_data())
    last = TextModel.objects.select_for_update().order_by("-version").first()
    if (
        last is not None
        and last.status == ModelStatus.TRAINING
        and now() - last.created_at < TRAINING_TIMEOUT
    ):
        raise DomainError(
            _("Version %(version)d is still training; wait for it to finish.")
            % {"version": last.version},
            code="conflict",
        )
    return TextModel.objects.create(
        version=(last.version + 1) if last else 1,
        created_at=now(),
        created_by=by if getattr(by, "pk", None) else None,
        status=ModelStatus.TRAINING,
    )


def _metrics(trained: TrainedModel) -> dict[str, Any]:
    evaluation = trained.metadata.evaluation
    return evaluation.to_dict() if evaluation is not None else {}


def model_build(*, model_id: int, reanalyse: bool = True, n_jobs: int = 1) -> TextModel:
    """Train, cross-validate and save the version; it becomes active only when ready.
    A failure is stored on the row (state ``failed``) and the previous model stays active.
    ``n_jobs > 1``: the cross-validation's folds in forked processes (``classifier.train``)."""
    row = TextModel.objects.get(pk=model_id)
    data = training_data()
    try:
        check_training_data(data)
        from yuqi.domain.text.classifier import train

        trained = train(
            data.texts,
            data.labels,
            folds=FOLDS,
            version=str(row.version),
            created=row.created_at,
            n_jobs=n_jobs,
        )
        name = save_model(row.version, row.created_at, trained)
    except Exception as exc:  # record why, keep the old model
        log.exception("training text model v%s failed", row.version)
        row.status = ModelStatus.FAILED
        row.error = str(exc)[:2000]
        row.finished_at = now()
        row.save(update_fields=["status", "error", "finished_at"])
        return row
    with transaction.atomic():
        TextModel.objects.select_for_update().filter(status=ModelStatus.ACTIVE).update(
            status=ModelStatus.READY
        )
        row.n_train = trained.metadata.n_train
        row.label_counts = trained.metadata.label_counts
        row.metrics = _metrics(trained)
        row.file_name = name
        row.status = ModelStatus.ACTIVE
        row.finished_at = now()
        row.save()
    if reanalyse:
        analysis_rerun(model=(row, trained))
    return row


#: How a training is queued: ``apps.py`` ``ready()`` hands in ``tasks.train_text_model``'s
#: ``enqueue`` (``training_queue_set``), so the services never import the tasks that call them.
_training_queue: Callable[[int], object] | None = None


def training_queue_set(enqueue: Callable[[int], object]) -> None:
    """Queue trainings with ``enqueue(model_id)`` (called once, from ``ready()``)."""
    global _training_queue
    _training_queue = enqueue


def model_train(*, by: Any) -> TextModel:
    """Queue the training of a new version (``tasks.train_text_model``); refuses at once
    when there are too few labels."""
    enqueue = _training_queue
    if enqueue is None:
        raise RuntimeError("the text-mining app is not ready: no training queue")
    row = model_start(by=by)
    transaction.on_commit(lambda: enqueue(row.pk))
    return row


def model_upgrade_outdated() -> TextModel | None:
    """Queue a retraining when the active model was written in an older model format
    (``classifier.FORMAT_VERSION``): it keeps serving until the new version is active. Run by
    the periodic backfill job; returns the queued version, or ``None`` when nothing is to do
    (no model, up to date, a training already running, or too few labels: the old model stays,
    with a warning in the log)."""
    row, trained = active_model()
    if row is None or trained is None or not trained.outdated:
        return None
    try:
        queued = model_train(by=None)
    except DomainError as exc:
        log.warning("text model v%s is in an old format; not retrained: %s", row.version, exc)
        return None
    from yuqi.domain.text.classifier import FORMAT_VERSION

    log.info(
        "text model v%s is in model format %s; queued v%s in format %s",
        row.version,
        trained.format_version,
        queued.version,
        FORMAT_VERSION,
    )
    return queued


def model_train_now(*, by: Any, reanalyse: bool = True, n_jobs: int = 1) -> TextModel:
    """Train a new version synchronously (demo, CLI)."""
    row = model_start(by=by)
    return model_build(model_id=row.pk, reanalyse=reanalyse, n_jobs=n_jobs)


# -------------------------------------------------------------------------- themes
def theme_run(
    *, date_from: dt.date, date_to: dt.date, k: int | None = None, by: Any = None
) -> ThemeRun:
    """Themes of the complaints opened in [date_from, date_to] (analysed ones, masked)."""
    if date_to < date_from:
        raise DomainError(_("The period ends before it starts."), field="date_to")
    if k is not None and not 2 <= k <= 20:
        raise DomainError(_("Choose between 2 and 20 themes."), field="k")
    rows = list(
        ComplaintAnalysis.objects.filter(
            complaint__opened_at__gte=day_start(date_from),
            complaint__opened_at__lt=day_start(date_to + dt.timedelta(days=1)),
        )
        .order_by("complaint_id")
        .values_list("complaint_id", "masked_text")
    )
    ids = [pk for pk, _text in rows]
    report = discover_themes([text for _pk, text in rows], k=k)
    themes = [
        {
            "top_terms": list(theme.top_terms),
            "share": theme.share,
            "size": theme.size,
            "examples": [ids[i] for i in theme.example_indices],
            "rule_coverage": theme.rule_coverage,
            "rule_codes": [[code, n] for code, n in theme.rule_codes],
            "covered": not theme.new_expectation,
        }
        for theme in report.themes
    ]
    return ThemeRun.objects.create(
        date_from=date_from,
        date_to=date_to,
        k=report.k,
        n_texts=report.n_texts,
        themes=themes,
        notes=list(report.notes),
        created_at=now(),
        created_by=by if getattr(by, "pk", None) else None,
    )
