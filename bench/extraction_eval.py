"""Field accuracy of expectation extraction on the labelled complaint sentences.

    .venv/bin/python bench/extraction_eval.py            # every set, figures only
    .venv/bin/python bench/extraction_eval.py --misses   # and the sentences not fully right
    .venv/bin/python bench/extraction_eval.py tests/domain/text/data/extraction_set.tsv

For each set: the share of sentences whose outcomes, amount, wanted time and quoted promise
are right, and the share fully right (all four). The sets, their notation and the labelling
rules are in ``tests/domain/text/extraction_cases.py``; ``extraction_set.tsv`` is the second
author's set (colloquial requests, amounts, clock times, negation, quoted promises), whose
first-run ("before") figures are recorded in its header.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.domain.text.extraction_cases import DATA, FIELDS, load, report, score  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="TSV sets (default: all)")
    parser.add_argument("--misses", action="store_true", help="list the sentences not right")
    args = parser.parse_args(argv)
    files = args.files or sorted(DATA.glob("extraction_*.tsv"))
    width = max(len(path.stem) for path in files)
    print(
        f"{'set':<{width}}  {'n':>4}  " + "  ".join(f"{f:>14}" for f in FIELDS) + "   fully right"
    )
    for path in files:
        if args.misses:
            print(report(path))
            continue
        result = score(load(path))
        shares = "  ".join(f"{result.per_field[f]:>14.1%}" for f in FIELDS)
        print(f"{path.stem:<{width}}  {result.n:>4}  {shares}   {result.fully_right:>11.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
