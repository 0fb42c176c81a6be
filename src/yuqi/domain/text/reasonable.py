"""The "reasonable complaint" filter (合理投诉): spam, near-duplicates, handler's judgement.

Only reasonable complaints feed the expectation evaluation. ``screen(texts, ...)`` returns
one ``Screening`` per text with flags and reasons; ``excluded`` is true when any flag is set.

* **spam**: too short (fewer than ``min_chars`` letters, digits or CJK characters after
  normalisation); repeated characters only (one or two distinct characters, or one
  character making up more than 60 % of a text of 6+); gibberish (mostly symbols, or long
  Latin letter runs without vowels or along a keyboard row: keyboard mashing); advertising
  (links, "加微信",
  QQ groups, invoices for sale, part-time jobs, 刷单 …).
* **near-duplicate**: the normalised text (masked, simplified, lower-case, without
  punctuation and spaces) as character 3-shingles; MinHash signatures (64 hashes,
  16 bands × 4 rows, Broder 1997; Leskovec et al., *Mining of Massive Datasets* ch. 3) find
  candidates, and the exact Jaccard similarity of the shingle sets decides (≥ ``threshold``,
  0.8 by default; equal normalised texts are duplicates whatever their length). The first
  occurrence is kept; later ones point at it, within the batch or at ``previous`` texts.
* **unreasonable**: the handler's mark, passed in per text (``unreasonable`` indices or keys).

Hashes are ``blake2b`` of the shingles (stable across processes, unlike ``hash()``), XOR-ed
with 64 fixed random masks for the 64 MinHash functions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from yuqi.domain.text.normalize import normalize

__all__ = ["DuplicateIndex", "Flag", "Screening", "jaccard", "screen", "shingles", "spam_reasons"]

_MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
_PUNCT_SPACE = re.compile(r"[^0-9a-z\u3400-\u9fff*]+")
_ADS = re.compile(
    r"https?://|www\.|\.com\b|\.cn\b|加(我)?(微信|v信|vx|qq)|微信号|vx[:：]?\s*\w{5,}|qq群|扫码|"
    r"代开发票|发票代开|兼职|刷单|日赚|日结|贷款秒批|无抵押|优惠券领取|点击领取|免费领取|"
    r"click here|buy now|free money|work from home",
    re.IGNORECASE,
)
_LATIN_RUN = re.compile(r"[a-z]{6,}")
_VOWELS = set("aeiou")
_KEYBOARD = re.compile(
    r"qwer|wert|erty|rtyu|tyui|yuio|uiop|asdf|sdfg|dfgh|fghj|ghjk|hjkl|zxcv|xcvb|cvbn|vbnm"
)
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS


@dataclass(frozen=True)
class Flag:
    code: str  # too_short, repeated_chars, gibberish, advertising, duplicate, unreasonable
    reason: str


@dataclass(frozen=True)
class Screening:
    flags: tuple[Flag, ...]
    duplicate_of: Hashable | None = None
    similarity: float | None = None

    @property
    def excluded(self) -> bool:
        return bool(self.flags)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)

    @property
    def spam(self) -> bool:
        return any(flag.code in _SPAM_CODES for flag in self.flags)


_SPAM_CODES = frozenset({"too_short", "repeated_chars", "gibberish", "advertising"})


def _canonical(text: str) -> str:
    return _PUNCT_SPACE.sub("", normalize(text or "").lower())


def spam_reasons(text: str, *, min_chars: int = 4) -> list[Flag]:
    """Spam flags of one text (empty when it looks like a real message)."""
    prepared = normalize(text or "")
    meaningful = _MEANINGFUL.findall(prepared)
    flags: list[Flag] = []
    if len(meaningful) < min_chars:
        flags.append(Flag("too_short", f"only {len(meaningful)} letters or characters"))
    canonical = _canonical(prepared)
    if canonical:
        distinct = set(canonical)
        top = max(canonical.count(char) for char in distinct)
        if len(canonical) >= 3 and (
            len(distinct) <= 2 or (len(canonical) >= 6 and top / len(canonical) > 0.6)
        ):
            flags.append(Flag("repeated_chars", "the same character(s) repeated"))
    if prepared and len(meaningful) / max(len(prepared.replace(" ", "")), 1) < 0.4:
        flags.append(Flag("gibberish", "mostly symbols"))
    else:
        runs = _LATIN_RUN.findall(prepared.lower())
        mashed = [run for run in runs if not set(run) & _VOWELS or _KEYBOARD.search(run)]
        if mashed:
            flags.append(Flag("gibberish", f"letters without vowels: {mashed[0]}"))
    advert = _ADS.search(prepared)
    if advert:
        flags.append(Flag("advertising", f"link or advert: {advert.group(0)}"))
    return flags


def shingles(text: str, size: int = 3) -> frozenset[str]:
    """Character ``size``-shingles of the canonical text (the text itself when shorter)."""
    canonical = _canonical(text)
    if len(canonical) <= size:
        return frozenset({canonical}) if canonical else frozenset()
    return frozenset(canonical[i : i + size] for i in range(len(canonical) - size + 1))


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def _hash(shingle: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "little"
    )


@lru_cache(maxsize=1)
def _masks() -> Any:
    import numpy as np

    return np.random.default_rng(20261129).integers(0, 2**63, NUM_HASHES, dtype=np.uint64)


def _signature(items: frozenset[str]) -> tuple[int, ...]:
    """MinHash signature: each shingle hashed once, the ``NUM_HASHES`` hash functions are
    that hash XOR-ed with fixed random masks (a standard cheap family of permutations)."""
    import numpy as np

    hashes = np.fromiter((_hash(item) for item in sorted(items)), dtype=np.uint64)
    return tuple(int(v) for v in (hashes[:, None] ^ _masks()[None, :]).min(axis=0))


@dataclass
class DuplicateIndex:
    """Texts seen so far, for near-duplicate look-ups (MinHash LSH + exact Jaccard)."""

    threshold: float = 0.8
    _exact: dict[str, Hashable] = field(default_factory=dict)
    _sets: dict[Hashable, frozenset[str]] = field(default_factory=dict)
    _buckets: dict[tuple[int, tuple[int, ...]], list[Hashable]] = field(default_factory=dict)

    def find(self, text: str) -> tuple[Hashable, float] | None:
        """The most similar earlier text's key and its Jaccard similarity, if ≥ threshold."""
        canonical = _canonical(text)
        if not canonical:
            return None
        if canonical in self._exact:
            return self._exact[canonical], 1.0
        items = shingles(text)
        signature = _signature(items)
        best: tuple[Hashable, float] | None = None
        seen: set[Hashable] = set()
        for band in range(BANDS):
            key = (band, signature[band * ROWS : (band + 1) * ROWS])
            for candidate in self._buckets.get(key, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                score = jaccard(items, self._sets[candidate])
                if score >= self.threshold and (best is None or score > best[1]):
                    best = (candidate, round(score, 4))
        return best

    def add(self, key: Hashable, text: str) -> None:
        canonical = _canonical(text)
        if not canonical:
            return
        self._exact.setdefault(canonical, key)
        items = shingles(text)
        self._sets[key] = items
        signature = _signature(items)
        for band in range(BANDS):
            self._buckets.setdefault((band, signature[band * ROWS : (band + 1) * ROWS]), []).append(
                key
            )


def screen(
    texts: Sequence[str],
    *,
    keys: Sequence[Hashable] | None = None,
    previous: Iterable[tuple[Hashable, str]] = (),
    unreasonable: Iterable[Hashable] = (),
    threshold: float = 0.8,
    min_chars: int = 4,
) -> list[Screening]:
    """Flags for each text of a batch (see the module docstring).

    ``keys`` name the texts (default: their indices); ``previous`` is (key, text) of texts
    already accepted (e.g. this month's complaints), ``unreasonable`` the keys the handler
    judged unreasonable. Spam is not indexed for duplicates.
    """
    keys = list(keys) if keys is not None else list(range(len(texts)))
    if len(keys) != len(texts):
        raise ValueError("keys and texts differ in length")
    marked = set(unreasonable)
    index = DuplicateIndex(threshold=threshold)
    for key, text in previous:
        index.add(key, text)
    results: list[Screening] = []
    for key, text in zip(keys, texts, strict=True):
        flags = spam_reasons(text, min_chars=min_chars)
        duplicate_of = similarity = None
        if not flags:
            found = index.find(text)
            if found is not None:
                duplicate_of, similarity = found
                flags.append(
                    Flag("duplicate", f"near-duplicate of {duplicate_of} ({similarity:.0%})")
                )
            else:
                index.add(key, text)
        if key in marked:
            flags.append(Flag("unreasonable", "judged unreasonable by the handler"))
        results.append(Screening(tuple(flags), duplicate_of, similarity))
    return results
