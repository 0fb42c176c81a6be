"""Checking question definitions and answers (pure functions over plain values).

Answers come in one shape whatever the channel (public page, call list, API): a mapping of
question code → value, where the value is

* a number for rating, NPS, CSAT and CES (an integer on the question's scale);
* an option code for a single choice, a list of option codes for a multiple choice;
* a string for open text;
* ``{"expectation": e, "perception": p}`` for a SERVQUAL item (1–7 each);
* ``{"functional": a, "dysfunctional": b}`` for a Kano pair (``like`` ... ``dislike``);
* ``{dimension: points}`` for an importance allocation (five numbers adding up to 100).

Parsing gives one :class:`AnswerRow` per question part, or an error message per question.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from yuqi.surveys.choices import (
    FIXED_SCALES,
    RATING_SCALES,
    AnswerPart,
    KanoAnswer,
    QuestionType,
    ServqualDimension,
)

TEXT_MAX = 2000
SERVQUAL_SCALE = (1, 7)
ALLOCATION_TOTAL = 100.0


class QuestionLike(Protocol):
    code: str
    type: str
    required: bool
    scale_min: int | None
    scale_max: int | None
    options: list[dict[str, Any]]


@dataclass(frozen=True)
class AnswerRow:
    code: str
    part: str = ""
    value: float | None = None
    text: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedAnswers:
    rows: list[AnswerRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- definitions


def question_scale(question_type: str, scale_min: int | None, scale_max: int | None) -> tuple:
    """The (min, max) of a scale question, or None for questions without a scale."""
    if question_type in FIXED_SCALES:
        return FIXED_SCALES[question_type]
    if question_type == QuestionType.RATING:
        return (scale_min if scale_min is not None else 1, scale_max or 5)
    return ()


def check_question(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Errors (field, message) in a question definition; empty when it is valid."""
    errors: list[tuple[str, str]] = []
    kind = spec.get("type")
    if kind not in QuestionType.values:
        return [("type", _("Unknown question type."))]
    if not str(spec.get("text") or "").strip():
        errors.append(("text", _("The question needs a Chinese text.")))
    code = str(spec.get("code") or "")
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        errors.append(("code", _("Use letters, digits, - or _ for the question code.")))
    if kind == QuestionType.RATING:
        scale = (spec.get("scale_min", 1), spec.get("scale_max", 5))
        if scale not in RATING_SCALES:
            errors.append(("scale_max", _("A rating scale is 1–5, 1–7 or 0–10.")))
    if kind == QuestionType.SERVQUAL_ITEM and spec.get("dimension") not in ServqualDimension:
        errors.append(("dimension", _("Choose the SERVQUAL dimension of the item.")))
    if kind == QuestionType.KANO_PAIR and not spec.get("feature"):
        errors.append(("feature", _("Name the feature this Kano pair asks about.")))
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        errors.extend(_check_options(spec.get("options") or []))
    return errors


def _check_options(options: Sequence[Any]) -> list[tuple[str, str]]:
    if len(options) < 2:
        return [("options", _("A choice question needs at least two options."))]
    codes = [str(o.get("code", "")) if isinstance(o, Mapping) else "" for o in options]
    if any(not c for c in codes) or len(set(codes)) != len(codes):
        return [("options", _("Every option needs its own code."))]
    if any(not str(o.get("label", "")).strip() for o in options):
        return [("options", _("Every option needs a label."))]
    return []


def parse_options(text: str) -> list[dict[str, Any]]:
    """Options typed one per line as ``code | 中文 | English [| value]``."""
    options = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        option: dict[str, Any] = {
            "code": parts[0],
            "label": parts[1] if len(parts) > 1 else parts[0],
            "label_en": parts[2] if len(parts) > 2 else "",
        }
        if len(parts) > 3 and parts[3]:
            with contextlib.suppress(ValueError):
                option["value"] = float(parts[3])
        options.append(option)
    return options


def options_text(options: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    for o in options:
        line = f"{o.get('code', '')} | {o.get('label', '')} | {o.get('label_en', '')}"
        if o.get("value") is not None:
            line += f" | {o['value']:g}"
        lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------- answers


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    if isinstance(value, Mapping):
        return all(_blank(v) for v in value.values())
    return False


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(number) or number != int(number):
        return None
    whole = int(number)
    return whole if low <= whole <= high else None


def parse_answers(questions: Sequence[QuestionLike], answers: Mapping[str, Any]) -> ParsedAnswers:
    """Check every question's answer; answers to unknown codes are ignored."""
    rows: list[AnswerRow] = []
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.code)
        if _blank(value):
            if question.required:
                errors[question.code] = _("Please answer this question.")
            continue
        try:
            rows.extend(_parse_one(question, value))
        except ValueError as error:
            errors[question.code] = str(error)
    return ParsedAnswers(rows=[] if errors else rows, errors=errors)


def _parse_one(question: QuestionLike, value: Any) -> list[AnswerRow]:
    kind = question.type
    code = question.code
    if kind in (QuestionType.RATING, QuestionType.NPS, QuestionType.CSAT, QuestionType.CES):
        low, high = question_scale(kind, question.scale_min, question.scale_max)
        number = _whole(value, low, high)
        if number is None:
            raise ValueError(
                _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return [AnswerRow(code, value=float(number))]
    if kind == QuestionType.SINGLE_CHOICE:
        option = _option(question, value)
        return [AnswerRow(code, value=_option_value(option), choices=(option["code"],))]
    if kind == QuestionType.MULTIPLE_CHOICE:
        chosen = value if isinstance(value, list | tuple) else [value]
        codes = tuple(_option(question, v)["code"] for v in chosen)
        return [AnswerRow(code, value=float(len(set(codes))), choices=tuple(dict.fromkeys(codes)))]
    if kind == QuestionType.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_MAX:
            raise ValueError(_("Please keep it under %(n)s characters.") % {"n": TEXT_MAX})
        return [AnswerRow(code, text=text)]
    if kind == QuestionType.SERVQUAL_ITEM:
        return _servqual(code, value)
    if kind == QuestionType.KANO_PAIR:
        return _kano(code, value)
    if kind == QuestionType.IMPORTANCE_ALLOCATION:
        return _importance(code, value)
    raise ValueError(_("Unknown question type."))


def _option(question: QuestionLike, value: Any) -> dict[str, Any]:
    for option in question.options:
        if str(option.get("code")) == str(value):
            return option
    raise ValueError(_("Choose one of the options."))


def _option_value(option: Mapping[str, Any]) -> float | None:
    value = option.get("value")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _pair(value: Any, first: str, second: str) -> tuple[Any, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(_("Please answer both parts."))
    a, b = value.get(first), value.get(second)
    if _blank(a) or _blank(b):
        raise ValueError(_("Please answer both parts."))
    return a, b


def _servqual(code: str, value: Any) -> list[AnswerRow]:
    expectation, perception = _pair(value, AnswerPart.EXPECTATION, AnswerPart.PERCEPTION)
    low, high = SERVQUAL_SCALE
    e, p = _whole(expectation, low, high), _whole(perception, low, high)
    if e is None or p is None:
        raise ValueError(
            _("Choose a whole number from %(low)s to %(high)s.") % {"low": 1, "high": 7}
        )
    return [
        AnswerRow(code, AnswerPart.EXPECTATION, float(e)),
        AnswerRow(code, AnswerPart.PERCEPTION, float(p)),
    ]


def _kano(code: str, value: Any) -> list[AnswerRow]:
    functional, dysfunctional = _pair(value, AnswerPart.FUNCTIONAL, AnswerPart.DYSFUNCTIONAL)
    answers = list(KanoAnswer.values)
    rows = []
    for part, answer in (
        (AnswerPart.FUNCTIONAL, functional),
        (AnswerPart.DYSFUNCTIONAL, dysfunctional),
    ):
        if str(answer) not in answers:
            raise ValueError(_("Choose one of the five answers for both parts."))
        rows.append(
            AnswerRow(code, part, float(answers.index(str(answer)) + 1), choices=(str(answer),))
        )
    return rows


def _importance(code: str, value: Any) -> list[AnswerRow]:
    if not isinstance(value, Mapping):
        raise ValueError(_("Share 100 points among the five aspects."))
    points: dict[str, float] = {}
    for dimension in ServqualDimension.values:
        raw = value.get(dimension)
        try:
            number = float(str(raw).strip()) if not _blank(raw) else 0.0
        except ValueError:
            raise ValueError(_("Points must be numbers from 0 to 100.")) from None
        if not math.isfinite(number) or not 0 <= number <= ALLOCATION_TOTAL:
            raise ValueError(_("Points must be numbers from 0 to 100."))
        points[dimension] = number
    total = sum(points.values())
    if abs(total - ALLOCATION_TOTAL) > 1e-6:
        raise ValueError(
            _("The points must add up to 100 (now %(total)s).") % {"total": f"{total:g}"}
        )
    return [AnswerRow(code, AnswerPart.importance(d), p) for d, p in points.items()]


def answers_from_form(questions: Sequence[QuestionLike], data: Any) -> dict[str, Any]:
    """The answer mapping from a posted form (``QueryDict``): field ``<code>``, or
    ``<code>.<part>`` for the two parts of a SERVQUAL item or Kano pair and the dimensions
    of an importance allocation, and a list for multiple choice."""
    answers: dict[str, Any] = {}
    for q in questions:
        if q.type == QuestionType.MULTIPLE_CHOICE:
            answers[q.code] = data.getlist(q.code)
        elif q.type == QuestionType.SERVQUAL_ITEM:
            answers[q.code] = {
                p: data.get(f"{q.code}.{p}", "") for p in ("expectation", "perception")
            }
        elif q.type == QuestionType.KANO_PAIR:
            answers[q.code] = {
                p: data.get(f"{q.code}.{p}", "") for p in ("functional", "dysfunctional")
            }
        elif q.type == QuestionType.IMPORTANCE_ALLOCATION:
            answers[q.code] = {d: data.get(f"{q.code}.{d}", "") for d in ServqualDimension.values}
        else:
            answers[q.code] = data.get(q.code, "")
    return answers
