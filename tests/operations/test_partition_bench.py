"""``bench/partition_bench.py`` at a tiny size, so the script cannot rot: its tables come from
the model's DDL, its queries from ``kpi_table`` and the rollup refresh, and the archived
month's ``yuqi kpi`` counts must equal the database's."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="declarative partitioning (PARTITION BY RANGE) exists only on PostgreSQL; "
    "the PostgreSQL suite (make test-pg, run by CI) runs this test",
)


def _bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "partition_bench.py"
    spec = importlib.util.spec_from_file_location("partition_bench", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_partitioned_ddl_keeps_the_models_columns_and_indexes(db) -> None:
    bench = _bench()
    statements = bench.model_ddl()
    part = bench.table_ddl(statements, "t_part", partitioned=True)
    plain = bench.table_ddl(statements, "t_plain", partitioned=False)
    assert 'PRIMARY KEY ("id", "arrived_at")) PARTITION BY RANGE ("arrived_at")' in part[0]
    assert 'UNIQUE ("source", "external_id", "arrived_at")' in part[0]
    assert plain[0].startswith("CREATE UNLOGGED TABLE")
    assert "PARTITION" not in plain[0]
    indexes = [s for s in statements if s.startswith("CREATE INDEX")]
    assert len(indexes) >= 8
    assert len([s for s in part if s.startswith("CREATE INDEX")]) == len(indexes)
    assert not any("FOREIGN KEY" in s or '"interactions_interaction"' in s for s in part + plain)


def test_bench_runs_at_a_tiny_size(db, tmp_path) -> None:
    bench = _bench()
    lines: list[str] = []
    with connection.cursor() as cursor:
        found = bench.run_bench(
            cursor,
            months=3,
            rows_per_month=3000,
            step=2,
            runs=1,
            folder=tmp_path,
            customers=300,
            plain_months=2,
            out=lines.append,
        )
        cursor.execute(f"SELECT count(*) FROM {bench.PART}")
        left = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*), min(local_day), max(local_day) FROM {bench.PLAIN}")
        plain_rows, first, last = cursor.fetchone()
        cursor.execute(f"SELECT min(local_day), max(local_day) FROM {bench.PART}")
        part_days = cursor.fetchone()
        # The index builds: the partitions carry the parent's indexes, the plain table its own.
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s",
            [bench.partition_name(date(2025, 3, 1))],
        )
        partition_indexes = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [bench.PLAIN])
        plain_indexes = cursor.fetchone()[0]
    assert [s["months"] for s in found["steps"]] == [2, 3]
    assert plain_rows == 6000  # --plain-months 2: the plain table stops after February
    assert left == 6000
    assert (first, last) == (date(2025, 1, 1), date(2025, 2, 28))
    assert part_days == (date(2025, 2, 1), date(2025, 3, 31))  # January archived
    model_indexes = [s for s in bench.model_ddl() if s.startswith("CREATE INDEX")]
    assert partition_indexes == plain_indexes == len(model_indexes) + 2  # + primary, unique
    first_step, final = found["steps"]
    assert {"plain", "plain_bounded", "refresh_plain"} <= set(first_step["ms"])
    assert not {"plain", "plain_bounded", "refresh_plain"} & set(final["ms"])
    # The query as issued (local_day only) reads every partition; bounded, the range's; the
    # rollup refresh filters local_day too, so it reads every partition.
    assert final["partitions_read"] == 3
    assert final["partitions_read_bounded"] == 1  # 30 days to 2025-03-31: March only
    assert final["partitions_read_refresh"] == 3
    assert final["refresh_days"] == 9
    assert final["groups"] > 0
    # The page from the rollups answers the same queue × day groups as the contacts query.
    assert final["rollup_groups"] == final["groups"]
    assert final["rollup_rows"] > 0
    assert final["rollup_table_rows"]["ContactDayRollup"] > 0
    archive = found["archive"]
    assert archive["rows"] == 3000
    assert archive["queues"] == len(bench.QUEUES)
    assert archive["differences"] == []
    assert len(lines) == 3
    assert lines[-1].startswith("archive 2025-01")
