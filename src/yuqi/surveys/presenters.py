"""Turning questions into what the answer form templates render (public page, preview,
agents' call-list entry): one plain dict per question with its parts, points and the
customer's previous input and error, so the templates stay free of logic."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from yuqi.surveys.choices import KanoAnswer, QuestionType, ServqualDimension
from yuqi.surveys.models import Question
from yuqi.surveys.validation import question_scale

#: The headline measures of a survey analysis, in the order the page's cards and the exports
#: show them: (attribute of ``Headline``, label, unit).
HEADLINE_FIELDS: tuple[tuple[str, Promise, str], ...] = (
    ("csat", gettext_lazy("CSAT (top-2-box)"), "share"),
    ("nps", gettext_lazy("NPS"), "points"),
    ("ces", gettext_lazy("CES (mean, 1–7)"), "mean"),
    ("matter", gettext_lazy("对事: issue resolved"), "share"),
    ("person", gettext_lazy("对人: pleased with the agent"), "share"),
    ("achievement", gettext_lazy("Expectation achievement rate"), "share"),
    ("servqual", gettext_lazy("SERVQUAL gap (P − E)"), "gap"),
)


SCALE_TYPES = {QuestionType.RATING, QuestionType.NPS, QuestionType.CSAT, QuestionType.CES}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _pick(zh: str, en: str) -> str:
    return (en or zh) if _english() else zh


def _points(low: int, high: int, chosen: Any) -> list[dict[str, Any]]:
    return [{"value": str(v), "checked": str(chosen) == str(v)} for v in range(low, high + 1)]


def _scale(name: str, legend: str, low: int, high: int, chosen: Any, q: Question) -> dict:
    return {
        "name": name,
        "legend": legend,
        "points": _points(low, high, chosen),
        "low_label": _pick(q.label_low, q.label_low_en),
        "high_label": _pick(q.label_high, q.label_high_en),
        "wide": high - low >= 7,
    }


def _kano_part(name: str, legend: str, chosen: Any) -> dict:
    return {
        "name": name,
        "legend": legend,
        "options": [
            {"value": value, "label": label, "checked": str(chosen) == value}
            for value, label in KanoAnswer.choices
        ],
    }


def question_fields(
    questions: Sequence[Question],
    answers: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    answers = answers or {}
    errors = errors or {}
    return [
        _field(number, q, answers.get(q.code), errors.get(q.code, ""))
        for number, q in enumerate(questions, start=1)
    ]


def _field(number: int, q: Question, given: Any, error: str) -> dict[str, Any]:
    field: dict[str, Any] = {
        "number": number,
        "code": q.code,
        "type": q.type,
        "text": q.display_text,
        "help": q.display_help,
        "required": q.required,
        "error": error,
        "id": f"q-{q.code}",
    }
    parts = given if isinstance(given, Mapping) else {}
    if q.type in SCALE_TYPES:
        low, high = question_scale(q.type, q.scale_min, q.scale_max)
        field["scales"] = [_scale(q.code, "", low, high, given, q)]
    elif q.type == QuestionType.SERVQUAL_ITEM:
        field["scales"] = [
            _scale(
                f"{q.code}.expectation", _("What you expect"), 1, 7, parts.get("expectation"), q
            ),
            _scale(f"{q.code}.perception", _("How we do"), 1, 7, parts.get("perception"), q),
        ]
    elif q.type == QuestionType.KANO_PAIR:
        field["kano"] = [
            _kano_part(f"{q.code}.functional", _("If we offer it:"), parts.get("functional")),
            _kano_part(
                f"{q.code}.dysfunctional", _("If we do not offer it:"), parts.get("dysfunctional")
            ),
        ]
    elif q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        chosen = {str(v) for v in given} if isinstance(given, list | tuple) else {str(given)}
        field["options"] = [
            {
                "value": str(o.get("code")),
                "label": _pick(str(o.get("label", "")), str(o.get("label_en", ""))),
                "checked": str(o.get("code")) in chosen,
            }
            for o in q.options
        ]
        field["multiple"] = q.type == QuestionType.MULTIPLE_CHOICE
    elif q.type == QuestionType.IMPORTANCE_ALLOCATION:
        field["dimensions"] = [
            {"name": f"{q.code}.{value}", "label": label, "value": parts.get(value, "")}
            for value, label in ServqualDimension.choices
        ]
    else:
        field["value"] = given or ""
    return field
