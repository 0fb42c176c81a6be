"""Analyses and theme runs shaped for the templates (no queries beyond the facade batch)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuqi.textmining.models import AnalysisSource, ComplaintAnalysis, ThemeRun

OUTCOME_LABELS = {
    "refund": _("refund"),
    "repair": _("repair"),
    "apology": _("apology"),
    "callback": _("callback"),
    "explanation": _("explanation"),
    "compensation": _("compensation"),
    "waiver": _("fee waiver"),
    "redelivery": _("re-delivery or re-installation"),
    "reply": _("reply"),
}
WITHIN_UNITS = {
    "minute": _("minutes"),
    "hour": _("hours"),
    "day": _("days"),
    "working_day": _("working days"),
    "week": _("weeks"),
    "month": _("months"),
}
TARGET_LABELS = {"agent": _("agent"), "product": _("product"), "policy": _("policy")}
THREAT_LABELS = {"media": _("media"), "regulator": _("regulator"), "lawyer": _("lawyer")}


def _promise_view(promise: dict[str, Any]) -> dict[str, Any] | None:
    """The quoted promise for the panel: what was promised and by when (a deadline, or a
    duration whose start the customer did not say)."""
    if not promise:
        return None
    within = ""
    if promise.get("within") is not None:
        unit = WITHIN_UNITS.get(promise.get("within_unit") or "", promise.get("within_unit"))
        within = f"{promise['within']:g} {unit}"
    deadline = promise.get("deadline")
    return {
        "label": OUTCOME_LABELS.get(promise.get("kind") or "", ""),
        "matched": promise.get("matched", ""),
        "deadline": datetime.fromisoformat(deadline) if deadline else None,
        "within": within,
    }


def _pct(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


def _numbers(ids: list[int]) -> dict[int, str]:
    from yuqi.complaints.facade import complaint_refs

    return {pk: ref.number for pk, ref in complaint_refs(ids).items()}


def analysis_views(rows: list[ComplaintAnalysis], labels: dict[str, str]) -> list[dict[str, Any]]:
    numbers = _numbers([row.complaint_id for row in rows])
    return [analysis_view(row, labels, number=numbers.get(row.complaint_id, "")) for row in rows]


def analysis_view(
    row: ComplaintAnalysis, labels: dict[str, str], *, number: str | None = None
) -> dict[str, Any]:
    if number is None:
        number = _numbers([row.complaint_id]).get(row.complaint_id, "")
    flags = row.reasonable or {}
    signals = row.signals or {}
    return {
        "complaint_id": row.complaint_id,
        "number": number,
        "url": reverse("complaints:detail", args=[number]) if number else "",
        "text": row.masked_text,
        "code": row.category,
        "label": labels.get(row.category, row.category),
        "confidence": _pct(row.confidence),
        "source": row.get_source_display(),
        "from_model": row.source == AnalysisSource.MODEL,
        "model_version": row.model.version if row.model_id and row.model else None,
        "top3": [(code, labels.get(code, code), _pct(p)) for code, p in row.top3 or []],
        "outcomes": [
            {
                "label": OUTCOME_LABELS.get(o["kind"], o["kind"]),
                "matched": o.get("matched", ""),
                "confidence": _pct(o.get("confidence")),
                "amount": o.get("amount"),
            }
            for o in row.wanted_outcomes or []
        ],
        "wanted_by": row.wanted_by,
        "wanted_by_span": row.wanted_by_span,
        "wanted_by_confidence": _pct(row.wanted_by_confidence),
        "amount": row.amount,
        "amount_confidence": _pct(row.amount_confidence),
        "promise": _promise_view(row.quoted_promise or {}),
        "target": TARGET_LABELS.get(row.target, row.target),
        "target_confidence": _pct(row.target_confidence),
        "anger": _pct(signals.get("anger", 0.0)),
        "threats": [
            f"{THREAT_LABELS.get(t['kind'], t['kind'])}: {t['matched']}"
            for t in signals.get("threats", [])
        ],
        "repeat": signals.get("repeat", False),
        "spam": flags.get("spam") or [],
        "duplicate_of": flags.get("duplicate_of"),
        "unreasonable": bool(flags.get("unreasonable")),
        "analysed_at": row.analysed_at,
    }


def theme_rows(run: ThemeRun, labels: dict[str, str]) -> list[dict[str, Any]]:
    ids = [pk for theme in run.themes for pk in theme.get("examples", [])]
    texts = dict(
        ComplaintAnalysis.objects.filter(complaint_id__in=ids).values_list(
            "complaint_id", "masked_text"
        )
    )
    numbers = _numbers(ids)
    rows = []
    for theme in run.themes:
        rows.append(
            {
                "terms": theme.get("top_terms", []),
                "share": _pct(theme.get("share", 0.0)),
                "size": theme.get("size", 0),
                "covered": theme.get("covered", True),
                "codes": [labels.get(code, code) for code, _n in theme.get("rule_codes", [])],
                "examples": [
                    {"number": numbers.get(pk, ""), "text": texts.get(pk, "")}
                    for pk in theme.get("examples", [])
                ],
            }
        )
    return rows


_NOTE_SINGLES = re.compile(r"^left out labels with one example: (?P<codes>.+)$")
_NOTE_FOLDS = re.compile(
    r"^folds reduced from (?P<wanted>\d+) to (?P<k>\d+): the smallest label has (?P<n>\d+)$"
)
_NOTE_THEMES = re.compile(
    r"^k reduced from (?P<wanted>\d+) to (?P<k>\d+) \(vocabulary or texts too few\)$"
)


def note_text(note: str, labels: Mapping[str, str] | None = None) -> str:
    """A training or theme-run note in the reader's language.

    The pure classifier and theme finder write their notes in English (they are stored with
    the model version or the run); the pages translate the known ones, with category codes
    shown by their labels. An unknown note is shown as it is.
    """
    labels = labels or {}
    if found := _NOTE_SINGLES.match(note):
        codes = [code.strip() for code in found["codes"].split(",")]
        names = "、".join(str(labels.get(code, code)) for code in codes)
        return str(_("Left out of the evaluation, one example only: %(labels)s")) % {
            "labels": names
        }
    if found := _NOTE_FOLDS.match(note):
        return str(
            _("Folds reduced from %(wanted)s to %(k)s: the smallest category has %(n)s examples.")
        ) % {"wanted": found["wanted"], "k": found["k"], "n": found["n"]}
    if found := _NOTE_THEMES.match(note):
        return str(_("Themes reduced from %(wanted)s to %(k)s: too few texts or words.")) % {
            "wanted": found["wanted"],
            "k": found["k"],
        }
    return note
