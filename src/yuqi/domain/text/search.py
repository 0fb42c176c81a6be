"""Knowledge search: index terms, synonym expansion and BM25 ranking with field boosts.

Pure Python (no Django): the knowledge context stores the terms this module makes in an
inverted-index table and ranks the candidates here, so SQLite and PostgreSQL give the same
results by construction (the database only answers "which articles hold these terms").

Terms
-----
A text is normalised (full width → half width, traditional → simplified, lower case), then
cut with the text pipeline's jieba segmenter and service dictionary
(:mod:`yuqi.domain.text.segment`, HMM off: the same words whatever the cache holds). Function
words (``STOPWORDS``) and punctuation are dropped. Each run of Chinese characters also gives
its character **bigrams** (prefixed ``#``): customers write 宽带坏了 where the article says
宽带故障 (one dictionary word), or mistype one character (款带坏了 still shares 带坏); the
bigram keeps the match when the word cut differs. Bigrams weigh ``BIGRAM_WEIGHT`` of a word;
an article's bigrams come from its title and tags only (a body's would triple the index), and
a synonym adds its words, not its bigrams.

Fields
------
An article's title, tags and body are indexed together, each occurrence weighted by its
field's boost (``FIELD_BOOSTS``: title 3, tags 2, body 1), a simplified BM25F: the weighted
frequency is the term frequency and the weighted term count is the document length.

Ranking (Okapi BM25, Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework")::

    idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
    score(d, q) = Σ_t w_q(t) · idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl))

with k1 = 1.2, b = 0.75; ``w_q`` is 1 for a query term, ``SYNONYM_WEIGHT`` for a term added
by the synonym table, times ``BIGRAM_WEIGHT`` for bigrams. Ties are broken by the smaller
document id, so a ranking is reproducible.

Synonyms
--------
A :class:`SynonymTable` holds groups of interchangeable words (宽带 网络 上网). A query that
contains any member of a group, as a word or as a substring (so a member that jieba would
cut differently is still seen), is expanded with the terms of the other members. Expansion
happens at query time only: editing the table needs no re-indexing.

Common terms: a term found in more than ``COMMON_SHARE`` of the articles is not fetched when
rarer terms remain (:func:`prune_common`); it would add little to any score and most of the
work (the candidate rows), like a stop word.

Search mode: a word of three or more characters also gives the dictionary words inside it
(网速慢 → 网速), as jieba's ``cut_for_search`` does.

Limits: a query is cut to its first ``MAX_QUERY_CHARS`` characters and its
``MAX_QUERY_TERMS`` heaviest distinct terms, so a pasted page cannot make a slow search.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from yuqi.domain.text.normalize import to_halfwidth, to_simplified
from yuqi.domain.text.segment import STOPWORDS, _tokenizer, segment

__all__ = [
    "BIGRAM_WEIGHT",
    "FIELD_BOOSTS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "SYNONYM_WEIGHT",
    "IndexedText",
    "SynonymTable",
    "bm25_rank",
    "idf",
    "index_terms",
    "match_quality",
    "prepare",
    "prune_common",
    "query_terms",
    "terms",
]

FIELD_BOOSTS: Mapping[str, float] = {"title": 3.0, "tags": 2.0, "body": 1.0}
BIGRAM_WEIGHT = 0.3
SYNONYM_WEIGHT = 0.8
K1 = 1.2
B = 0.75
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 48
MAX_TERM_LENGTH = 40
COMMON_SHARE = 0.2  # longer tokens (pasted hashes, URLs) are dropped: they never match

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KEEP = re.compile(r"[\w]")
# Chinese function words that say nothing about the topic, on top of the pipeline's list.
_EXTRA_STOPWORDS = frozenset(
    [
        "请问",
        "您好",
        "你好",
        "一下",
        "怎么办",
        "为什么",
        "怎样",
        "如何",
        "可不可以",
        "能不能",
        "是不是",
        "有没有",
        "咋",
        "咋办",
        "啥",
        "哪里",
        "哪儿",
        "多少",
        "几",
        "请",
        "帮",
        "帮忙",
        "问",
        "问下",
        "想",
        "想问",
        "一直",
        "老是",
        "总是",
        "又",
        "please",
        "how",
        "why",
        "what",
        "can",
        "could",
        "would",
        "should",
        "does",
        "do",
        "my",
        "i",
    ]
)


def prepare(text: str) -> str:
    """The text as the index sees it: half width, simplified, lower case."""
    return to_simplified(to_halfwidth(text)).lower()


def _subwords(word: str) -> list[str]:
    """Dictionary words inside a longer word (jieba's search mode): 网速慢 → 网速,
    宽带故障 → 宽带, 故障; so a customer's shorter word still meets the article's."""
    if len(word) < 3 or not _CJK.fullmatch(word):
        return []
    frequency = _tokenizer().FREQ
    found = []
    for size in (2, 3):
        for start in range(len(word) - size + 1):
            piece = word[start : start + size]
            if piece != word and frequency.get(piece) and piece not in STOPWORDS:
                found.append(piece)
    return found


def _words(prepared: str) -> list[str]:
    out: list[str] = []
    for token in segment(prepared, hmm=False):
        token = token.strip()
        if not token or len(token) > MAX_TERM_LENGTH or not _KEEP.search(token):
            continue
        if token in STOPWORDS or token in _EXTRA_STOPWORDS:
            continue
        if len(token) == 1 and token.isascii():
            continue
        out.append(token)
        out.extend(_subwords(token))
    return out


def _bigrams(prepared: str) -> list[str]:
    grams: list[str] = []
    for run in _CJK.findall(prepared):
        grams.extend("#" + a + b for a, b in pairwise(run))
    return grams


def terms(text: str) -> list[str]:
    """Index terms of ``text`` in order: its words, then its Chinese character bigrams."""
    prepared = prepare(text)
    return _words(prepared) + _bigrams(prepared)


def _weight(term: str) -> float:
    return BIGRAM_WEIGHT if term.startswith("#") else 1.0


@dataclass(frozen=True)
class IndexedText:
    """What the index stores for one article: weighted frequency per term, and its length."""

    frequencies: dict[str, float]
    length: float


def index_terms(*, title: str, tags: Iterable[str] = (), body: str = "") -> IndexedText:
    """Weighted term frequencies of an article's fields (see the module notes)."""
    weighted: dict[str, float] = {}
    fields = (("title", title), ("tags", " ".join(tags)), ("body", body))
    for field, text in fields:
        boost = FIELD_BOOSTS[field]
        prepared = prepare(text)
        # bigrams from the short fields only: in a body they would triple the index for
        # little gain (its words, with their sub-words, already meet the query's)
        found = _words(prepared) + (_bigrams(prepared) if field != "body" else [])
        for term in found:
            weighted[term] = weighted.get(term, 0.0) + boost * _weight(term)
    length = float(sum(weighted.values()))
    return IndexedText({t: round(f, 4) for t, f in weighted.items()}, round(length, 4))


class SynonymTable:
    """Groups of interchangeable words; each word may belong to several groups."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self.groups: list[tuple[str, ...]] = []
        self._of: dict[str, list[int]] = {}
        for group in groups:
            members = tuple(dict.fromkeys(prepare(w).strip() for w in group if w and w.strip()))
            if len(members) < 2:
                continue
            index = len(self.groups)
            self.groups.append(members)
            for member in members:
                self._of.setdefault(member, []).append(index)

    def __len__(self) -> int:
        return len(self.groups)

    def related(self, prepared_query: str, words: Iterable[str]) -> list[str]:
        """Members of every group the query touches, except those already in the query."""
        found: set[int] = set()
        for word in words:
            found.update(self._of.get(word, ()))
        for member, groups in self._of.items():
            if member in prepared_query:
                found.update(groups)
        out: list[str] = []
        for index in sorted(found):
            for member in self.groups[index]:
                if member not in prepared_query and member not in out:
                    out.append(member)
        return out


def query_terms(query: str, synonyms: SynonymTable | None = None) -> dict[str, float]:
    """Term → weight for a query (empty for an empty or punctuation-only query)."""
    prepared = prepare(query[:MAX_QUERY_CHARS])
    words = _words(prepared)
    weights: dict[str, float] = {}
    for term in words + _bigrams(prepared):
        weights[term] = max(weights.get(term, 0.0), _weight(term))
    if synonyms is not None and len(synonyms):
        for member in synonyms.related(prepared, words):
            for term in _words(prepare(member)) or [member]:
                weight = SYNONYM_WEIGHT * _weight(term)
                if weight > weights.get(term, 0.0):
                    weights[term] = weight
    if len(weights) > MAX_QUERY_TERMS:
        kept = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_QUERY_TERMS]
        weights = dict(kept)
    return weights


def idf(df: int, documents: int) -> float:
    """BM25's idf: ln(1 + (N − df + 0.5) / (df + 0.5))."""
    return math.log(1.0 + (documents - df + 0.5) / (df + 0.5))


def bm25_rank(
    query: Mapping[str, float],
    postings: Mapping[str, Mapping[int, float]],
    lengths: Mapping[int, float],
    *,
    documents: int,
    average_length: float,
    limit: int = 10,
    allowed: set[int] | None = None,
) -> list[tuple[int, float]]:
    """The ``limit`` best (document id, score) pairs, best first.

    ``postings[term]`` maps each document holding the term to its weighted frequency; df is
    the number of documents in it. ``allowed`` (if given) keeps only those documents; the
    statistics (N, df, avgdl) stay those of the whole index, so a filter never reorders.
    """
    if not query or documents <= 0:
        return []
    average = average_length if average_length > 0 else 1.0
    scores: dict[int, float] = {}
    for term, weight in query.items():
        docs = postings.get(term)
        if not docs:
            continue
        factor = weight * idf(len(docs), documents) * (K1 + 1.0)
        for doc, tf in docs.items():
            if allowed is not None and doc not in allowed:
                continue
            norm = K1 * (1.0 - B + B * lengths.get(doc, average) / average)
            scores[doc] = scores.get(doc, 0.0) + factor * tf / (tf + norm)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [(doc, round(score, 6)) for doc, score in ranked[: max(limit, 0)]]


def match_quality(
    score: float,
    query: str,
    df: Mapping[str, int],
    *,
    documents: int,
) -> float:
    """How much of the query the best result answers, in [0, 1]: its score over the score of
    a result holding each of the query's own terms once (synonyms left out)::

        ideal = Σ_t w(t) · idf(t)      (tf = 1 at average length: (k1 + 1)·tf / (tf + k1) = 1)

    A word no article holds has df = 0 and a large idf, so a query about something the base
    does not cover scores low even when one common word matched (the gap list's test)."""
    own = query_terms(query)
    if not own or documents <= 0:
        return 0.0
    ideal = 0.0
    for term, weight in own.items():
        ideal += weight * idf(df.get(term, 0), documents)
    return round(min(1.0, score / ideal), 4) if ideal > 0 else 0.0


def prune_common(df: Mapping[str, int], *, documents: int, share: float = COMMON_SHARE) -> set[str]:
    """Terms worth fetching: those in at most ``share`` of the documents (their idf is low,
    ln 1+(1−s)/s ≈ 1.4 at s = 0.2, against 5–9 for the words that tell articles apart) — but
    never fewer than the three rarest, so a query made only of common words still ranks."""
    present = {t: n for t, n in df.items() if n > 0}
    limit = max(share * documents, 50)
    kept = {t for t, n in present.items() if n <= limit}
    if len(kept) < 3:
        kept |= {t for t, _ in sorted(present.items(), key=lambda item: (item[1], item[0]))[:3]}
    return kept
