"""QA forms and the score of one evaluation: pure rules, no Django.

A form version is a plain structure (stored as JSON by the quality context)::

    {"sections": [{"key": "open", "title": "开场", "title_en": "Opening",
                   "items": [{"key": "greet", "text": "…", "text_en": "…", "points": 5,
                              "na_allowed": false, "auto_fail": false, "tag": ""}]}]}

Scoring (the usual QA scorecard, as in Zendesk QA / NICE Quality Management):

* each item is answered with whole points ``0 ≤ p ≤ points``, or ``None`` (N/A) where the item
  allows it; an N/A item leaves both the earned and the possible points;
* ``percent = 100 · Σ earned / Σ possible`` over the answered items (None when nothing was
  applicable);
* an **auto-fail** (critical) item answered below its full points fails the whole evaluation:
  the final score is 0 whatever the other items earned, and ``auto_failed`` is True.

``tag`` marks items other pages read: ``matter`` (对事), ``person`` (对人), ``answered_asked``
(所答为所问), ``promise`` (promise within the service standard), ``step1``…``step6``
([seed-003]'s six steps to lower an expectation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["FormItem", "FormSection", "FormSpec", "Score", "parse_form", "score_answers"]

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SECTIONS = 20
MAX_ITEMS = 100
MAX_POINTS = 100
MAX_TEXT = 300
TAGS = frozenset(
    {"", "matter", "person", "answered_asked", "promise", *(f"step{i}" for i in range(1, 7))}
)


@dataclass(frozen=True, slots=True)
class FormItem:
    key: str
    text: str
    text_en: str
    points: int
    na_allowed: bool = False
    auto_fail: bool = False
    tag: str = ""


@dataclass(frozen=True, slots=True)
class FormSection:
    key: str
    title: str
    title_en: str
    items: tuple[FormItem, ...]


@dataclass(frozen=True, slots=True)
class FormSpec:
    sections: tuple[FormSection, ...]

    @property
    def items(self) -> tuple[FormItem, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def max_points(self) -> int:
        return sum(item.points for item in self.items)

    def item(self, key: str) -> FormItem | None:
        return next((item for item in self.items if item.key == key), None)


@dataclass(frozen=True, slots=True)
class Score:
    """``earned``/``possible`` over applicable items; ``percent`` is the final score (0 when
    an auto-fail item failed; None when no item was applicable)."""

    earned: int
    possible: int
    percent: float | None
    auto_failed: bool
    failed_items: tuple[str, ...]
    not_applicable: tuple[str, ...]

    @property
    def raw_percent(self) -> float | None:
        return None if self.possible == 0 else 100.0 * self.earned / self.possible


def _text(value: object, where: str, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: text expected")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{where}: text is required")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{where}: at most {MAX_TEXT} characters")
    return value


def _key(value: object, where: str, seen: set[str]) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        raise ValueError(f"{where}: key must be lower-case letters, digits and _ (≤ 40)")
    if value in seen:
        raise ValueError(f"{where}: key {value!r} is used twice")
    seen.add(value)
    return value


def parse_form(structure: object) -> FormSpec:
    """Check a form structure and return it as a :class:`FormSpec`; ``ValueError`` names the
    section or item at fault (unknown shape, duplicate key, points outside 1..100, unknown tag,
    too many sections or items, no item at all)."""
    if not isinstance(structure, Mapping) or not isinstance(structure.get("sections"), list):
        raise ValueError("a form needs a list of sections")
    raw_sections = structure["sections"]
    if not 1 <= len(raw_sections) <= MAX_SECTIONS:
        raise ValueError(f"a form has 1 to {MAX_SECTIONS} sections")
    section_keys: set[str] = set()
    item_keys: set[str] = set()
    sections = []
    for s, raw in enumerate(raw_sections):
        where = f"section {s + 1}"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("items"), list):
            raise ValueError(f"{where}: needs a list of items")
        items = []
        for i, item in enumerate(raw["items"]):
            at = f"{where}, item {i + 1}"
            if not isinstance(item, Mapping):
                raise ValueError(f"{at}: not an item")
            points = item.get("points")
            if isinstance(points, bool) or not isinstance(points, int):
                raise ValueError(f"{at}: points must be a whole number")
            if not 1 <= points <= MAX_POINTS:
                raise ValueError(f"{at}: points must be 1 to {MAX_POINTS}")
            tag = item.get("tag", "") or ""
            if tag not in TAGS:
                raise ValueError(f"{at}: unknown tag {tag!r}")
            items.append(
                FormItem(
                    key=_key(item.get("key"), at, item_keys),
                    text=_text(item.get("text"), at),
                    text_en=_text(item.get("text_en"), at, required=False),
                    points=points,
                    na_allowed=bool(item.get("na_allowed", False)),
                    auto_fail=bool(item.get("auto_fail", False)),
                    tag=tag,
                )
            )
        if not items:
            raise ValueError(f"{where}: has no item")
        sections.append(
            FormSection(
                key=_key(raw.get("key"), where, section_keys),
                title=_text(raw.get("title"), where),
                title_en=_text(raw.get("title_en"), where, required=False),
                items=tuple(items),
            )
        )
    spec = FormSpec(tuple(sections))
    if len(spec.items) > MAX_ITEMS:
        raise ValueError(f"a form has at most {MAX_ITEMS} items")
    return spec


def score_answers(spec: FormSpec, answers: Mapping[str, int | None]) -> Score:
    """Score the answers (item key → points or None for N/A). ``ValueError`` for a missing
    or unknown item, N/A where the item does not allow it, or points outside 0..points."""
    unknown = set(answers) - {item.key for item in spec.items}
    if unknown:
        raise ValueError(f"unknown items: {sorted(unknown)}")
    earned = possible = 0
    failed: list[str] = []
    skipped: list[str] = []
    for item in spec.items:
        if item.key not in answers:
            raise ValueError(f"item {item.key!r} is not answered")
        value = answers[item.key]
        if value is None:
            if not item.na_allowed:
                raise ValueError(f"item {item.key!r} cannot be N/A")
            skipped.append(item.key)
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= item.points:
            raise ValueError(f"item {item.key!r}: points must be 0 to {item.points}")
        earned += value
        possible += item.points
        if item.auto_fail and value < item.points:
            failed.append(item.key)
    auto_failed = bool(failed)
    percent = None if possible == 0 else (0.0 if auto_failed else 100.0 * earned / possible)
    return Score(earned, possible, percent, auto_failed, tuple(failed), tuple(skipped))
