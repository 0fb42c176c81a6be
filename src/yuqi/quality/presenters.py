"""Shaping for the templates: localised item texts, evidence lines, agent rows, readings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from yuqi.domain.qa_forms import FormSpec


def _english() -> bool:
    return (get_language() or "").startswith("en")


@dataclass(frozen=True)
class ItemView:
    key: str
    text: str
    points: int
    na_allowed: bool
    auto_fail: bool
    value: Any = None
    note: str = ""

    @property
    def choices(self) -> range:
        return range(self.points, -1, -1)

    @property
    def full(self) -> bool:
        return self.value == self.points


def sections(spec: FormSpec, answers: dict | None = None, notes: dict | None = None) -> list[dict]:
    en = _english()
    answers, notes = answers or {}, notes or {}
    return [
        {
            "key": s.key,
            "title": (s.title_en or s.title) if en else s.title,
            "items": [
                ItemView(
                    i.key,
                    (i.text_en or i.text) if en else i.text,
                    i.points,
                    i.na_allowed,
                    i.auto_fail,
                    answers.get(i.key),
                    notes.get(i.key, ""),
                )
                for i in s.items
            ],
        }
        for s in spec.sections
    ]


def scored_sections(spec: FormSpec, answers: dict, notes: dict) -> list[dict]:
    return sections(spec, answers, notes)


EVIDENCE_LABELS = {
    "channel": gettext_lazy("Channel"),
    "queue": gettext_lazy("Queue"),
    "category": gettext_lazy("Category"),
    "wait_seconds": gettext_lazy("Wait (s)"),
    "handle_seconds": gettext_lazy("Handle time (s)"),
    "first_contact_resolved": gettext_lazy("Resolved on first contact"),
    "transferred": gettext_lazy("Transferred"),
    "notes": gettext_lazy("Notes"),
    "number": gettext_lazy("Ticket"),
    "state": gettext_lazy("State"),
    "level": gettext_lazy("Level"),
    "text": gettext_lazy("Complaint text"),
    "scenario": gettext_lazy("Scenario"),
    "script": gettext_lazy("Script"),
    "shopper": gettext_lazy("Shopper"),
}


def _value(value: Any) -> str:
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value is None or value == "":
        return "—"
    return str(value)


def evidence(data: dict) -> dict:
    """Label → value lines, the promises from the ledger and the cross-check warnings."""
    lines = [(str(EVIDENCE_LABELS[k]), _value(data[k])) for k in EVIDENCE_LABELS if k in data]
    return {
        "lines": lines,
        "promises": data.get("promises", []),
        "warnings": data.get("warnings", []),
        "timeline": data.get("timeline", []),
    }


READINGS = (
    (
        gettext_lazy("Krippendorff's alpha"),
        gettext_lazy(
            "α ≥ 0.800: reliable; 0.667 ≤ α < 0.800: tentative conclusions only; below 0.667: "
            "unreliable (Krippendorff 2004). 1 is perfect agreement, 0 is chance, below 0 is "
            "systematic disagreement."
        ),
    ),
    (
        gettext_lazy("Cohen's kappa"),
        gettext_lazy(
            "< 0 poor, 0–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, "
            "above 0.80 almost perfect (Landis & Koch 1977)."
        ),
    ),
)

READING_LABELS = {
    "reliable": gettext_lazy("reliable"),
    "tentative": gettext_lazy("tentative"),
    "unreliable": gettext_lazy("unreliable"),
    "poor": gettext_lazy("poor"),
    "slight": gettext_lazy("slight"),
    "fair": gettext_lazy("fair"),
    "moderate": gettext_lazy("moderate"),
    "substantial": gettext_lazy("substantial"),
    "almost_perfect": gettext_lazy("almost perfect"),
}


def coefficient(result: Any) -> dict:
    """A coefficient for display: the value (3 decimals) and its reading, or "not computable"
    with the reason — never 1.0 in place of a missing value."""
    if result is None:
        return {"value": "—", "reading": _("needs exactly two evaluators"), "ok": False}
    value = getattr(result, "alpha", None) if hasattr(result, "alpha") else result.kappa
    if value is None:
        return {"value": _("not computable"), "reading": _reason(result.reason), "ok": False}
    return {
        "value": f"{value:.3f}",
        "reading": str(READING_LABELS.get(result.reading, "")),
        "ok": True,
    }


def _reason(reason: str | None) -> str:
    text = reason or ""
    if "two evaluators" in text:
        return _("needs at least two evaluators")
    if "scored by" in text or "scored by both" in text:
        return _("no contact was scored by two evaluators yet")
    if "same" in text or "chance" in text:
        return _("every score is the same: agreement cannot be told from chance")
    return _("not enough data")


def calibration_grid(stats: Any) -> dict:
    rows = []
    for kind, subject_id in stats.subjects:
        rows.append(
            {
                "subject": (kind, subject_id),
                "scores": [stats.scores[(ev.pk, (kind, subject_id))] for ev in stats.evaluators],
            }
        )
    return {
        "rows": rows,
        "score_alpha": coefficient(stats.score_alpha),
        "pass_alpha": coefficient(stats.pass_alpha),
        "kappa": coefficient(stats.kappa),
        "score_kappa": coefficient(stats.score_kappa),
        "items": [
            {
                "text": item.text,
                "points": item.points,
                "mean": "—" if item.mean is None else f"{item.mean:.1f}",
                "spread": "—" if item.spread is None else f"{item.spread:.1f}",
                "sd": "—" if item.sd is None else f"{item.sd:.2f}",
                "alpha": coefficient(item.alpha),
            }
            for item in stats.items
        ],
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def agent_rows(rows: list) -> list[dict]:
    return [
        {
            "code": r.code,
            "label": r.label,
            "team": r.team_name or r.team_code or "—",
            "evaluations": r.evaluations,
            "score": _num(r.mean_score),
            "auto_fails": r.auto_fails,
            "trend": " → ".join(f"{w.mean:.0f}" for w in r.trend[-6:]) or "—",
            "matter": _pct(r.matter_rate),
            "person": _pct(r.person_rate),
            "csat": _num(r.csat, 2),
            "csat_n": r.csat_n,
            "contacts": r.contacts,
            "fcr": _pct(r.fcr),
            "aht": _num(r.aht_seconds, 0),
            "complaints": r.complaints,
            "broken": r.broken_promises,
            "training": _num(r.training_hours),
            "coaching": r.coaching_notes,
        }
        for r in rows
    ]


def team_rows(rows: list) -> list[dict]:
    return [
        {
            "name": t.name or "—",
            "agents": t.agents,
            "evaluations": t.evaluations,
            "score": _num(t.mean_score),
            "auto_fails": t.auto_fails,
            "csat": _num(t.csat, 2),
            "fcr": _pct(t.fcr),
            "training": _num(t.training_hours),
        }
        for t in rows
    ]
