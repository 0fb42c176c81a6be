"""Survey analysis benchmark: 1,000,000 answers (SERVQUAL + NPS, stratified by tier).

    .venv/bin/python bench/survey_bench.py [--respondents 20000] [--repeat 3]

20,000 respondents × 50 answers each (22 SERVQUAL items × expectation and perception,
a 100-point importance allocation over the five dimensions, one NPS question) are generated
with NumPy from a fixed seed, in four tier strata drawn disproportionately from a population
of 200,000 customers. Both contenders start from the same four long arrays (respondent,
question, part, value) — the shape ``surveys.analysis`` loads from the database — and
compute the same results under the stratified design:

* **engine**: ``yuqi.domain.survey_analysis.analyse_survey`` (dense NumPy matrices,
  ``bincount``, matrix products);
* **pandas**: a straightforward implementation — ``pivot_table`` of expectation and
  perception, ``groupby`` per item/dimension × stratum, ``unstack`` for the overall scores.

Results: per item and per dimension mean E, mean P, gap with its interval; unweighted and
importance-weighted overall gaps; expectation achievement rate; NPS — all stratified. The
two are checked to agree to 1e-9. Time is the best of ``--repeat`` runs; peak memory is
the ``tracemalloc`` peak of one more run (NumPy and pandas buffers are traced), beyond the
input arrays, which both share.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from yuqi.domain import survey_analysis as sa  # noqa: E402
from yuqi.domain.servqual import DIMENSIONS, PZB_1988_ITEMS  # noqa: E402

TIERS = ("vip", "gold", "silver", "basic")
POPULATION = (4_000, 26_000, 70_000, 100_000)
SAMPLE_SHARE = (0.15, 0.25, 0.30, 0.30)  # disproportionate: VIPs over-sampled
EXPECTATION_SHIFT = (1.0, 0.6, 0.2, 0.0)  # VIP tiers expect more
ITEMS = list(PZB_1988_ITEMS.items())  # 22 items, numbered 1–22
IMPORTANCE_Q = len(ITEMS)
NPS_Q = len(ITEMS) + 1


def questions() -> list[sa.QuestionSpec]:
    specs = [
        sa.QuestionSpec(f"sq{number:02d}", "servqual_item", (1, 7), dimension=dimension)
        for number, dimension in ITEMS
    ]
    specs.append(sa.QuestionSpec("importance", "importance_allocation", (0, 100)))
    specs.append(sa.QuestionSpec("nps", "nps", (0, 10)))
    return specs


def generate(respondents: int, seed: int = 20261129) -> tuple[sa.AnswerArrays, np.ndarray]:
    """Long answer arrays and each respondent's stratum (50 answers per respondent)."""
    rng = np.random.default_rng(seed)
    stratum = rng.choice(len(TIERS), respondents, p=SAMPLE_SHARE)
    items = len(ITEMS)
    shift = np.asarray(EXPECTATION_SHIFT)[stratum][:, None]
    base = rng.normal(5.2, 0.8, (respondents, 1))
    expectation = np.clip(np.rint(base + shift + rng.normal(0, 0.7, (respondents, items))), 1, 7)
    item_quality = np.linspace(-0.6, 0.8, items)[None, :]
    perception = np.clip(
        np.rint(base + item_quality + rng.normal(0, 1.0, (respondents, items))), 1, 7
    )
    points = rng.multinomial(100, [0.1, 0.3, 0.25, 0.2, 0.15], size=respondents).astype(float)
    nps = np.clip(np.rint(rng.normal(7.0 + 0.4 * (perception.mean(axis=1) - 4.5), 2.0)), 0, 10)

    r = np.arange(respondents)
    ones = np.ones(respondents, dtype=np.intp)
    blocks = []
    for column in range(items):
        blocks.append((r, ones * column, ones * sa.PART_EXPECTATION, expectation[:, column]))
        blocks.append((r, ones * column, ones * sa.PART_PERCEPTION, perception[:, column]))
    for position in range(len(DIMENSIONS)):
        part = ones * (sa.PART_IMPORTANCE + position)
        blocks.append((r, ones * IMPORTANCE_Q, part, points[:, position]))
    blocks.append((r, ones * NPS_Q, ones * sa.PART_WHOLE, nps))
    order = rng.permutation(respondents * len(blocks))  # rows arrive in no particular order
    arrays = [np.concatenate([b[k] for b in blocks])[order] for k in range(4)]
    answers = sa.AnswerArrays(
        arrays[0].astype(np.intp),
        arrays[1].astype(np.int16),
        arrays[2].astype(np.int16),
        arrays[3].astype(float),
    )
    return answers, stratum


# --- contenders ------------------------------------------------------------------------------


def run_engine(answers: sa.AnswerArrays, stratum: np.ndarray) -> dict:
    design = sa.Design(stratum, TIERS, POPULATION)
    result = sa.analyse_survey(questions(), answers, respondents=stratum.size, design=design)
    table = result.servqual
    assert table is not None
    return {
        "items": [(r.expectation, r.perception, r.gap.value, r.gap.se) for r in table.items],
        "dimensions": [
            (r.expectation, r.perception, r.gap.value, r.gap.se, r.importance)
            for r in table.dimensions
        ],
        "unweighted": (table.unweighted.value, table.unweighted.se),
        "weighted": (table.weighted.value, table.weighted.se),
        "achievement": (table.achievement.value, table.achievement.se),
        "nps": (result.headline.nps.value, result.headline.nps.se),
    }


def run_pandas(answers: sa.AnswerArrays, stratum: np.ndarray) -> dict:
    import pandas as pd

    population = pd.Series(POPULATION, index=range(len(TIERS)), dtype=float)
    weights = population / population.sum()
    dimension_of = {i: d for i, (_, d) in enumerate(ITEMS)}
    df = pd.DataFrame(
        {"r": answers.respondent, "q": answers.question, "part": answers.part, "v": answers.value}
    )
    strata = pd.Series(stratum, name="h")

    def stratified(frame: pd.DataFrame, by: str, column: str) -> pd.DataFrame:
        """Σ W_h ȳ_h and √(Σ W_h² (1 − f_h) s_h² / n_h) per value of ``by``."""
        g = frame.groupby([by, "h"])[column].agg(["count", "mean", "var"]).reset_index()
        g["w"] = g["h"].map(weights)
        g["fpc"] = 1 - g["count"] / g["h"].map(population)
        g["wm"] = g["w"] * g["mean"]
        g["wv"] = g["w"] ** 2 * g["fpc"] * g["var"] / g["count"]
        out = g.groupby(by)[["wm", "wv"]].sum()
        return pd.DataFrame({"value": out["wm"], "se": np.sqrt(out["wv"])})

    pairs = df[df["part"].isin([sa.PART_EXPECTATION, sa.PART_PERCEPTION])]
    wide = pairs.pivot_table(index=["r", "q"], columns="part", values="v").dropna()
    wide.columns = ["E", "P"]
    wide = wide.reset_index()
    wide["gap"] = wide["P"] - wide["E"]
    wide["dim"] = wide["q"].map(dimension_of)
    wide["h"] = wide["r"].map(strata)
    item_e, item_p = stratified(wide, "q", "E"), stratified(wide, "q", "P")
    item_gap = stratified(wide, "q", "gap")

    per_dim = wide.groupby(["r", "dim"])[["E", "P"]].mean().reset_index()
    per_dim["gap"] = per_dim["P"] - per_dim["E"]
    per_dim["h"] = per_dim["r"].map(strata)
    dim_e, dim_p = stratified(per_dim, "dim", "E"), stratified(per_dim, "dim", "P")
    dim_gap = stratified(per_dim, "dim", "gap")

    gaps = per_dim.pivot(index="r", columns="dim", values="gap")[list(DIMENSIONS)]
    importance = df[df["part"] >= sa.PART_IMPORTANCE].pivot(index="r", columns="part", values="v")
    importance.columns = list(DIMENSIONS)
    shares = importance.fillna(0.0)
    shares = shares[(shares.sum(axis=1) - 100).abs() <= 1e-6] / 100
    overall = pd.DataFrame(
        {
            "unweighted": gaps.dropna().mean(axis=1),
            "weighted": (shares * gaps.reindex(shares.index)).sum(axis=1, min_count=1),
        }
    )
    overall["h"] = overall.index.map(strata)
    overall["all"] = 0
    sums = wide.groupby("r")[["E", "P"]].sum()
    achieved = pd.DataFrame({"ok": (sums["P"] >= sums["E"]).astype(float)})
    achieved["h"] = achieved.index.map(strata)
    achieved["all"] = 0
    nps = df[df["q"] == NPS_Q].copy()
    nps["code"] = np.where(nps["v"] >= 9, 100.0, np.where(nps["v"] <= 6, -100.0, 0.0))
    nps["h"] = nps["r"].map(strata)
    nps["all"] = 0

    def single(frame: pd.DataFrame, column: str) -> tuple[float, float]:
        row = stratified(frame.dropna(subset=[column]), "all", column).iloc[0]
        return float(row["value"]), float(row["se"])

    return {
        "items": [
            (
                item_e.loc[q, "value"],
                item_p.loc[q, "value"],
                item_gap.loc[q, "value"],
                item_gap.loc[q, "se"],
            )
            for q in range(len(ITEMS))
        ],
        "dimensions": [
            (
                dim_e.loc[d, "value"],
                dim_p.loc[d, "value"],
                dim_gap.loc[d, "value"],
                dim_gap.loc[d, "se"],
                float(shares[d].mean()),
            )
            for d in DIMENSIONS
        ],
        "unweighted": single(overall, "unweighted"),
        "weighted": single(overall, "weighted"),
        "achievement": single(achieved, "ok"),
        "nps": single(nps, "code"),
    }


# --- measurement -----------------------------------------------------------------------------


def measure(
    run: Callable[[sa.AnswerArrays, np.ndarray], dict],
    answers: sa.AnswerArrays,
    stratum: np.ndarray,
    repeat: int,
) -> tuple[dict, float, float]:
    """Result, best time in seconds, tracemalloc peak in MiB."""
    best = math.inf
    result: dict = {}
    for _ in range(repeat):
        started = time.perf_counter()
        result = run(answers, stratum)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    run(answers, stratum)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, best, peak / 2**20


def largest_difference(a: object, b: object) -> float:
    flat_a = np.asarray(_flatten(a), dtype=float)
    flat_b = np.asarray(_flatten(b), dtype=float)
    return float(np.max(np.abs(flat_a - flat_b)))


def _flatten(value: object) -> list[float]:
    if isinstance(value, dict):
        return [x for key in sorted(value) for x in _flatten(value[key])]
    if isinstance(value, list | tuple):
        return [x for item in value for x in _flatten(item)]
    return [float(value)]  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    answers, stratum = generate(args.respondents)
    print(
        f"Survey analysis benchmark: {len(answers):,} answers, {args.respondents:,} "
        f"respondents in {len(TIERS)} tier strata (population {sum(POPULATION):,}), "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  generated with NumPy in {time.perf_counter() - started:.1f} s")
    engine, engine_s, engine_mib = measure(run_engine, answers, stratum, args.repeat)
    print(
        f"  engine (NumPy, survey_analysis): {engine_s:7.3f} s   peak {engine_mib:7.1f} MiB   "
        f"NPS {engine['nps'][0]:+.1f} (se {engine['nps'][1]:.2f}), "
        f"achievement {engine['achievement'][0]:.3f}, gap {engine['unweighted'][0]:+.3f}"
    )
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("  pandas is not installed (.venv/bin/pip install pandas pyarrow): no baseline")
        return 0
    base, base_s, base_mib = measure(run_pandas, answers, stratum, args.repeat)
    print(
        f"  pandas baseline:                 {base_s:7.3f} s   peak {base_mib:7.1f} MiB   "
        f"NPS {base['nps'][0]:+.1f} (se {base['nps'][1]:.2f}), "
        f"achievement {base['achievement'][0]:.3f}, gap {base['unweighted'][0]:+.3f}"
    )
    difference = largest_difference(engine, base)
    print(
        f"  speed-up vs pandas: {base_s / engine_s:.1f}×   memory ratio: "
        f"{base_mib / engine_mib:.1f}×   largest difference in results: {difference:.1e} "
        f"→ {'agree' if difference < 1e-9 else 'DISAGREE'}"
    )
    return 0 if difference < 1e-9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
