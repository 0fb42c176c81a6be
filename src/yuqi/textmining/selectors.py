"""Reads of the text-mining context for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.request_memo import memoised
from yuqi.textmining.models import ComplaintAnalysis, ComplaintLabel, TextModel, ThemeRun

REVIEW_LIMIT = 50


def text_models() -> QuerySet[TextModel]:
    return TextModel.objects.select_related("created_by").order_by("-version")


def label_counts() -> list[tuple[str, int]]:
    rows = ComplaintLabel.objects.values("code").annotate(n=Count("id")).order_by("-n", "code")
    return [(row["code"], row["n"]) for row in rows]


def awaiting_review() -> QuerySet[ComplaintAnalysis]:
    """Analysed, reasonable-looking complaints without a handler label, least sure first."""
    return (
        ComplaintAnalysis.objects.filter(complaint__text_label__isnull=True)
        .select_related("complaint", "model")
        .order_by("confidence", "-complaint__opened_at", "complaint_id")
    )


def _analyses_of_complaint(*, complaint_id: int) -> QuerySet[ComplaintAnalysis]:
    return (
        ComplaintAnalysis.objects.select_related("model", "complaint__text_label__by")
        .defer(*_NOT_SHOWN)
        .filter(complaint_id=complaint_id)
        .order_by("pk")[:1]
    )


@memoised
def analyses_of_complaint(complaint_id: int) -> list[ComplaintAnalysis]:
    """The complaint's analysis (at most one) with its model and handler label: read once per
    page, which shows it in the text, expectation and knowledge panels. What
    ``list(_analyses_of_complaint(complaint_id=complaint_id))`` answers."""
    return ANALYSES_OF_COMPLAINT_READ.objects(complaint_id=complaint_id)


def _not_shown() -> tuple[str, ...]:
    """Columns of the analysis's joins that no panel shows: of the complaint only its label is
    wanted (the join reaches the label through it), of the model its version, not its
    metrics and label counts (JSON decoded for nothing). Read if asked for, as deferred."""
    complaint = ComplaintAnalysis._meta.get_field("complaint").related_model._meta
    fields = tuple(
        f"complaint__{field.name}" for field in complaint.concrete_fields if not field.primary_key
    )
    return (*fields, "model__label_counts", "model__metrics", "model__error")


_NOT_SHOWN = _not_shown()

#: The ticket's analysis read (four tables, a long deferred list), compiled once per database
#: (building and compiling it was about 1 ms of every ticket page).
ANALYSES_OF_COMPLAINT_READ = CompiledRead(
    _analyses_of_complaint,
    model=ComplaintAnalysis,
    complaint_id=ComplaintAnalysis._meta.get_field("complaint"),
)


def analysis_for(complaint_id: int) -> ComplaintAnalysis | None:
    found = analyses_of_complaint(complaint_id)
    return found[0] if found else None


def masked_texts(complaint_ids: list[int]) -> dict[int, str]:
    """The analysed complaints' masked texts by complaint id (the unanalysed left out)."""
    return dict(
        ComplaintAnalysis.objects.filter(complaint_id__in=complaint_ids).values_list(
            "complaint_id", "masked_text"
        )
    )


def analyses(*, complaint_id: int | None = None, limit: int = 100) -> QuerySet[ComplaintAnalysis]:
    rows = ComplaintAnalysis.objects.select_related("model", "complaint__text_label").order_by(
        "-analysed_at", "-id"
    )
    if complaint_id is not None:
        rows = rows.filter(complaint_id=complaint_id)
    return rows[:limit]


def latest_theme_run() -> ThemeRun | None:
    return ThemeRun.objects.first()


@dataclass(frozen=True)
class MetricRow:
    code: str
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def metric_rows(model: TextModel, labels: dict[str, str]) -> list[MetricRow]:
    per_label: dict[str, Any] = (model.metrics or {}).get("per_label", {})
    return [
        MetricRow(
            code,
            labels.get(code, code),
            score.get("precision", 0.0),
            score.get("recall", 0.0),
            score.get("f1", 0.0),
            score.get("support", 0),
        )
        for code, score in sorted(per_label.items())
    ]
