"""What other contexts may know of quality monitoring: item failures counted over a period, as
frozen dataclasses (the improvement context's Pareto chart and before/after checks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import get_language

__all__ = ["QaItemCount", "qa_item_counts", "qa_item_labels"]


@dataclass(frozen=True)
class QaItemCount:
    """One QA item over a period: ``failed`` of ``scored`` evaluations (N/A left out).

    ``ref`` is ``"<form code>:<item key>"`` (item keys are unique within a form only).
    """

    ref: str
    label: str
    auto_fail: bool
    failed: int
    scored: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _label(form_name: str, text: str, text_en: str) -> str:
    english = (get_language() or "").startswith("en")
    return f"{form_name} · {(text_en if english else text) or text}"


def qa_item_counts(
    *, date_from: date, date_to: date, auto_fail_only: bool = False, ref: str = ""
) -> list[QaItemCount]:
    """Failures per item of the evaluations submitted from ``date_from`` to ``date_to``
    (local days, both included; calibration scores left out), most failures first. An item
    fails when it earned less than its full points. ``ref`` keeps one item."""
    from yuqi.domain.qa_forms import parse_form
    from yuqi.quality.selectors import graded

    start, end = _bounds(date_from, date_to)
    rows = (
        graded()
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .select_related("form_version__form")
        .only(
            "answers",
            "form_version__structure",
            "form_version__form__code",
            "form_version__form__name",
            "form_version__form__name_en",
        )
        .order_by("pk")
    )
    english = (get_language() or "").startswith("en")
    counts: dict[str, list] = {}
    specs: dict[int, object] = {}
    for row in rows.iterator(chunk_size=2000):
        version = row.form_version
        spec = specs.get(version.pk)
        if spec is None:
            spec = specs[version.pk] = parse_form(version.structure)
        form = version.form
        form_name = (form.name_en if english else form.name) or form.name
        for item in spec.items:  # type: ignore[attr-defined]
            if auto_fail_only and not item.auto_fail:
                continue
            key = f"{form.code}:{item.key}"
            if ref and key != ref:
                continue
            value = (row.answers or {}).get(item.key)
            if value is None:
                continue
            slot = counts.setdefault(
                key, [_label(form_name, item.text, item.text_en), item.auto_fail, 0, 0]
            )
            slot[3] += 1
            if isinstance(value, int) and value < item.points:
                slot[2] += 1
    found = [QaItemCount(k, v[0], v[1], v[2], v[3]) for k, v in counts.items()]
    return sorted(found, key=lambda c: (-c.failed, c.ref))


def qa_item_labels() -> dict[str, str]:
    """``"<form code>:<item key>"`` → label, over the latest version of every active form."""
    from yuqi.domain.qa_forms import parse_form
    from yuqi.quality.models import QaForm

    english = (get_language() or "").startswith("en")
    out: dict[str, str] = {}
    for form in QaForm.objects.filter(active=True).prefetch_related("versions"):
        version = max(form.versions.all(), key=lambda v: v.number, default=None)
        if version is None:
            continue
        form_name = (form.name_en if english else form.name) or form.name
        for item in parse_form(version.structure).items:
            out[f"{form.code}:{item.key}"] = _label(form_name, item.text, item.text_en)
    return out
