"""Text pipeline benchmark: prediction rate, training time and macro-F1 on real data, for the
plain scikit-learn anchor, Yuqi's pipeline before (jieba words, model format 1) and after
(NumPy character n-grams, model format 2), measured in the same run.

    .venv/bin/python bench/text_bench.py [--data DIR] [--predict-rows 10000] [--repeat 3]
                                         [--train-rows 50000] [--jobs 2] [--folds 5]
                                         [--parts throughput,training,accuracy]

The labelled corpora are not shipped with Yuqi (no licence for redistribution): put
``waimai_10k.csv`` and ``cfpb_complaints_product4_sample.csv`` in ``var/bench-data/`` inside the
checkout (``var/`` is git-ignored; a symbolic link to a shared folder will do) or pass
``--data DIR``. Without them, parts 1–2 run on service-complaint templates and part 3 is skipped,
and the output says so.

1. **Prediction rate on one core** (the process is pinned to one CPU where the OS allows):
   each pipeline is trained on the real Chinese delivery reviews, then predicts
   ``--predict-rows`` texts of exactly 80 characters that it has never seen (random
   concatenations of real reviews, cut to 80 characters, so no cache helps). ``--repeat``
   rounds, each with fresh texts, the pipelines taking turns within a round so that other work
   on the machine hits them alike; the median and the range of the rounds are printed, as
   texts per wall-clock second and per CPU-second (this process only: what a busy shared
   machine does not change). Yuqi's rate is for ``TrainedModel.predict``: calibrated
   probabilities and the three best labels per text; the anchor's is scikit-learn's bare
   ``predict`` (no probabilities). Then Yuqi's current pipeline with ``--jobs`` processes.
2. **Training time** on ``--train-rows`` texts (50,000), made by *resampling and perturbing
   the real corpus* (each text joins two random reviews of one label, then drops one random
   character in ten), for Yuqi before and after.
3. **Accuracy and macro-F1**, stratified 5-fold cross-validation (the same folds for every
   method) on ``waimai_10k.csv`` (label/review, Chinese sentiment) and
   ``cfpb_complaints_product4_sample.csv`` (Product/Consumer complaint narrative, English):
   the anchor, Yuqi before and after, and two baselines (majority class; keyword rules).

Anchor: ``TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)`` +
``LinearSVC()``, the plain pipeline of the outside performance review.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from yuqi.domain.text.classifier import FORMAT_VERSION, cross_validate, train  # noqa: E402
from yuqi.domain.text.segment import warm_up  # noqa: E402

DEFAULT_DATA = ROOT / "var" / "bench-data"
TARGET = 20_000  # texts per second on one core [issue-022]
WAIMAI = "waimai_10k.csv"
CFPB = "cfpb_complaints_product4_sample.csv"

POSITIVE = (
    "好吃",
    "不错",
    "快",
    "满意",
    "好评",
    "赞",
    "喜欢",
    "新鲜",
    "准时",
    "热情",
    "推荐",
    "棒",
    "美味",
    "香",
    "实惠",
    "谢谢",
    "辛苦",
    "给力",
    "可口",
    "很好",
)
NEGATIVE = (
    "慢",
    "难吃",
    "差",
    "凉",
    "冷",
    "没送",
    "少",
    "退",
    "投诉",
    "错",
    "咸",
    "贵",
    "等了",
    "不好",
    "失望",
    "垃圾",
    "太久",
    "超时",
    "态度",
    "小时",
    "恶心",
    "再也不",
    "一般",
    "没有",
    "不",
)
CFPB_KEYWORDS = {
    "Credit reporting, repair, or other": (
        "credit report",
        "equifax",
        "experian",
        "transunion",
        "credit bureau",
        "dispute",
        "inquir",
        "fcra",
        "credit score",
        "reporting",
    ),
    "Debt collection": (
        "debt",
        "collector",
        "collection",
        "collect",
        "owe",
        "validation",
        "fdcpa",
        "harass",
    ),
    "Mortgage": (
        "mortgage",
        "escrow",
        "foreclos",
        "loan modification",
        "servicer",
        "refinanc",
        "home",
        "property",
    ),
    "Consumer Loan": (
        "car",
        "vehicle",
        "auto loan",
        "auto",
        "installment",
        "repossess",
        "title loan",
        "dealer",
    ),
}
TEMPLATES = {
    "billing": [
        "话费莫名多扣了{n}元，要求退还",
        "套餐资费和宣传的不一样，乱收费",
        "账单里有不认识的增值业务扣费",
    ],
    "quality": ["宽带又断网了，网速太慢", "家里信号差，打电话老掉线", "光猫坏了，{n}天没网用"],
    "callback": ["说好回电结果没人联系我", "等了{n}天也没有回访", "请尽快给我回个电话"],
    "attitude": ["客服态度很差，直接挂我电话", "工作人员很不耐烦，敷衍了事", "营业员态度恶劣"],
}


def read_csv(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [(r[text_col].strip(), r[label_col].strip()) for r in csv.DictReader(handle)]
    rows = [(text, label) for text, label in rows if text and label]
    return [text for text, _ in rows], [label for _, label in rows]


def templated(rows: int, rng: random.Random) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    names = sorted(TEMPLATES)
    for _ in range(rows):
        label = rng.choice(names)
        text = rng.choice(TEMPLATES[label]).format(n=rng.randint(2, 300))
        texts.append(
            text + rng.choice(["", "！", "，今天之内处理", "，已经第三次了", "，太过分了"])
        )
        labels.append(label)
    return texts, labels


def perturbed(
    texts: list[str], labels: list[str], rows: int, rng: random.Random
) -> tuple[list[str], list[str]]:
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    names = sorted(by_label)
    weights = [len(by_label[name]) for name in names]
    out_texts, out_labels = [], []
    for _ in range(rows):
        label = rng.choices(names, weights)[0]
        joined = rng.choice(by_label[label]) + "，" + rng.choice(by_label[label])
        out_texts.append("".join(ch for ch in joined if rng.random() >= 0.1))
        out_labels.append(label)
    return out_texts, out_labels


def eighty_char_texts(pool: list[str], count: int, rng: random.Random) -> list[str]:
    result = []
    for index in range(count):
        text = ""
        while len(text) < 80:
            text += rng.choice(pool) + "，"
        result.append(text[:76] + f"{index:04d}"[-4:])
    return result


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _cpu_seconds_with_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rate(predict: Callable[[list[str]], object], texts: list[str]) -> tuple[float, float]:
    """Texts per wall-clock second and per CPU-second of this process."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    predict(texts)
    wall = time.perf_counter() - started
    return len(texts) / wall, len(texts) / max(_cpu_seconds() - cpu, 1e-9)


def anchor_pipeline():
    """The plain scikit-learn pipeline every figure is compared with."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    return Pipeline([("tfidf", vectorizer), ("svm", LinearSVC())])


def pin_to_one_cpu() -> str:
    """Pin this process to one CPU (the one it runs on); returns what was done."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (the OS cannot): one process, one thread"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):>9,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def baselines(
    texts: list[str], labels: list[str], rules, folds: int
) -> dict[str, tuple[float, float]]:
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=object)
    majority_pred = np.empty(len(y), dtype=object)
    rule_pred = np.empty(len(y), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_index, test_index in splitter.split(np.zeros(len(y)), y):
        majority = Counter(y[train_index]).most_common(1)[0][0]
        majority_pred[test_index] = majority
        for i in test_index:
            rule_pred[i] = rules(texts[i]) or majority
    names = sorted(set(labels))
    return {
        name: (
            accuracy_score(y, pred),
            f1_score(y, pred, labels=names, average="macro", zero_division=0),
        )
        for name, pred in (("majority class", majority_pred), ("keyword rules", rule_pred))
    }


def sentiment_rules(text: str) -> str | None:
    positive = sum(word in text for word in POSITIVE)
    negative = sum(word in text for word in NEGATIVE)
    if positive == negative:
        return None
    return "1" if positive > negative else "0"


def product_rules(text: str) -> str | None:
    lowered = text.lower()
    scores = {
        product: sum(lowered.count(word) for word in words)
        for product, words in CFPB_KEYWORDS.items()
    }
    best = max(scores.values())
    if best == 0:
        return None
    winners = [product for product, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"default {DEFAULT_DATA.relative_to(ROOT)}"
    )
    parser.add_argument("--train-rows", type=int, default=50_000)
    parser.add_argument("--predict-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of part 1 (median shown)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--parts", default="throughput,training,accuracy", help="comma-separated parts to run"
    )
    args = parser.parse_args()
    args.parts = set(args.parts.split(","))
    rng = random.Random(20261129)
    print(f"Yuqi text benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    print(f"model format {FORMAT_VERSION}; load average {os.getloadavg()[0]:.2f} at start")
    started = time.perf_counter()
    warm_up()
    print(f"jieba + user dictionary loaded in {time.perf_counter() - started:.2f} s")

    waimai = args.data / WAIMAI
    cfpb = args.data / CFPB
    have_data = waimai.is_file() and cfpb.is_file()
    if have_data:
        texts, labels = read_csv(waimai, "review", "label")
        source = f"resampled+perturbed {WAIMAI}"
        print(f"data: {args.data}")
    else:
        print(
            f"data folder {args.data} lacks {WAIMAI} / {CFPB}: templates only, accuracy "
            "skipped (put the files there or pass --data DIR)"
        )
        texts, labels = templated(5_000, rng)
        source = "generated service-complaint templates"

    if "throughput" in args.parts:
        part_throughput(texts, labels, args, rng)
    if "training" in args.parts:
        part_training(texts, labels, source, have_data, args, rng)
    if "accuracy" in args.parts:
        if not have_data:
            print("\n3. Accuracy on real corpora: skipped (data folder missing)")
        else:
            part_accuracy(texts, labels, args.data / CFPB, args.folds)
    return 0


def part_throughput(texts, labels, args, rng) -> None:
    print(
        f"\n1. Prediction rate, one core ({args.predict_rows:,} texts of 80 characters, never "
        f"seen; median and range of {args.repeat} rounds)"
    )
    anchor = anchor_pipeline().fit(texts, labels)
    before = train(texts, labels, evaluate=False, features="jieba")
    after = train(texts, labels, evaluate=False, features="chars")
    pipelines = {
        "anchor: scikit-learn char 1-2 + LinearSVC": anchor.predict,
        "yuqi before: jieba words (format 1)": before.predict,
        "yuqi after: char n-grams (format 2)": after.predict,
    }
    pinned = pin_to_one_cpu()
    print(f"   {pinned}; load average {os.getloadavg()[0]:.2f} (other work slows the wall clock)")
    warm = eighty_char_texts(texts, 200, rng)
    for predict in pipelines.values():
        predict(warm)  # first-use costs (tables, caches) are not part of the rate
    walls: dict[str, list[float]] = {name: [] for name in pipelines}
    cpus: dict[str, list[float]] = {name: [] for name in pipelines}
    names = list(pipelines)
    for round_number in range(args.repeat):
        sample = eighty_char_texts(texts, args.predict_rows, rng)
        turn = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in turn:
            wall, cpu = rate(pipelines[name], sample)
            walls[name].append(wall)
            cpus[name].append(cpu)
    print(f"   {'pipeline':<44}{'texts/s (range)':>26}{'per CPU-s (range)':>28}")
    for name in names:
        print(f"   {name:<44}{_summary(walls[name]):>26}{_summary(cpus[name]):>28}")
    after_cpu = statistics.median(cpus[names[2]])
    print(
        f"   after / before {after_cpu / statistics.median(cpus[names[1]]):.1f}×, after / "
        f"anchor {after_cpu / statistics.median(cpus[names[0]]):.2f}× (per CPU-s); target ≥ "
        f"{TARGET:,}/s on one core: {'met' if after_cpu >= TARGET else 'missed'} per CPU-s, "
        f"{'met' if statistics.median(walls[names[2]]) >= TARGET else 'missed'} on the wall clock"
    )
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    sample = eighty_char_texts(texts, args.predict_rows, rng)
    started, cpu = time.perf_counter(), _cpu_seconds_with_children()
    after.predict(sample, n_jobs=args.jobs)
    wall = time.perf_counter() - started
    spent = max(_cpu_seconds_with_children() - cpu, 1e-9)
    print(
        f"   yuqi after with {args.jobs} processes: {len(sample) / wall:,.0f} texts/s, "
        f"{len(sample) / spent:,.0f} per CPU-s (all processes)"
    )


def part_training(texts, labels, source, have_data, args, rng) -> None:
    print(f"\n2. Training time on {args.train_rows:,} texts ({source})")
    if have_data:
        big_texts, big_labels = perturbed(texts, labels, args.train_rows, rng)
    else:
        big_texts, big_labels = templated(args.train_rows, rng)
    mean_length = sum(map(len, big_texts)) / max(len(big_texts), 1)
    for features, name in (("jieba", "yuqi before"), ("chars", "yuqi after")):
        started = time.perf_counter()
        train(big_texts, big_labels, evaluate=False, features=features)
        seconds = time.perf_counter() - started
        print(f"   {name:<12}{seconds:6.1f} s (mean length {mean_length:.0f} characters)")


def anchor_scores(texts: list[str], labels: list[str], folds: int) -> tuple[float, float]:
    """The anchor on the folds ``cross_validate`` uses (same splitter, same seed)."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=object)
    predicted = np.empty(len(y), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_index, test_index in splitter.split(np.zeros(len(y)), y):
        model = anchor_pipeline().fit([texts[i] for i in train_index], y[train_index])
        predicted[test_index] = model.predict([texts[i] for i in test_index])
    return accuracy_score(y, predicted), f1_score(y, predicted, average="macro")


def part_accuracy(texts, labels, cfpb: Path, folds: int) -> None:
    print(f"\n3. Stratified {folds}-fold cross-validation on real corpora (same folds)")
    header = (
        f"   {'corpus':<10}{'n':>7}  {'method':<34}{'accuracy':>9}{'macro-F1':>10}{'seconds':>9}"
    )
    print(header)
    corpora = (
        ("waimai", texts, labels, sentiment_rules),
        ("cfpb", *read_csv(cfpb, "Consumer complaint narrative", "Product"), product_rules),
    )
    for name, corpus_texts, corpus_labels, rules in corpora:
        n = len(corpus_texts)
        started = time.perf_counter()
        accuracy, macro = anchor_scores(corpus_texts, corpus_labels, folds)
        seconds = time.perf_counter() - started
        print(
            f"   {name:<10}{n:>7,}  {'anchor (scikit-learn)':<34}{accuracy:>9.4f}{macro:>10.4f}"
            f"{seconds:>9.1f}"
        )
        for features, method in (
            ("jieba", "yuqi before (jieba words)"),
            ("chars", "yuqi after (char n-grams)"),
        ):
            started = time.perf_counter()
            evaluation = cross_validate(
                corpus_texts, corpus_labels, folds=folds, seed=0, features=features
            )
            seconds = time.perf_counter() - started
            scores = f"{evaluation.accuracy:>9.4f}{evaluation.macro_f1:>10.4f}{seconds:>9.1f}"
            print(f"   {name:<10}{n:>7,}  {method:<34}{scores}")
            for note in evaluation.notes:
                print(f"   note: {note}")
        worst = min(evaluation.per_label.items(), key=lambda item: item[1].f1)
        print(
            f"   {'':<19}after's weakest label: {worst[0]} (F1 {worst[1].f1:.4f}, "
            f"support {worst[1].support})"
        )
        for method, (accuracy, macro) in baselines(
            corpus_texts, corpus_labels, rules, folds
        ).items():
            print(f"   {name:<10}{n:>7,}  {method:<34}{accuracy:>9.4f}{macro:>10.4f}")


if __name__ == "__main__":
    sys.exit(main())
