"""Supervised expectation classifier: TF-IDF of character n-grams → calibrated linear SVM.

Pipeline (model format 2, ``features="chars"``, the default): ``CharNgramVectorizer`` (character
1–3-grams and Latin words of the whole batch in NumPy, digits folded to 0: see
``yuqi.domain.text.features``) → ``TfidfTransformer(sublinear_tf=True)`` →
``CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), method="sigmoid",
ensemble=False)``.

``features="jieba"`` keeps the pipeline of model format 1 (``normalize`` →
``FastCountVectorizer(tokenizer=TextTokenizer())``: jieba words + character bigrams), for
comparison (``bench/text_bench.py``, ``yuqi text evaluate --features jieba``) and for a centre
whose labelled data shows that words win. On the data we have they do not: 5-fold macro-F1
waimai 0.8865 (chars) vs 0.8814 (jieba), CFPB sample 0.6844 vs 0.6799, while the jieba
pipeline predicted about 7× slower (4.6k vs 31k texts per CPU-second, ``bench/text_bench.py``).

A linear SVM on sparse TF-IDF is the standard strong baseline for
short-text classification (Joachims 1998; Wang & Manning 2012); Platt scaling (sigmoid) on internal
cross-validated scores turns its margins into probabilities that can be stored as a
confidence (Niculescu-Mizil & Caruana 2005). ``ensemble=False`` keeps one SVM at prediction
time (fast); the internal folds are reduced to the smallest class size (at least 2). With a
class of one example, calibration is impossible, and the classifier falls back to
``LogisticRegression`` (probabilistic by construction).

Assumptions: labels are handler-confirmed; texts are short (a complaint, a review). Files are
``joblib`` pickles: load only files this installation wrote (pickles can run code). Each file
carries ``FORMAT_VERSION``: format 1 (jieba pipeline) still loads and predicts and says it is
``outdated`` (the product retrains it: ``textmining.services.model_upgrade_outdated``); a file
without a format number, or a newer one, is refused with ``ModelFormatError``.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer

from yuqi.domain.text.features import CharNgramVectorizer
from yuqi.domain.text.normalize import normalize
from yuqi.domain.text.segment import TextTokenizer

__all__ = [
    "FEATURES",
    "FORMAT_VERSION",
    "SUPPORTED_FORMATS",
    "Evaluation",
    "FastCountVectorizer",
    "LabelScore",
    "ModelFormatError",
    "ModelMetadata",
    "Prediction",
    "TrainedModel",
    "build_pipeline",
    "cross_validate",
    "load",
    "tokenize",
    "train",
]

FORMAT_VERSION = 2  # 1: jieba words + character bigrams; 2: NumPy character n-grams
SUPPORTED_FORMATS = (1, 2)
FEATURES = ("chars", "jieba")
_MAGIC = "yuqi-text-classifier"


class ModelFormatError(ValueError):
    """The file is not a Yuqi text model, or was written by a newer Yuqi."""


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Scores of a stratified k-fold cross-validation (out-of-fold predictions of all texts)."""

    accuracy: float
    macro_f1: float
    per_label: dict[str, LabelScore]
    n: int
    folds: int
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_label": {
                label: {
                    "precision": s.precision,
                    "recall": s.recall,
                    "f1": s.f1,
                    "support": s.support,
                }
                for label, s in self.per_label.items()
            },
            "n": self.n,
            "folds": self.folds,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Prediction:
    """The most likely label, its calibrated probability, and the three best (label, p)."""

    label: str
    confidence: float
    top3: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ModelMetadata:
    version: str
    created: datetime
    label_counts: dict[str, int]
    n_train: int
    evaluation: Evaluation | None
    format_version: int = FORMAT_VERSION
    estimator: str = ""
    notes: tuple[str, ...] = field(default=())
    features: str = "jieba"  # files of format 1 predate this field: they are all "jieba"


def build_pipeline(
    labels: Sequence[str], *, seed: int = 0, features: str = "chars", pretokenized: bool = False
) -> Any:
    """The unfitted scikit-learn pipeline for these training labels (see module docstring).

    ``pretokenized=True`` (``features="jieba"`` only) builds the same pipeline for documents
    that are already token lists of ``tokenize`` (cross-validation segments each text once).
    """
    if features not in FEATURES:
        raise ValueError(f"features must be one of {', '.join(FEATURES)}, not {features!r}")
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    counts: Any
    if features == "chars":
        counts = CharNgramVectorizer(ngram_max=3, words=True)
    else:
        analysis: dict[str, Any] = (
            {"analyzer": _given_tokens}
            if pretokenized
            else {"tokenizer": TextTokenizer(), "preprocessor": _prepare, "token_pattern": None}
        )
        counts = FastCountVectorizer(
            **analysis,
            lowercase=False,
            min_df=1,
            max_df=0.95 if len(labels) >= 50 else 1.0,
            dtype=np.float32,
        )
    smallest = min(Counter(labels).values())
    if smallest >= 2:
        model: Any = CalibratedClassifierCV(
            LinearSVC(C=0.5, class_weight="balanced", random_state=seed),
            method="sigmoid",
            cv=min(3, smallest),
            ensemble=False,
        )
    else:
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    return Pipeline(
        [("counts", counts), ("tfidf", TfidfTransformer(sublinear_tf=True)), ("model", model)]
    )


class FastCountVectorizer(CountVectorizer):
    """``CountVectorizer`` with a faster ``transform`` for new texts (the jieba pipeline, and
    every model file of format 1, which pickles this class: keep it importable here).

    scikit-learn's ``transform`` raises and catches a ``KeyError`` for every token not in the
    vocabulary, which is most of the cost on unseen texts (many of their character bigrams
    are new); here unknown tokens are skipped with ``dict.get`` and the matrix is built in
    one go. Same output (a test compares it with scikit-learn's).
    """

    def transform(self, raw_documents: Any) -> Any:
        if isinstance(raw_documents, str):
            raise ValueError("an iterable of texts is expected, not one string")
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError("the vectoriser is not fitted")
        analyze = self.build_analyzer()
        lookup = self.vocabulary_.get
        columns: list[int] = []
        indptr = [0]
        for document in raw_documents:
            columns.extend(map(lookup, analyze(document), repeat(-1)))  # -1: unknown token
            indptr.append(len(columns))
        found = np.asarray(columns, dtype=np.int64)
        known = found >= 0
        kept_before = np.concatenate(([0], np.cumsum(known)))
        matrix = sp.csr_matrix(
            (
                np.ones(int(known.sum()), dtype=self.dtype),
                found[known],
                kept_before[np.asarray(indptr, dtype=np.int64)],
            ),
            shape=(len(indptr) - 1, len(self.vocabulary_)),
        )
        matrix.sum_duplicates()
        if self.binary:
            matrix.data.fill(1)
        return matrix


def _given_tokens(tokens: list[str]) -> list[str]:
    return tokens


def tokenize(text: str) -> list[str]:
    """The tokens the jieba pipeline sees for one text (normalised, masked, tokenised)."""
    return TextTokenizer()(_prepare(text))


def _prepare(text: str) -> str:
    # Masked: the fitted vocabulary is stored in the model file, so no phone or ID number
    # of a training text may become a feature.
    return normalize(text or "")


@dataclass(frozen=True)
class TrainedModel:
    """A fitted pipeline with its metadata; ``predict`` answers calibrated probabilities."""

    pipeline: Any
    metadata: ModelMetadata
    format_version: int = FORMAT_VERSION  # of the file it was loaded from

    @property
    def outdated(self) -> bool:
        """Written in an older model format: it predicts, but should be retrained."""
        return self.format_version < FORMAT_VERSION

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(label) for label in self.pipeline.classes_)

    def predict_proba(self, texts: Sequence[str], *, n_jobs: int = 1) -> Any:
        """Probabilities, one row per text, columns in ``labels`` order.

        ``n_jobs > 1`` splits a large batch (≥ ``PARALLEL_MIN`` texts) over forked worker
        processes: segmentation (the jieba features of format 1) is pure Python and holds the
        GIL, so threads would not help. Forking shares the loaded model copy-on-write, so
        nothing is pickled but the texts and the probabilities. The character features of
        format 2 run in NumPy at tens of thousands of texts per second on one core, where
        starting the pool costs more than it saves for batches of ten thousand texts
        (``bench/text_bench.py`` prints both). Meant for batch jobs, not for a web request;
        without ``fork`` (Windows, macOS spawn) it runs in-process.
        """
        texts = list(texts)
        if n_jobs > 1 and len(texts) >= PARALLEL_MIN and _can_fork():
            return _predict_forked(self.pipeline, texts, n_jobs)
        if len(texts) <= CHUNK:
            return self.pipeline.predict_proba(texts)
        # In chunks: the arrays of a chunk stay in the CPU caches (a batch of 10,000 texts at
        # once ran at two thirds of the rate on a busy machine).
        return np.vstack(
            [
                self.pipeline.predict_proba(texts[start : start + CHUNK])
                for start in range(0, len(texts), CHUNK)
            ]
        )

    def predict(self, texts: Sequence[str], *, n_jobs: int = 1) -> list[Prediction]:
        """One ``Prediction`` per text, vectorised in one batch."""
        if not len(texts):
            return []
        probabilities = self.predict_proba(texts, n_jobs=n_jobs)
        labels = np.asarray(self.labels, dtype=object)
        width = min(3, len(labels))
        order = np.argsort(-probabilities, axis=1, kind="stable")[:, :width]
        best = np.round(np.take_along_axis(probabilities, order, axis=1), 6).tolist()
        names = labels[order].tolist()
        return [
            Prediction(
                label=top_names[0], confidence=top[0], top3=tuple(zip(top_names, top, strict=True))
            )
            for top_names, top in zip(names, best, strict=True)
        ]

    def save(self, path: str | Path) -> Path:
        """Write the model with ``joblib`` (compressed); returns the path."""
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "magic": _MAGIC,
            "format_version": FORMAT_VERSION,
            "metadata": self.metadata,
            "pipeline": self.pipeline,
        }
        joblib.dump(payload, path, compress=3)
        return path


PARALLEL_MIN = 2000
CHUNK = 2048  # texts predicted at once
_FORKED_PIPELINE: Any = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _predict_chunk(texts: list[str]) -> Any:
    return _FORKED_PIPELINE.predict_proba(texts)


def _predict_forked(pipeline: Any, texts: list[str], n_jobs: int) -> Any:
    import multiprocessing

    global _FORKED_PIPELINE
    _FORKED_PIPELINE = pipeline
    size = math.ceil(len(texts) / (n_jobs * 4))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=DeprecationWarning)  # fork + threads
            with multiprocessing.get_context("fork").Pool(n_jobs) as pool:
                parts = pool.map(_predict_chunk, chunks)
    finally:
        _FORKED_PIPELINE = None
    return np.vstack(parts)


def load(path: str | Path) -> TrainedModel:
    """Read a model written by ``TrainedModel.save``. Formats in ``SUPPORTED_FORMATS`` load
    (an older one is ``outdated``); a newer or an unnumbered one is refused."""
    import joblib

    payload = joblib.load(Path(path))
    if not isinstance(payload, dict) or payload.get("magic") != _MAGIC:
        raise ModelFormatError(f"{path} is not a Yuqi text classifier file")
    version = payload.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ModelFormatError(
            f"{path} has no model format number (written before Yuqi numbered them); "
            "retrain the model"
        )
    if version > FORMAT_VERSION:
        raise ModelFormatError(
            f"{path} was written in model format {version}, newer than this Yuqi reads "
            f"({FORMAT_VERSION}); upgrade Yuqi or retrain the model"
        )
    if version not in SUPPORTED_FORMATS:
        raise ModelFormatError(
            f"{path} was written in model format {version}, which this Yuqi no longer reads "
            f"(it reads {', '.join(map(str, SUPPORTED_FORMATS))}); retrain the model"
        )
    return TrainedModel(
        pipeline=payload["pipeline"], metadata=payload["metadata"], format_version=version
    )


def _check(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    labels = [str(label) for label in labels]
    if len(set(labels)) < 2:
        raise ValueError("training needs at least two different labels")
    return [str(text or "") for text in texts], labels


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    evaluate: bool = True,
    folds: int = 5,
    seed: int = 0,
    version: str | None = None,
    created: datetime | None = None,
    features: str = "chars",
    n_jobs: int = 1,
) -> TrainedModel:
    """Fit the pipeline on all texts; with ``evaluate``, also score it by ``cross_validate``
    (k more fits) so the per-label precision/recall shown with the model are out-of-sample.

    ``n_jobs > 1`` fits the folds in that many forked worker processes while this one fits the
    whole model (the same fits, so the same model and scores; one process where fork is not
    available)."""
    texts, labels = _check(texts, labels)
    created = created or datetime.now(UTC)
    folded = evaluate and n_jobs > 1 and _can_fork()
    evaluation = (
        cross_validate(texts, labels, folds=folds, seed=seed, features=features)
        if evaluate and not folded
        else None
    )
    pipeline = build_pipeline(labels, seed=seed, features=features)
    forked = _folds_forked(texts, labels, folds, seed, features, n_jobs) if folded else _nothing()
    with forked as pending:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            pipeline.fit(texts, labels)
        if pending is not None:
            evaluation = pending()
    metadata = ModelMetadata(
        version=version or created.strftime("%Y%m%d%H%M%S"),
        created=created,
        label_counts=dict(sorted(Counter(labels).items())),
        n_train=len(texts),
        evaluation=evaluation,
        estimator=type(pipeline.named_steps["model"]).__name__,
        features=features,
    )
    return TrainedModel(pipeline=pipeline, metadata=metadata)


def _round(value: float) -> float:
    return 0.0 if math.isnan(value) else round(float(value), 4)


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    features: str = "chars",
) -> Evaluation:
    """Stratified k-fold cross-validation of the product pipeline.

    Folds are reduced to the size of the smallest label (with a note) when that is below
    ``folds``; labels with a single example cannot be both trained and tested and are left
    out (with a note). Scores come from the pooled out-of-fold predictions. With
    ``features="jieba"`` each text is segmented once (``tokenize``) and every fold fits on
    those tokens.
    """
    plan = _FoldPlan.make(texts, labels, folds=folds, seed=seed, features=features)
    return plan.evaluation([plan.fold(split) for split in plan.splits])


@dataclass
class _FoldPlan:
    """The folds of one cross-validation: the documents, labels and splits, each fold's
    fit (:meth:`fold`, run here or in a forked worker) and the pooled scores."""

    y: Any
    documents: list[Any]
    splits: list[tuple[Any, Any]]
    counts: Counter[str]
    notes: list[str]
    k: int
    seed: int
    features: str

    @classmethod
    def make(
        cls, texts: Sequence[str], labels: Sequence[str], *, folds: int, seed: int, features: str
    ) -> _FoldPlan:
        from sklearn.model_selection import StratifiedKFold

        texts, labels = _check(texts, labels)
        notes: list[str] = []
        counts = Counter(labels)
        singles = sorted(label for label, count in counts.items() if count < 2)
        if singles:
            notes.append(f"left out labels with one example: {', '.join(singles)}")
            kept = [i for i, label in enumerate(labels) if counts[label] >= 2]
            texts = [texts[i] for i in kept]
            labels = [labels[i] for i in kept]
            counts = Counter(labels)
            if len(counts) < 2:
                raise ValueError("cross-validation needs two labels with at least two examples")
        smallest = min(counts.values())
        k = max(2, min(folds, smallest))
        if k < folds:
            notes.append(f"folds reduced from {folds} to {k}: the smallest label has {smallest}")
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        y = np.asarray(labels, dtype=object)
        jieba = features == "jieba"
        documents: list[Any] = [tokenize(text) for text in texts] if jieba else list(texts)
        splits = list(splitter.split(np.zeros(len(y)), y))
        return cls(y, documents, splits, counts, notes, k, seed, features)

    def fold(self, split: tuple[Any, Any]) -> Any:
        """Fit one fold; its out-of-fold predictions."""
        train_index, test_index = split
        jieba = self.features == "jieba"
        fold_labels = list(self.y[train_index])
        pipeline = build_pipeline(
            fold_labels, seed=self.seed, features=self.features, pretokenized=jieba
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            pipeline.fit([self.documents[i] for i in train_index], fold_labels)
        return pipeline.predict([self.documents[i] for i in test_index])

    def evaluation(self, predictions: Sequence[Any]) -> Evaluation:
        """The scores of the pooled out-of-fold predictions (one per split, in order)."""
        from sklearn.metrics import accuracy_score, precision_recall_fscore_support

        y, counts, notes, k = self.y, self.counts, self.notes, self.k
        predicted = np.empty(len(y), dtype=object)
        for (_train_index, test_index), fold_predicted in zip(
            self.splits, predictions, strict=True
        ):
            predicted[test_index] = fold_predicted
        names = sorted(counts)
        precision, recall, f1, support = precision_recall_fscore_support(
            y, predicted, labels=names, zero_division=0
        )
        per_label = {
            name: LabelScore(_round(p), _round(r), _round(f), int(s))
            for name, p, r, f, s in zip(names, precision, recall, f1, support, strict=True)
        }
        return Evaluation(
            accuracy=_round(accuracy_score(y, predicted)),
            macro_f1=_round(float(np.mean(f1))),
            per_label=per_label,
            n=len(y),
            folds=k,
            notes=tuple(notes),
        )


#: The plan whose folds forked workers fit (set only while they run; see ``_folds_forked``).
_FORKED_PLAN: _FoldPlan | None = None


def _forked_fold(index: int) -> Any:
    assert _FORKED_PLAN is not None
    return _FORKED_PLAN.fold(_FORKED_PLAN.splits[index])


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


@contextmanager
def _folds_forked(
    texts: Sequence[str],
    labels: Sequence[str],
    folds: int,
    seed: int,
    features: str,
    n_jobs: int,
) -> Iterator[Callable[[], Evaluation]]:
    """Fit the cross-validation's folds in ``n_jobs`` forked workers while the block runs;
    gives a function that waits for them and returns the evaluation."""
    import multiprocessing

    global _FORKED_PLAN
    plan = _FoldPlan.make(texts, labels, folds=folds, seed=seed, features=features)
    _FORKED_PLAN = plan
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=DeprecationWarning)  # fork + threads
            pool = multiprocessing.get_context("fork").Pool(
                min(n_jobs, len(plan.splits)), initializer=_default_stop_signals
            )
        try:
            pending = pool.map_async(_forked_fold, range(len(plan.splits)), chunksize=1)
            yield lambda: plan.evaluation(pending.get())
            pool.close()  # the workers end when the queue says so, not by a signal
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    finally:
        _FORKED_PLAN = None


def _default_stop_signals() -> None:
    """A forked fold worker stops on SIGTERM and SIGINT whatever its parent made of them: a
    process that had set its own handler (a worker's graceful stop, which only sets a flag)
    left a terminated pool's workers alive and its ``join`` waiting for ever."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
