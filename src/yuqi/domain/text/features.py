"""Character n-gram (and Latin word) counts for a whole batch of texts at once, in NumPy.

``CharNgramVectorizer`` is the classifier's feature step (a scikit-learn transformer). A
batch is joined into one UTF-32 buffer and every step runs over the code-point array:

1. **normalise** through one table of the 65,536 BMP code points: full width → half width
   (``Ａ１！，`` → ``A1!,``), traditional → simplified (the single characters of ``zhconv``'s
   table, the one ``normalize.to_simplified`` uses; its phrase rules are not needed to count
   characters), upper → lower case, **every digit → 0**, and every kind of white space → one
   space (runs collapsed);
2. **n-grams**: each character, pair and (by default) triple inside a text is one int64
   key — ``c``, ``c1 << 21 | c2``, ``c1 << 42 | c2 << 21 | c3`` (a code point needs 21 bits,
   so the three kinds never collide);
3. **Latin words** (``[a-z][a-z']+``) as tokens of their own, looked up in a dict: English
   complaints need words (5-fold macro-F1 on the CFPB sample 0.65 with characters alone,
   0.68 with words);
4. **look-up** of the keys in an open-addressing hash table of the fitted keys (Fibonacci
   hashing, linear probing, at most half full; built on first use, not pickled), all keys of
   the batch probed together, then one CSR matrix of counts. A binary search
   (``numpy.searchsorted``) took three times as long: each key cost some twenty dependent
   cache misses.

No segmentation: jieba words did not win on the labelled data we have (waimai, CFPB; see
``bench/text_bench.py``), and they cost most of the prediction time. Because every digit is
0, no phone, ID or card number can become a feature of a stored model, so the text needs no
masking first (it is usually masked already).

Assumes nothing about the language; characters outside the BMP are counted as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError

__all__ = ["CharNgramVectorizer"]

_BMP = 0x10000
_SPACE = 0x20
_SEPARATOR = 0  # between the texts of a batch (a NUL in a text becomes a space)
_WORD = re.compile(r"[a-zＡ-Ｚａ-ｚ][a-zＡ-Ｚａ-ｚ'＇]+", re.I)  # full-width letters too
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """Code point → normalised code point, for the BMP (built once, 256 KB)."""
    from zhconv import zhconv

    table = np.arange(_BMP, dtype=np.uint32)
    for pairs in zhconv.getdict("zh-hans").items():
        source, target = pairs
        if len(source) == 1 and len(target) == 1 and ord(source) < _BMP and ord(target) < _BMP:
            table[ord(source)] = ord(target)
    table[ord("帐")] = ord("账")  # mainland usage for money matters (as normalize does)
    table[0xFF01:0xFF5F] = np.arange(0x21, 0x7F, dtype=np.uint32)  # full → half width
    for char in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000":
        table[ord(char)] = _SPACE
    table[0x2000:0x200B] = _SPACE
    table[_SEPARATOR] = _SEPARATOR
    lower = np.arange(_BMP, dtype=np.uint32)
    lower[ord("A") : ord("Z") + 1] += 32
    lower[ord("0") : ord("9") + 1] = ord("0")
    return lower[table]


def _code_points(texts: list[str]) -> np.ndarray:
    """The normalised code points of the batch, texts separated by ``_SEPARATOR``."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):  # a NUL inside a text
        joined = "\x00".join(text.replace("\x00", " ") for text in texts)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    small = points < _BMP
    points[small] = _table()[points[small]]
    space = points == _SPACE
    repeated = space[1:] & space[:-1]
    if repeated.any():
        points = points[np.concatenate(([True], ~repeated))]
    return points


def _keys(texts: list[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every n-gram key (n = 1..``size``) of the batch and the index of its text."""
    points = _code_points(texts)
    separator = points == _SEPARATOR
    document = np.cumsum(separator)
    keys, documents = [points[~separator]], [document[~separator]]
    for n in range(2, size + 1):
        inside = ~separator[n - 1 :]
        key = points[n - 1 :].copy()
        for back in range(1, n):
            start = n - 1 - back
            part = points[start : len(points) - back]
            inside &= ~separator[start : len(points) - back]
            key |= part << (21 * back)
        keys.append(key[inside])
        documents.append(document[n - 1 :][inside])
    return np.concatenate(keys), np.concatenate(documents)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class _KeyTable:
    """Int64 key → column, for many keys at once (open addressing, linear probing)."""

    def __init__(self, keys: np.ndarray) -> None:
        self.bits = max(4, int(2 * max(len(keys), 1) - 1).bit_length())  # at most half full
        self.mask = (1 << self.bits) - 1
        self.slots = np.full(1 << self.bits, -1, dtype=np.int64)  # keys are never negative
        self.columns = np.zeros(1 << self.bits, dtype=np.int64)
        pending = np.arange(len(keys), dtype=np.int64)
        slot = self._hash(keys)
        while len(pending):
            free = self.slots[slot] == -1
            # of the keys aiming at one free slot, the first takes it; the others move on
            chosen, first = np.unique(slot[free], return_index=True)
            winners = pending[free][first]
            self.slots[chosen] = keys[winners]
            self.columns[chosen] = winners
            placed = np.zeros(len(pending), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            pending, slot = pending[~placed], (slot[~placed] + 1) & self.mask

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        mixed = keys.view(np.uint64) * _GOLDEN  # keys are not negative; wraps: Fibonacci hashing
        return (mixed >> np.uint64(64 - self.bits)).view(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The column of each key, -1 for keys not in the table."""
        found = np.full(len(keys), -1, dtype=np.int64)
        pending = np.arange(len(keys), dtype=np.int64)
        slot = self._hash(keys)
        while len(pending):
            stored = self.slots[slot]
            hit = stored == keys[pending]
            found[pending[hit]] = self.columns[slot[hit]]
            going = ~hit & (stored != -1)  # an empty slot ends the search: not a feature
            pending, slot = pending[going], (slot[going] + 1) & self.mask
        return found


def _decode(key: int) -> str:
    chars = []
    while key:
        chars.append(chr(key & 0x1FFFFF))
        key >>= 21
    return "".join(reversed(chars))


class CharNgramVectorizer(TransformerMixin, BaseEstimator):
    """Counts of character 1..``ngram_max``-grams and Latin words (see the module docstring).

    ``min_df`` / ``max_df`` drop features found in fewer than ``min_df`` texts or in more than
    the share ``max_df`` of them, as in scikit-learn. Output: CSR, float32 counts, columns
    = sorted character keys, then words.
    """

    def __init__(
        self, ngram_max: int = 3, *, words: bool = True, min_df: int = 1, max_df: float = 1.0
    ) -> None:
        self.ngram_max = ngram_max
        self.words = words
        self.min_df = min_df
        self.max_df = max_df

    def _word_tokens(self, texts: list[str]) -> tuple[list[str], np.ndarray]:
        tokens: list[str] = []
        documents: list[int] = []
        if self.words:
            for index, text in enumerate(texts):
                found = _WORD.findall(text)
                if found:
                    tokens.extend(
                        (word if word.isascii() else word.translate(_HALFWIDTH)).lower()
                        for word in found
                    )
                    documents.extend(repeat(index, len(found)))
        return tokens, np.asarray(documents, dtype=np.int64)

    def _kept(self, keys: np.ndarray, documents: np.ndarray, n_texts: int) -> np.ndarray:
        """The distinct keys whose document frequency is within ``min_df``/``max_df``."""
        if not len(keys):
            return keys
        order = np.lexsort((documents, keys))
        keys, documents = keys[order], documents[order]
        first = np.ones(len(keys), dtype=bool)  # first time a key is seen in a document
        first[1:] = (keys[1:] != keys[:-1]) | (documents[1:] != documents[:-1])
        unique, frequency = np.unique(keys[first], return_counts=True)
        keep = frequency >= self.min_df
        if self.max_df < 1.0:
            keep &= frequency <= self.max_df * n_texts
        return unique[keep]

    def fit(self, raw_documents: Iterable[str], y: object = None) -> CharNgramVectorizer:
        texts = _texts(raw_documents)
        keys, documents = _keys(texts, self.ngram_max)
        self.char_keys_ = self._kept(keys, documents, len(texts))
        self._table = _KeyTable(self.char_keys_)
        tokens, token_documents = self._word_tokens(texts)
        names = sorted(set(tokens))
        if names and (self.min_df > 1 or self.max_df < 1.0):
            index = {name: i for i, name in enumerate(names)}
            codes = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
            kept = set(self._kept(codes, token_documents, len(texts)).tolist())
            names = [name for i, name in enumerate(names) if i in kept]
        self.words_ = {name: i for i, name in enumerate(names)}
        return self

    def transform(self, raw_documents: Iterable[str]) -> sp.csr_matrix:
        if not hasattr(self, "char_keys_"):
            raise NotFittedError("the vectoriser is not fitted")
        texts = _texts(raw_documents)
        width = len(self.char_keys_)
        keys, documents = _keys(texts, self.ngram_max)
        table = getattr(self, "_table", None)
        if table is None:  # loaded from a file: the table is rebuilt, not stored
            table = self._table = _KeyTable(self.char_keys_)
        columns = table.find(keys)
        found = columns >= 0
        rows, cols = [documents[found]], [columns[found]]
        tokens, token_documents = self._word_tokens(texts)
        if tokens:
            codes = np.fromiter(
                map(self.words_.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens)
            )
            known = codes >= 0
            rows.append(token_documents[known])
            cols.append(codes[known] + width)
        row, col = np.concatenate(rows), np.concatenate(cols)
        matrix = sp.csr_matrix(
            (np.ones(len(row), dtype=np.float32), (row, col)),
            shape=(len(texts), width + len(self.words_)),
        )
        matrix.sum_duplicates()
        return matrix

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_table", None)  # rebuilt on first use: smaller files
        return state

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The features as text (n-grams as normalised characters, words prefixed ``w:``)."""
        names = [_decode(int(key)) for key in self.char_keys_]
        names += ["w:" + word for word in self.words_]
        return np.asarray(names, dtype=object)


def _texts(raw_documents: Iterable[str]) -> list[str]:
    if isinstance(raw_documents, str):
        raise ValueError("an iterable of texts is expected, not one string")
    return [text if isinstance(text, str) else "" for text in raw_documents]
