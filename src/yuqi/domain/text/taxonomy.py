"""The expectation taxonomy (a tree of categories as data) and its cold-start keyword rules.

The shipped tree is ``yuqi/data/text/expectation_taxonomy.toml``: twelve top-level
categories (access_wait, fcr, callback, attitude, accuracy, timeliness, promise, billing,
quality, compensation, privacy, other) with a few children (``billing.overcharge`` …).
A centre can pass its own file to ``load_taxonomy``.

Rule score of a category: every keyword found adds its weight (1.0), every regular expression
that matches adds 1.5; ``score = 1 − 0.5^total`` (one keyword 0.5, two 0.75, a pattern
≈ 0.65), so more evidence raises confidence without ever reaching 1. A child's hits also
count for its parent, so the parent is at least as likely as any child. Matching runs on
``normalize(text)`` lower-cased, so full-width, traditional and upper-case forms match.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from yuqi.domain.text.normalize import normalize

__all__ = [
    "OTHER",
    "Category",
    "RuleHit",
    "Taxonomy",
    "classify_by_rules",
    "default_taxonomy",
    "load_taxonomy",
]

OTHER = "other"
KEYWORD_WEIGHT = 1.0
PATTERN_WEIGHT = 1.5


@dataclass(frozen=True)
class Category:
    """One node of the taxonomy."""

    code: str
    zh: str
    en: str
    parent: str | None
    keywords: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    weight: float = 1.0
    children: tuple[str, ...] = ()

    def label(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class RuleHit:
    """A category the rules found in a text: score in (0, 1) and the matched words/spans."""

    code: str
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The tree: categories by code, in file order; ``roots`` are the top-level codes."""

    version: int
    categories: dict[str, Category] = field(hash=False)
    roots: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.categories)

    def get(self, code: str) -> Category:
        try:
            return self.categories[code]
        except KeyError:
            raise KeyError(f"unknown expectation category: {code!r}") from None

    def root_of(self, code: str) -> str:
        category = self.get(code)
        while category.parent is not None:
            category = self.get(category.parent)
        return category.code


def _read_node(
    node: dict[str, Any], parent: str | None, into: dict[str, Category], source: str
) -> str:
    code = node.get("code")
    if not code or not isinstance(code, str):
        raise ValueError(f"{source}: a category without a code")
    if code in into:
        raise ValueError(f"{source}: category code {code!r} appears twice")
    try:
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in node.get("patterns", []))
    except re.error as exc:
        raise ValueError(f"{source}: category {code!r}: bad pattern: {exc}") from exc
    into[code] = Category(  # inserted before its children, so file order is kept
        code=code,
        zh=str(node.get("zh", code)),
        en=str(node.get("en", code)),
        parent=parent,
        keywords=tuple(normalize(str(k), mask=False).lower() for k in node.get("keywords", [])),
        patterns=patterns,
        weight=float(node.get("weight", 1.0)),
    )
    children = tuple(_read_node(child, code, into, source) for child in node.get("children", []))
    if children:
        into[code] = Category(**{**into[code].__dict__, "children": children})
    return code


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read a taxonomy TOML file (the shipped one when ``path`` is ``None``)."""
    if path is None:
        text = (resources.files("yuqi") / "data" / "text" / "expectation_taxonomy.toml").read_text(
            encoding="utf-8"
        )
        source = "expectation_taxonomy.toml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        source = str(path)
    data = tomllib.loads(text)
    categories: dict[str, Category] = {}
    roots = tuple(_read_node(node, None, categories, source) for node in data.get("category", []))
    if OTHER not in categories:
        categories[OTHER] = Category(code=OTHER, zh="其他", en="Other", parent=None)
        roots = (*roots, OTHER)
    return Taxonomy(version=int(data.get("version", 1)), categories=categories, roots=roots)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once."""
    return load_taxonomy()


def _own_hits(category: Category, text: str) -> dict[str, float]:
    """Matched keyword or pattern text → its weight (one entry per distinct match)."""
    found: dict[str, float] = {}
    for keyword in category.keywords:
        if keyword and keyword in text:
            found.setdefault(keyword, KEYWORD_WEIGHT * category.weight)
    for pattern in category.patterns:
        match = pattern.search(text)
        if match:
            found.setdefault(match.group(0), PATTERN_WEIGHT * category.weight)
    return found


def classify_by_rules(
    text: str, taxonomy: Taxonomy | None = None, *, top_level: bool = False
) -> list[RuleHit]:
    """Categories whose rules match ``text``, best first (score, then taxonomy order).

    ``top_level=True`` keeps only root categories (children's evidence rolled up). A text
    no rule matches gets no hit; callers treat that as ``other``. The same matched word found
    by a parent and its child counts once for the parent.
    """
    taxonomy = taxonomy or default_taxonomy()
    prepared = normalize(text, mask=False).lower()
    evidence: dict[str, dict[str, float]] = {}
    for category in taxonomy.categories.values():
        found = _own_hits(category, prepared)
        if not found:
            continue
        node: Category | None = category
        while node is not None:
            bucket = evidence.setdefault(node.code, {})
            for matched, weight in found.items():
                bucket.setdefault(matched, weight)
            node = taxonomy.categories.get(node.parent) if node.parent else None
    order = {code: index for index, code in enumerate(taxonomy.categories)}
    hits = [
        RuleHit(
            code=code,
            score=round(1 - 0.5 ** sum(found.values()), 4),
            matched=tuple(found),
        )
        for code, found in evidence.items()
        if not top_level or taxonomy.categories[code].parent is None
    ]
    hits.sort(key=lambda hit: (-hit.score, order[hit.code]))
    return hits
