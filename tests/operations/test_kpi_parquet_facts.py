"""``yuqi kpi FILE`` on Parquet: what the footer's column statistics prove (a constant text
column, a column without nulls) changes the statements, never the counts."""

from __future__ import annotations

import duckdb
import pytest

from yuqi.domain.kpi import SL_CONVENTIONS, KpiCounts, sl_denominator_from_counts
from yuqi.operations.kpi import file_engine
from yuqi.operations.kpi.file_engine import ParquetFacts, kpi_counts_from_file, parquet_facts

ROWS = 6000

BASE = f"""
    SELECT i,
        TIMESTAMP '2025-03-01' + to_seconds(i * 397) AS arrived_at,
        CASE WHEN i % 5 <> 0 THEN TIMESTAMP '2025-03-01' + to_seconds(i * 397 + i % 40) END
            AS answered_at,
        CASE WHEN i % 7 = 0 THEN true WHEN i % 9 = 0 THEN NULL ELSE false END AS abandoned,
        CASE WHEN i % 6 <> 0 THEN (i % 40)::INTEGER END AS wait_seconds,
        (i % 300)::INTEGER AS talk_seconds,
        'agent' || (i % 4) AS agent
    FROM range({ROWS}) r(i)
"""

# channel, direction, queue of each file: constants (blank, outbound, untrimmed, Chinese),
# a column constant within each row group but not across them, a constant with nulls.
FILES = {
    "inbound_phone": "'phone' AS channel, 'inbound' AS direction, 'general' AS queue",
    "outbound": "'phone' AS channel, ' 呼出 ' AS direction, 'q1' AS queue",
    "blank_queue": "' 微信 ' AS channel, 'Inbound' AS direction, '  ' AS queue",
    "email_untrimmed": "'email' AS channel, 'in_bound' AS direction, ' q ' AS queue",
    "per_row_group": (
        f"CASE WHEN i < {ROWS // 2} THEN 'phone' ELSE 'email' END AS channel, "
        f"CASE WHEN i < {ROWS // 2} THEN 'inbound' ELSE 'out' END AS direction, "
        f"CASE WHEN i < {ROWS // 2} THEN 'a' ELSE 'b' END AS queue"
    ),
    "constant_with_nulls": (
        "CASE WHEN i % 3 = 0 THEN NULL ELSE 'email' END AS channel, "
        "'inbound' AS direction, CASE WHEN i % 4 = 0 THEN NULL ELSE 'q' END AS queue"
    ),
}


def write(path, columns: str, base: str = BASE) -> None:
    duckdb.connect().execute(
        f"COPY (SELECT * EXCLUDE (i), {columns} FROM ({base})) TO '{path}' "
        f"(FORMAT parquet, ROW_GROUP_SIZE {ROWS // 2})"
    )


def test_the_footer_proves_constant_and_never_null_columns(tmp_path):
    con = duckdb.connect()
    facts = {}
    for name, columns in FILES.items():
        write(tmp_path / f"{name}.parquet", columns)
        facts[name] = parquet_facts(con, tmp_path / f"{name}.parquet")
    assert facts["outbound"].constants == {"channel": "phone", "direction": " 呼出 ", "queue": "q1"}
    assert facts["blank_queue"].constants["queue"] == "  "
    # One text per row group, but not the same one: nothing is constant.
    assert facts["per_row_group"].constants == {}
    assert facts["constant_with_nulls"].constants == {"direction": "inbound"}
    assert {"channel", "queue"}.isdisjoint(facts["constant_with_nulls"].not_null)
    assert "wait_seconds" not in facts["inbound_phone"].not_null  # it has nulls
    assert {"arrived_at", "talk_seconds", "agent"} <= facts["inbound_phone"].not_null


def test_a_file_without_row_groups_proves_nothing(tmp_path):
    path = tmp_path / "empty.parquet"
    write(path, FILES["inbound_phone"], BASE.replace(f"range({ROWS})", "range(0)"))
    assert parquet_facts(duckdb.connect(), path) == ParquetFacts({}, frozenset())
    assert kpi_counts_from_file(path, by=["queue"]) == []


@pytest.mark.parametrize("name", list(FILES))
@pytest.mark.parametrize(
    ("by", "options"),
    [
        (["queue", "interval"], {}),
        (["channel", "day"], {"sl_convention": "answered_only"}),
        (["queue"], {"queue_sl": {"q1": 15, "general": 10}, "sl_convention": "abandons_excluded"}),
        (["agent", "week"], {"sl_convention": "abandons_in_denominator"}),
        ([], {}),
    ],
)
def test_the_counts_are_those_without_the_facts(tmp_path, monkeypatch, name, by, options):
    path = tmp_path / f"{name}.parquet"
    write(path, FILES[name])
    # With the wait never missing too (the missing-wait key is then dropped).
    full = tmp_path / f"{name}_full_wait.parquet"
    write(
        full,
        FILES[name],
        BASE.replace("CASE WHEN i % 6 <> 0 THEN (i % 40)::INTEGER END", "(i % 41)::INTEGER"),
    )
    with_facts = [kpi_counts_from_file(p, by=by, **options) for p in (path, full)]
    monkeypatch.setattr(file_engine, "parquet_facts", lambda con, p: ParquetFacts({}, frozenset()))
    assert with_facts == [kpi_counts_from_file(p, by=by, **options) for p in (path, full)]
    if name in ("inbound_phone", "per_row_group"):
        assert sum(counts.offered for _, counts in with_facts[0]) > 0


@pytest.mark.parametrize("convention", list(SL_CONVENTIONS))
def test_the_denominator_counted_in_sql_is_the_domain_s(convention):
    counts = KpiCounts(offered=50, answered=30, abandoned=15, short_abandoned=4)
    sql = file_engine._sl_offered_sql(convention)
    assert sql is not None
    row = (
        duckdb.connect()
        .execute(
            f"SELECT {sql} FROM (SELECT 50 AS offered, 30 AS answered, 15 AS abandoned, "
            "4 AS short_abandoned)"
        )
        .fetchone()
    )
    assert row[0] == sl_denominator_from_counts(counts, convention)
