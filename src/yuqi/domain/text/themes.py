"""Emerging themes in a period's texts: NMF topics over TF-IDF, and which ones the taxonomy
rules do not cover ("a new expectation?").

Method: texts are normalised and cut into jieba words (stop words dropped; English
lower-cased words); TF-IDF (sublinear tf, words in at least 2 texts and at most 90 % of them)
is factorised by NMF (``init="nndsvda"``, seeded, so the same texts give the same themes) into
``k`` themes: ``X ≈ W·H`` (Lee & Seung 1999). Each text belongs to its strongest theme
(argmax of its ``W`` row); a theme's top terms are the largest entries of its ``H`` row, its
examples the texts with the largest share of their weight on it, its share the fraction of
texts assigned to it.

``k`` defaults to ``round(sqrt(n / 2))`` clamped to [2, 12] and to the vocabulary size — the
common rule of thumb for the number of clusters (Mardia et al. 1979) — the caller can pass
its own. Rule coverage of a theme is the share of its texts where ``classify_by_rules`` finds
a category other than ``other``; below ``coverage_threshold`` (0.3) the theme is flagged
``new_expectation`` for an analyst to look at.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from yuqi.domain.text.normalize import normalize
from yuqi.domain.text.segment import words
from yuqi.domain.text.taxonomy import OTHER, Taxonomy, classify_by_rules

__all__ = ["Theme", "ThemeReport", "discover_themes", "suggest_k"]


@dataclass(frozen=True)
class Theme:
    index: int
    top_terms: tuple[str, ...]
    examples: tuple[str, ...]
    example_indices: tuple[int, ...]
    size: int
    share: float
    rule_coverage: float
    rule_codes: tuple[tuple[str, int], ...]  # most frequent rule categories in the theme
    new_expectation: bool


@dataclass(frozen=True)
class ThemeReport:
    themes: tuple[Theme, ...]
    k: int
    n_texts: int
    assignments: tuple[int, ...]  # theme index per text, -1 when the text had no known word
    notes: tuple[str, ...] = ()


def suggest_k(n_texts: int) -> int:
    """The default number of themes: round(sqrt(n/2)), between 2 and 12."""
    return max(2, min(12, round(math.sqrt(max(n_texts, 1) / 2))))


class _ThemeTokenizer:
    def __call__(self, text: str) -> list[str]:
        tokens = words(text, drop_stopwords=True)
        return [w for w in tokens if len(w) > 1 and not w.isdigit() and "*" not in w]


def discover_themes(
    texts: Sequence[str],
    *,
    k: int | None = None,
    seed: int = 0,
    top_terms: int = 8,
    examples: int = 3,
    taxonomy: Taxonomy | None = None,
    coverage_threshold: float = 0.3,
) -> ThemeReport:
    """Themes of ``texts`` (see the module docstring); deterministic for a given ``seed``."""
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    prepared = [normalize(str(text or "")) for text in texts]
    n = len(prepared)
    notes: list[str] = []
    if n < 4:
        return ThemeReport((), 0, n, tuple(-1 for _ in prepared), ("too few texts for themes",))
    vectorizer = TfidfVectorizer(
        tokenizer=_ThemeTokenizer(),
        token_pattern=None,
        lowercase=False,
        sublinear_tf=True,
        min_df=2,
        max_df=0.9,
    )
    try:
        matrix = vectorizer.fit_transform(prepared)
    except ValueError:
        return ThemeReport((), 0, n, tuple(-1 for _ in prepared), ("no word occurs twice",))
    vocabulary = vectorizer.get_feature_names_out()
    wanted = k if k is not None else suggest_k(n)
    chosen = max(1, min(wanted, len(vocabulary), n - 1))
    if chosen != wanted:
        notes.append(f"k reduced from {wanted} to {chosen} (vocabulary or texts too few)")
    model = NMF(n_components=chosen, init="nndsvda", random_state=seed, max_iter=500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning on tiny corpora
        weights = model.fit_transform(matrix)
    components = model.components_
    empty = weights.sum(axis=1) == 0
    assignment = np.where(empty, -1, weights.argmax(axis=1))
    share_of_text = weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    rule_codes = [_rule_code(text, taxonomy) for text in prepared]
    themes = []
    for index in range(chosen):
        members = np.flatnonzero(assignment == index)
        best = [i for i in np.argsort(-components[index])[:top_terms] if components[index, i] > 0]
        terms = tuple(str(vocabulary[i]) for i in best)
        ranked = members[np.argsort(-share_of_text[members, index], kind="stable")][:examples]
        codes = Counter(rule_codes[i] for i in members)
        covered = sum(count for code, count in codes.items() if code != OTHER)
        coverage = covered / len(members) if len(members) else 0.0
        themes.append(
            Theme(
                index=index,
                top_terms=terms,
                examples=tuple(prepared[i] for i in ranked),
                example_indices=tuple(int(i) for i in ranked),
                size=len(members),
                share=round(len(members) / n, 4),
                rule_coverage=round(coverage, 4),
                rule_codes=tuple(codes.most_common(3)),
                new_expectation=bool(len(members)) and coverage < coverage_threshold,
            )
        )
    themes.sort(key=lambda theme: (-theme.size, theme.index))
    return ThemeReport(
        themes=tuple(themes),
        k=chosen,
        n_texts=n,
        assignments=tuple(int(a) for a in assignment),
        notes=tuple(notes),
    )


def _rule_code(text: str, taxonomy: Taxonomy | None) -> str:
    hits = classify_by_rules(text, taxonomy, top_level=True)
    return hits[0].code if hits else OTHER
