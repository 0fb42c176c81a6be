"""Compare two demo SQLite databases (two builds of ``yuqi demo`` with the same seed and end
date, e.g. main's and a branch's, kept with ``bench/demo_bench.py --keep DIR``).

Prints every difference in: the tables present, each table's row count, each column's total
text length (stable under the build's time stamps and random salts and tokens, which differ
from build to build), and exact checksums of the contacts' derived columns and of every
quality evaluation; then the number of differences.

    .venv/bin/python bench/demo_compare.py OLD/yuqi.sqlite3 NEW/yuqi.sqlite3
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

CONTACTS = (
    "SELECT count(*), total(repeated), total(id * repeated), total(local_minute), "
    "total(id * local_minute), total(sl_seconds), total(id * sl_seconds), count(tier_id), "
    "total(id * tier_id), count(local_day), min(local_day), max(local_day), "
    "total(julianday(local_day) * id), count(derived_at) FROM interactions_interaction"
)
EVALUATIONS = (
    "SELECT id, subject_kind, subject_id, agent_code, agent_user_id, evaluator_id, answers, "
    "earned, possible, score, auto_failed, comment, evidence, status, submitted_at, "
    "dispute_until, disputed_at, acknowledged_at, original_score "
    "FROM quality_evaluation ORDER BY id"
)


def summary(path: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    db = sqlite3.connect(path)
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    out = {}
    for table in tables:
        cols = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        rows = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        lengths = ", ".join(f'total(length(CAST("{c}" AS TEXT)))' for c in cols)
        sums = db.execute(f'SELECT {lengths} FROM "{table}"').fetchone()
        out[table] = (rows, dict(zip(cols, sums, strict=True)))
    digest = hashlib.sha256()
    for row in db.execute(EVALUATIONS):
        digest.update(repr(row).encode())
    exact = {"contacts": db.execute(CONTACTS).fetchall(), "evaluations": digest.hexdigest()}
    return out, exact


def main() -> None:
    (a, exact_a), (b, exact_b) = summary(sys.argv[1]), summary(sys.argv[2])
    bad = 0
    for table in sorted(set(a) | set(b)):
        if table not in a or table not in b:
            print("table only in one:", table)
            bad += 1
            continue
        if a[table][0] != b[table][0]:
            print(f"{table}: rows {a[table][0]} vs {b[table][0]}")
            bad += 1
        for col, length in a[table][1].items():
            if length != b[table][1].get(col):
                print(f"{table}.{col}: length sum {length} vs {b[table][1].get(col)}")
                bad += 1
    for key, value in exact_a.items():
        same = value == exact_b[key]
        print(key, "same" if same else f"DIFFERENT {value} vs {exact_b[key]}")
        bad += not same
    print(f"{len(a)} tables, {sum(v[0] for v in a.values()):,} rows; {bad} differences")


if __name__ == "__main__":
    main()
