"""Month-partitioned contacts on PostgreSQL: do page and rollup-refresh times stay flat?

In its own database (dropped and created again; dropped at the end unless ``--keep``) the
script makes two copies of the contacts table from the real model's DDL (Django's schema
editor, so columns and indexes stay those of ``interactions.Interaction``):

* ``bench_part``: ``PARTITION BY RANGE (arrived_at)``, one partition per local month, with
  the primary key ``(id, arrived_at)`` and the unique key ``(source, external_id,
  arrived_at)`` (PostgreSQL requires the partition key in every unique constraint, and
  PostgreSQL 15 has no identity column on a partitioned table);
* ``bench_plain``: the model's table as it is (the anchor), same rows, same indexes.

Both are UNLOGGED and carry no foreign keys (the generator writes valid ids; reads are the
same either way). Rows are generated set-based in SQL (``generate_series``): ~95 % inbound,
eight queues of unequal size, phone/WeChat/web chat/app/e-mail, a day-time arrival profile,
exponential waits and talk times, 8 % abandoned, 70 % from known customers, with the derived
columns the derivation job stores (local day and minute, repeat flag, tier, threshold).

Loading follows PostgreSQL's advice for bulk loads: each month goes into a standalone table
without indexes, the real KPI rollups (``ContactRollup``, ``ContactDayRollup``,
``ContactAgentDay``, ``ContactAgentSlot``) are built from it with the refresh's own
statements, and it is ``ATTACH``ed as a partition, which builds the parent's indexes on it;
the plain table's keys and indexes are dropped before a step's months go in and built again
after. Both tables' indexes are therefore freshly bulk-built (a table grown by inserts has
somewhat larger ones).

After every ``--step`` months it runs ``ANALYZE`` and measures, alternating:

* **page from the rollups**: what ``/api/v1/kpis`` (and the dashboard and KPI explorer)
  compute today for the last 30 days by queue × day: ``kpi_table(..., source="rollups")``,
  the whole call (day rollups, agents, labels);
* **contacts query**: ``kpi_table``'s query on the contacts (the path a question the rollups
  cannot answer takes, by team or agent), captured from ``kpi_table`` itself
  (``CaptureQueriesContext`` on the real table) with the table name swapped: "as issued" (it
  filters ``local_day``) and "bounded" (the same call with the matching ``arrived_at`` range
  added, which is what lets PostgreSQL prune partitions); ``EXPLAIN`` gives how many
  partitions each reads;
* **rollup refresh**: what the worker's ``interactions-rollups`` job runs after contacts of
  the last day changed: the statements of ``yuqi.interactions.rollups`` rebuilding that day
  and the ``REPEAT_REACH`` days before it (captured, table name swapped), in one transaction,
  from the partitioned and from the plain table.

Then it archives the oldest month: ``DETACH PARTITION``, export to Parquet (``COPY … TO
STDOUT`` as CSV, then DuckDB), ``yuqi kpi`` on the Parquet file, and a check that its counts
per queue equal the database's for that month.

    .venv/bin/python bench/partition_bench.py --months 3 --rows-per-month 100000   # try first
    .venv/bin/python bench/partition_bench.py                         # 20 months × 1M rows

Times are medians and nearest-rank p95 of ``--runs`` runs, in ms; on a shared machine
compare the two tables measured side by side, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yuqi_partition_bench"
PART = "bench_part"
PLAIN = "bench_plain"
FIRST_MONTH = date(2025, 1, 1)
ZONE = "Asia/Shanghai"  # settings.TIME_ZONE by default; the generator writes local days
QUEUES = (  # code, share of contacts
    ("bench_general", 30),
    ("bench_billing", 20),
    ("bench_tech", 15),
    ("bench_sales", 10),
    ("bench_vip", 8),
    ("bench_complaints", 7),
    ("bench_english", 5),
    ("bench_overflow", 5),
)
TEAMS = 10
AGENTS = 400
CUSTOMERS = 20_000


# --- the tables, from the model's own DDL ---------------------------------------------------


def model_ddl() -> list[str]:
    """The statements Django's schema editor writes to create the contacts table."""
    from django.db import connection

    from yuqi.interactions.models import Interaction

    with connection.schema_editor(collect_sql=True) as editor:
        editor.create_model(Interaction)
    return list(editor.collected_sql)


def _sub(pattern: str, replacement: str, text: str) -> str:
    """``re.sub`` that must match once: the model changed if it does not."""
    result, count = re.subn(pattern, replacement, text)
    if count != 1:
        raise RuntimeError(f"the model's DDL no longer matches {pattern!r}; update the bench")
    return result


def table_ddl(statements: Sequence[str], table: str, *, partitioned: bool) -> list[str]:
    """The model's CREATE TABLE and CREATE INDEX statements for ``table``: UNLOGGED, without
    the foreign keys; partitioned by ``arrived_at`` with the key in the primary and unique
    keys if ``partitioned``."""
    real = '"interactions_interaction"'
    out = []
    for sql in statements:
        if "FOREIGN KEY" in sql:
            continue
        sql = sql.replace(real, f'"{table}"').replace('CONSTRAINT "', f'CONSTRAINT "{table}_')
        if sql.startswith("CREATE TABLE"):
            sql = sql.replace("CREATE TABLE", "CREATE UNLOGGED TABLE", 1)
            if partitioned:
                sql = _sub(
                    r'"id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY',
                    '"id" bigint NOT NULL',
                    sql,
                )
                sql = _sub(
                    r'UNIQUE \("source", "external_id"\)\);$',
                    'UNIQUE ("source", "external_id", "arrived_at"), '
                    'PRIMARY KEY ("id", "arrived_at")) PARTITION BY RANGE ("arrived_at");',
                    sql,
                )
                sql = sql.replace("CREATE UNLOGGED TABLE", "CREATE TABLE", 1)  # per partition
        elif sql.startswith("CREATE INDEX"):
            sql = re.sub(r'^CREATE INDEX "([^"]+)"', rf'CREATE INDEX "{table}_\1"', sql)
        out.append(sql)
    return out


def month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{PART}_p{month:%Y%m}"


def create_tables(cursor: Any) -> None:
    statements = model_ddl()
    for table, partitioned in ((PART, True), (PLAIN, False)):
        cursor.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        for sql in table_ddl(statements, table, partitioned=partitioned):
            cursor.execute(sql)


# --- reference rows and generated contacts --------------------------------------------------


def reference_rows(customers: int = CUSTOMERS) -> dict[str, Any]:
    """Queues, teams, agents, a tier without its own threshold and customers, in the real
    tables (the KPI query joins them); returns their ids."""
    from yuqi.customers.models import Customer, Tier
    from yuqi.interactions.models import Agent, Queue, Team

    queues = [
        Queue.objects.get_or_create(code=code, defaults={"name": code})[0] for code, _ in QUEUES
    ]
    teams = [Team.objects.get_or_create(code=f"bench_t{i}")[0] for i in range(TEAMS)]
    if not Agent.objects.filter(code__startswith="bench_a").exists():
        Agent.objects.bulk_create(
            Agent(code=f"bench_a{i}", team=teams[i % TEAMS]) for i in range(AGENTS)
        )
    tier, _ = Tier.objects.get_or_create(
        code="bench", defaults={"name": "bench", "name_en": "bench", "rank": 9999}
    )
    if not Customer.objects.filter(external_id__startswith="bench_c").exists():
        Customer.objects.bulk_create(
            (
                Customer(external_id=f"bench_c{i}", name=f"c{i}", tier=tier)
                for i in range(customers)
            ),
            batch_size=5000,
        )
    customer_ids = sorted(
        Customer.objects.filter(external_id__startswith="bench_c").values_list("id", flat=True)
    )
    agent_ids = sorted(
        Agent.objects.filter(code__startswith="bench_a").values_list("id", flat=True)
    )
    weighted = [q.pk for q, (_, share) in zip(queues, QUEUES, strict=True) for _ in range(share)]
    return {
        "queues": weighted,
        "teams": [t.pk for t in teams],
        "agents": agent_ids,
        "customers": customer_ids,
    }


def _array(ids: Sequence[int]) -> str:
    return "ARRAY[" + ",".join(str(int(i)) for i in ids) + "]::bigint[]"


def _pick(ids: Sequence[int], r: str) -> str:
    return f"({_array(ids)})[1 + floor({r} * {len(ids)})::int]"


def generate_sql(month: date, rows: int, first_id: int, refs: dict[str, Any]) -> str:
    """One INSERT … SELECT of ``rows`` contacts arriving in the local month ``month``."""
    days = (month_add(month, 1) - month).days
    columns = (
        "id, source, external_id, channel, direction, queue_id, team_id, agent_id, "
        "customer_id, caller_masked, caller_hash, arrived_at, answered_at, ended_at, abandoned, "
        "wait_seconds, talk_seconds, wrap_seconds, hold_seconds, transferred, "
        "first_contact_resolved, category, notes, outcome, complaint_id, complaint_number, "
        "created_at, updated_at, local_day, local_minute, repeated, derived_at, sl_seconds, tier_id"
    )
    return f"""
INSERT INTO {{table}} ({columns})
WITH g AS (
  SELECT {first_id} + n AS id, random() AS r_day, random() AS r_night, random() AS r_m1,
         random() AS r_m2, random() AS r_s, random() AS r_ch, random() AS r_dir,
         random() AS r_q, random() AS r_ab, random() AS r_wait, random() AS r_talk,
         random() AS r_wrap, random() AS r_hold, random() AS r_tr, random() AS r_fcr,
         random() AS r_cat, random() AS r_cu, random() AS r_cu2, random() AS r_ag,
         random() AS r_rep
  FROM generate_series(1, {int(rows)}) AS n),
t AS (
  SELECT *, DATE '{month}' + floor(r_day * {days})::int AS day,
         CASE WHEN r_night < 0.08 THEN floor(r_m1 * 1440)::int
              ELSE 480 + floor((r_m1 + r_m2) / 2 * 840)::int END AS minute,
         CASE WHEN r_ch < 0.62 THEN 'phone' WHEN r_ch < 0.80 THEN 'social'
              WHEN r_ch < 0.90 THEN 'webchat' WHEN r_ch < 0.95 THEN 'app'
              ELSE 'email' END AS channel,
         r_ab < 0.08 AS abandoned,
         CASE WHEN r_ab < 0.08 THEN floor(-ln(1 - r_wait) * 40)::int
              ELSE floor(-ln(1 - r_wait) * 25)::int END AS wait,
         30 + floor(-ln(1 - r_talk) * 240)::int AS talk,
         {_pick(refs["queues"], "r_q")} AS q_id,
         CASE WHEN r_cu < 0.7 THEN {_pick(refs["customers"], "r_cu2")} END AS cu_id
  FROM g),
c AS (
  SELECT *, ((day + make_interval(mins => minute, secs => floor(r_s * 60)::int))::timestamp
             AT TIME ZONE '{ZONE}') AS arrived_at
  FROM t),
d AS (  -- the derivation's threshold: the tier's, else the queue's, else 20 s
  SELECT c.*, COALESCE(tr.sl_seconds, q.sl_seconds, 20) AS sl, cu.tier_id AS tier
  FROM c JOIN interactions_queue AS q ON q.id = c.q_id
  LEFT JOIN customers_customer AS cu ON cu.id = c.cu_id
  LEFT JOIN customers_tier AS tr ON tr.id = cu.tier_id)
SELECT id, 'bench', id::text, channel,
       CASE WHEN r_dir < 0.05 THEN 'outbound' ELSE 'inbound' END,
       q_id,
       {_pick(refs["teams"], "r_ag")},
       CASE WHEN abandoned THEN NULL ELSE {_pick(refs["agents"], "r_ag")} END,
       cu_id,
       '', '', arrived_at,
       CASE WHEN abandoned THEN NULL ELSE arrived_at + make_interval(secs => wait) END,
       arrived_at + make_interval(secs => wait + CASE WHEN abandoned THEN 0 ELSE talk END),
       abandoned, wait,
       CASE WHEN abandoned THEN 0 ELSE talk END,
       CASE WHEN abandoned THEN 0 ELSE 10 + floor(r_wrap * 50)::int END,
       CASE WHEN NOT abandoned AND r_hold < 0.2 THEN floor(r_hold * 600)::int ELSE 0 END,
       NOT abandoned AND r_tr < 0.07,
       CASE WHEN r_fcr < 0.3 THEN NULL ELSE r_fcr < 0.82 END,
       (ARRAY['', 'billing', 'outage', 'delivery', 'refund', 'account'])
         [1 + floor(r_cat * 6)::int],
       '', '', NULL, '',
       arrived_at + interval '1 hour', arrived_at + interval '1 hour',
       day, minute, r_rep < 0.1, arrived_at + interval '1 hour', sl, tier
FROM d"""


def month_bounds(month: date) -> str:
    return f"FOR VALUES FROM ('{month} 00:00 {ZONE}') TO ('{month_add(month, 1)} 00:00 {ZONE}')"


def load_month(
    cursor: Any,
    month: date,
    rows: int,
    first_id: int,
    refs: dict[str, Any],
    *,
    plain: bool = True,
) -> dict[str, float]:
    """The month's rows into a standalone table without indexes, its rollups from it, then
    ``ATTACH`` as a partition (which builds the parent's indexes on it, sorted, in one pass
    each) and the same rows into the plain table (whose indexes the caller has dropped);
    PostgreSQL's advice for bulk loads. Returns seconds per stage."""
    name = partition_name(month)
    took: dict[str, float] = {}
    started = time.perf_counter()
    cursor.execute(
        f"CREATE UNLOGGED TABLE {name} (LIKE {PART} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    cursor.execute(generate_sql(month, rows, first_id, refs).replace("{table}", name))
    took["generate"] = time.perf_counter() - started
    started = time.perf_counter()
    last = month_add(month, 1) - timedelta(days=1)
    days = [month + timedelta(days=i) for i in range((last - month).days + 1)]
    for sql in rollup_statements(days):
        cursor.execute(sql.replace('"interactions_interaction"', f'"{name}"'))
    took["rollups"] = time.perf_counter() - started
    started = time.perf_counter()
    # The check lets ATTACH skip its validating scan; dropped after (the bounds hold it).
    nxt = month_add(month, 1)
    cursor.execute(
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_bounds CHECK (arrived_at >= "
        f"'{month} 00:00 {ZONE}' AND arrived_at < '{nxt} 00:00 {ZONE}')"
    )
    cursor.execute(f"ALTER TABLE {PART} ATTACH PARTITION {name} {month_bounds(month)}")
    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_bounds")
    took["attach"] = time.perf_counter() - started
    if plain:
        started = time.perf_counter()
        cursor.execute(f"INSERT INTO {PLAIN} SELECT * FROM {name}")
        took["plain"] = time.perf_counter() - started
    return took


def plain_keys(cursor: Any) -> list[tuple[str, str]]:
    """The plain table's keys and indexes as (drop, create) statements."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
        [PLAIN],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
        [PLAIN],
    )
    named = {name for name, _ in constraints}
    return [
        (
            f'ALTER TABLE {PLAIN} DROP CONSTRAINT IF EXISTS "{name}"',
            f'ALTER TABLE {PLAIN} ADD CONSTRAINT "{name}" {definition}',
        )
        for name, definition in constraints
    ] + [
        (f'DROP INDEX IF EXISTS "{name}"', definition)
        for name, definition in cursor.fetchall()
        if name not in named
    ]


# --- the queries, as the KPI code issues them -----------------------------------------------


@contextmanager
def _arrived_bound(date_from: date, date_to: date) -> Iterator[None]:
    """``kpi_table`` with the contacts also bounded by ``arrived_at`` (the local days' range)."""
    from yuqi.core.clock import day_start
    from yuqi.operations.kpi import selectors

    original = selectors.offered_interactions

    def bounded() -> Any:
        return original().filter(
            arrived_at__gte=day_start(date_from), arrived_at__lt=day_start(date_to + timedelta(1))
        )

    with mock.patch.object(selectors, "offered_interactions", bounded):
        yield


def kpi_sql(
    table: str,
    *,
    date_from: date,
    date_to: date,
    by: Sequence[str],
    bounded: bool = False,
    interval_minutes: int = 30,
) -> str:
    """The contacts query ``kpi_table`` issues (captured on the real, empty-enough table),
    reading ``table`` instead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yuqi.operations.kpi.selectors import kpi_table

    call = {
        "date_from": date_from,
        "date_to": date_to,
        "by": list(by),
        "interval_minutes": interval_minutes,
        "source": "contacts",
    }
    with CaptureQueriesContext(connection) as captured:
        if bounded:
            with _arrived_bound(date_from, date_to):
                kpi_table(**call)
        else:
            kpi_table(**call)
    found = [q["sql"] for q in captured.captured_queries if '"n_offered"' in q["sql"]]
    if len(found) != 1:
        raise RuntimeError(f"expected one KPI contacts query, captured {len(found)}")
    return found[0].replace('"interactions_interaction"', f'"{table}"')


def _partitions(cursor: Any, sql: str) -> set[str]:
    cursor.execute("EXPLAIN (COSTS OFF) " + sql)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    return set(re.findall(rf"\b{PART}_p\d{{6}}\b", plan))


def partitions_read(cursor: Any, sql: str) -> int:
    return len(_partitions(cursor, sql))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> tuple[float, float]:
    return statistics.median(values), p95(values)


def rollup_models() -> tuple[type[Any], ...]:
    """The rollup tables the refresh rewrites per day: the slot rows, the day rows, the
    agents per day and the answering agents per slot (``yuqi.interactions.rollups``)."""
    from yuqi.interactions.models import (
        ContactAgentDay,
        ContactAgentSlot,
        ContactDayRollup,
        ContactRollup,
    )

    return (ContactRollup, ContactDayRollup, ContactAgentDay, ContactAgentSlot)


def rollup_statements(days: Sequence[date]) -> list[str]:
    """The statements the rollup refresh issues to rebuild the rollups of ``days``
    (``yuqi.interactions.rollups``: delete the days' rows of each rollup table, insert the
    slot rows grouped from the contacts, the day rows from the slot rows, the agents and the
    answering agents from the contacts), captured on the real contacts table and rolled
    back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from yuqi.interactions.rollups import _rebuild_days

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        _rebuild_days(days)
        transaction.set_rollback(True)
    found = [q["sql"] for q in captured.captured_queries]
    found = [sql for sql in found if sql.startswith(("DELETE", "INSERT"))]
    tables = len(rollup_models())
    if len(found) != 2 * tables:
        raise RuntimeError(
            f"expected {tables} deletes and {tables} inserts per refresh, captured {found}"
        )
    return found


def refresh(cursor: Any, statements: Sequence[str]) -> None:
    """The rollup refresh's statements in one transaction, as ``rollups_refresh`` runs them."""
    from django.db import transaction

    with transaction.atomic():
        for sql in statements:
            cursor.execute(sql)


def rollup_page(first_day: date, last_day: date) -> list[Any]:
    """What ``/api/v1/kpis`` for 30 days by queue × day computes today: ``kpi_table`` from
    the rollups (``ContactDayRollup``, the agents from ``ContactAgentDay``)."""
    from yuqi.operations.kpi.selectors import kpi_table

    return kpi_table(date_from=first_day, date_to=last_day, by=["queue", "day"], source="rollups")


def measure(cursor: Any, last_day: date, runs: int, *, plain: bool = True) -> dict[str, Any]:
    """The page from the rollups, the contacts query on both tables and the rollup refresh
    from each, alternating, ``runs`` times each (the partitioned table only if not
    ``plain``)."""
    from yuqi.interactions.rollups import REPEAT_REACH

    first_day = last_day - timedelta(days=29)
    window = {"date_from": first_day, "date_to": last_day, "by": ("queue", "day")}
    queries = {
        "part": kpi_sql(PART, **window),
        "part_bounded": kpi_sql(PART, **window, bounded=True),
    }
    if plain:
        queries["plain"] = kpi_sql(PLAIN, **window)
        queries["plain_bounded"] = kpi_sql(PLAIN, **window, bounded=True)
    # The worker's refresh after contacts of the last day changed: that day and the
    # REPEAT_REACH days before it (their derived-FCR repeat flags may have flipped).
    days = [last_day - timedelta(days=back) for back in range(REPEAT_REACH, -1, -1)]
    statements = rollup_statements(days)
    real = '"interactions_interaction"'
    refreshes = {
        table: [sql.replace(real, f'"{table}"') for sql in statements] for table in (PART, PLAIN)
    }
    result: dict[str, Any] = {
        "partitions_read": partitions_read(cursor, queries["part"]),
        "partitions_read_bounded": partitions_read(cursor, queries["part_bounded"]),
        "partitions_read_refresh": len(
            set().union(*(_partitions(cursor, sql) for sql in refreshes[PART]))
        ),
        "refresh_days": len(days),
    }
    cursor.execute(queries["part"])
    result["groups"] = len(cursor.fetchall())

    def run(sql: str) -> Callable[[], object]:
        return lambda: (cursor.execute(sql), cursor.fetchall())

    actions: dict[str, Callable[[], object]] = {
        "rollup_page": lambda: rollup_page(first_day, last_day),
        **{name: run(sql) for name, sql in queries.items()},
        "refresh_part": lambda: refresh(cursor, refreshes[PART]),
    }
    if plain:
        actions["refresh_plain"] = lambda: refresh(cursor, refreshes[PLAIN])
    times: dict[str, list[float]] = {name: [] for name in actions}
    for action in actions.values():  # warm-up
        action()
    names = list(actions)
    for i in range(runs):
        for name in names if i % 2 == 0 else reversed(names):
            times[name].append(timed(actions[name]))
    result["ms"] = {name: summary(values) for name, values in times.items()}
    result["rollup_groups"] = len(rollup_page(first_day, last_day))
    from yuqi.interactions.models import ContactRollup

    result["rollup_rows"] = ContactRollup.objects.filter(day=last_day).count()
    result["rollup_table_rows"] = {
        model.__name__: model.objects.count() for model in rollup_models()
    }
    return result


# --- archiving a month -------------------------------------------------------------------


EXPORT_COLUMNS = {  # Parquet column: (SQL on the detached partition, DuckDB type)
    "arrived_at": ("c.arrived_at", "TIMESTAMPTZ"),
    "answered_at": ("c.answered_at", "TIMESTAMPTZ"),
    "ended_at": ("c.ended_at", "TIMESTAMPTZ"),
    "channel": ("c.channel", "VARCHAR"),
    "direction": ("c.direction", "VARCHAR"),
    "queue": ("q.code", "VARCHAR"),
    "team": ("t.code", "VARCHAR"),
    "agent": ("a.code", "VARCHAR"),
    "customer_external_id": ("cu.external_id", "VARCHAR"),
    "abandoned": ("c.abandoned", "BOOLEAN"),
    "wait_seconds": ("c.wait_seconds", "INTEGER"),
    "talk_seconds": ("c.talk_seconds", "INTEGER"),
    "wrap_seconds": ("c.wrap_seconds", "INTEGER"),
    "hold_seconds": ("c.hold_seconds", "INTEGER"),
    "transferred": ("c.transferred", "BOOLEAN"),
    "first_contact_resolved": ("c.first_contact_resolved", "BOOLEAN"),
    "category": ("c.category", "VARCHAR"),
}


def export_parquet(cursor: Any, table: str, target: Path) -> int:
    """``table``'s contacts as Parquet in the import format's column names; returns rows."""
    import duckdb

    select = ", ".join(f"{sql} AS {name}" for name, (sql, _) in EXPORT_COLUMNS.items())
    query = (
        f"SELECT {select} FROM {table} c "
        "LEFT JOIN interactions_queue q ON q.id = c.queue_id "
        "LEFT JOIN interactions_team t ON t.id = c.team_id "
        "LEFT JOIN interactions_agent a ON a.id = c.agent_id "
        "LEFT JOIN customers_customer cu ON cu.id = c.customer_id"
    )
    csv_path = target.with_suffix(".csv")
    with (
        csv_path.open("wb") as out,
        cursor.connection.cursor().copy(
            f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"
        ) as copy,
    ):
        for chunk in copy:
            out.write(chunk)
    types = ", ".join(f"'{name}': '{kind}'" for name, (_, kind) in EXPORT_COLUMNS.items())
    with duckdb.connect() as duck:
        duck.execute("SET TimeZone = 'UTC'")
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, columns={{{types}}})) "
            f"TO '{target}' (FORMAT parquet)"
        )
        rows = duck.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0]
    csv_path.unlink()
    return int(rows)


def database_counts(cursor: Any, table: str, month: date) -> dict[str, dict[str, Any]]:
    """``kpi_table``'s counts per queue code for the local month, read from ``table``."""
    from yuqi.interactions.models import Queue
    from yuqi.operations.kpi.selectors import counts_from_aggregates

    last = month_add(month, 1) - timedelta(days=1)
    cursor.execute(kpi_sql(table, date_from=month, date_to=last, by=("queue",)))
    names = [d[0] for d in cursor.description]
    codes = dict(Queue.objects.values_list("id", "code"))
    found = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        found[codes[row["k_queue"]]] = counts_from_aggregates(row).__dict__
    return found


def yuqi_kpi(path: Path, month: date) -> tuple[float, dict[str, dict[str, Any]]]:
    """``yuqi kpi FILE --by queue --json`` for the month, as a user runs it: (ms, counts)."""
    last = month_add(month, 1) - timedelta(days=1)
    command = [
        str(Path(sys.executable).with_name("yuqi")),
        "kpi",
        str(path),
        "--by",
        "queue",
        "--json",
        "--date-from",
        str(month),
        "--date-to",
        str(last),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = (time.perf_counter() - started) * 1000
    items = json.loads(done.stdout)["items"]
    return elapsed, {item["keys"]["queue"]: item["counts"] for item in items}


#: Counts a file cannot give as the database does: a contact's repeat may be a contact of
#: the next month, which the month's file does not hold (the generator sets the flag).
NOT_COMPARED = ("repeated",)


def archive_month(cursor: Any, month: date, folder: Path) -> dict[str, Any]:
    """Detach the month's partition, export it to Parquet, read it back with ``yuqi kpi``."""
    name = partition_name(month)
    detach_ms = timed(lambda: cursor.execute(f"ALTER TABLE {PART} DETACH PARTITION {name}"))
    target = folder / f"{name}.parquet"
    started = time.perf_counter()
    rows = export_parquet(cursor, name, target)
    export_ms = (time.perf_counter() - started) * 1000
    kpi_ms, from_file = yuqi_kpi(target, month)
    from_db = database_counts(cursor, name, month)
    differences = [
        (queue, field, value, from_file.get(queue, {}).get(field))
        for queue, counts in from_db.items()
        for field, value in counts.items()
        if field not in NOT_COMPARED and from_file.get(queue, {}).get(field) != value
    ]
    if set(from_file) != set(from_db):
        differences.append(("queues", "", sorted(from_db), sorted(from_file)))
    drop_ms = timed(lambda: cursor.execute(f"DROP TABLE {name}"))
    return {
        "month": f"{month:%Y-%m}",
        "rows": rows,
        "detach_ms": detach_ms,
        "export_ms": export_ms,
        "parquet_bytes": target.stat().st_size,
        "kpi_ms": kpi_ms,
        "queues": len(from_db),
        "differences": differences,
        "drop_ms": drop_ms,
    }


# --- the run -----------------------------------------------------------------------------


def steps(months: int, step: int) -> list[int]:
    return sorted({*range(step, months + 1, step), months})


def run_bench(
    cursor: Any,
    *,
    months: int,
    rows_per_month: int,
    step: int,
    runs: int,
    folder: Path,
    customers: int = CUSTOMERS,
    plain_months: int | None = None,
    out: Callable[[str], None] = print,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Load month after month, measure at each step, archive the oldest month.

    Loading: each month into a standalone table, its rollups, then ``ATTACH`` (see
    :func:`load_month`); the plain table's keys and indexes are dropped before a step's
    months go in and built again after, so both tables' indexes are bulk-built. The plain
    table stops growing, and is no longer measured, after ``plain_months`` months."""
    from yuqi.core.clock import now
    from yuqi.interactions.models import RollupState

    create_tables(cursor)
    refs = reference_rows(customers)
    RollupState.objects.update_or_create(pk=1, defaults={"refreshed_at": now()})
    keys = plain_keys(cursor)
    rollup_tables = ", ".join(m._meta.db_table for m in rollup_models())
    results = []
    loaded = 0
    load_seconds = 0.0
    stages: dict[str, float] = {}
    plain_months = months if plain_months is None else plain_months
    for stop in steps(months, step):
        started = time.perf_counter()
        plain_grows = loaded < plain_months
        if plain_grows:
            for drop, _ in keys:
                cursor.execute(drop)
        while loaded < stop:
            month = month_add(FIRST_MONTH, loaded)
            took = load_month(
                cursor,
                month,
                rows_per_month,
                loaded * rows_per_month,
                refs,
                plain=loaded < plain_months,
            )
            for stage, seconds in took.items():
                stages[stage] = stages.get(stage, 0.0) + seconds
            progress(
                f"{month:%Y-%m} loaded: " + ", ".join(f"{k} {v:.1f} s" for k, v in took.items())
            )
            loaded += 1
        begun = time.perf_counter()
        for _, create in keys if plain_grows else ():
            cursor.execute(create)
        stages["plain_indexes"] = stages.get("plain_indexes", 0.0) + time.perf_counter() - begun
        if plain_grows:
            progress(f"plain keys and indexes built: {time.perf_counter() - begun:.1f} s")
        begun = time.perf_counter()
        grown = f"{PART}, {PLAIN}" if plain_grows else PART
        cursor.execute(f"ANALYZE {grown}, {rollup_tables}")
        stages["analyze"] = stages.get("analyze", 0.0) + time.perf_counter() - begun
        load_seconds += time.perf_counter() - started
        last_day = month_add(FIRST_MONTH, loaded) - timedelta(days=1)
        found = measure(cursor, last_day, runs, plain=loaded <= plain_months)
        found.update(months=loaded, rows=loaded * rows_per_month, load_s=load_seconds)
        results.append(found)
        out(format_row(found))
        progress(f"rollup tables: {found['rollup_table_rows']}")
    archive = archive_month(cursor, FIRST_MONTH, folder)
    out(format_archive(archive))
    return {"steps": results, "archive": archive, "load_stages": stages}


HEADER = (
    "| months | rows | page from rollups (kpi_table) | contacts query, partitioned as issued "
    "| partitioned, arrived_at bound | plain as issued | plain, bound "
    "| partitions read (as issued / bound / refresh) "
    "| rollup refresh from partitioned | from plain | load s (cumulative) |\n"
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def _ms(pair: tuple[float, float] | None) -> str:
    return "–" if pair is None else f"{pair[0]:,.0f} / {pair[1]:,.0f}"


def format_row(found: dict[str, Any]) -> str:
    ms = found["ms"]
    return (
        f"| {found['months']} | {found['rows']:,} | {_ms(ms['rollup_page'])} "
        f"| {_ms(ms['part'])} | {_ms(ms['part_bounded'])} "
        f"| {_ms(ms.get('plain'))} | {_ms(ms.get('plain_bounded'))} "
        f"| {found['partitions_read']} / {found['partitions_read_bounded']} / "
        f"{found['partitions_read_refresh']} "
        f"| {_ms(ms['refresh_part'])} | {_ms(ms.get('refresh_plain'))} | {found['load_s']:,.0f} |"
    )


def format_archive(archive: dict[str, Any]) -> str:
    verdict = (
        "equal to the database's (all counts but the repeat flag)"
        if not archive["differences"]
        else f"DIFFERENT: {archive['differences'][:5]}"
    )
    return (
        f"archive {archive['month']}: {archive['rows']:,} rows; "
        f"DETACH {archive['detach_ms']:,.0f} ms, "
        f"export to Parquet {archive['export_ms']:,.0f} ms "
        f"({archive['parquet_bytes'] / 2**20:,.1f} MiB), `yuqi kpi --by queue` "
        f"{archive['kpi_ms']:,.0f} ms, DROP {archive['drop_ms']:,.0f} ms; "
        f"{archive['queues']} queues {verdict}"
    )


def reset_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=20)
    parser.add_argument("--rows-per-month", type=int, default=1_000_000)
    parser.add_argument("--step", type=int, default=4, help="measure every N months (4)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (7)")
    parser.add_argument("--url", default=DEFAULT_URL, help="its own database (dropped first)")
    parser.add_argument(
        "--plain-months",
        type=int,
        default=None,
        help="stop growing (and measuring) the plain table after N months (all)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    if args.months < 2 or args.rows_per_month < 1000 or args.runs < 1 or args.step < 1:
        parser.error("need --months >= 2, --rows-per-month >= 1000, --runs and --step >= 1")
    reset_database(args.url)
    with tempfile.TemporaryDirectory(prefix="yuqi-partition-") as data_dir:
        os.environ["DATABASE_URL"] = args.url
        os.environ["YUQI_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            print(cursor.fetchone()[0], flush=True)
            print(
                f"{args.months} months × {args.rows_per_month:,} rows; {args.runs} runs per "
                "figure, median / p95 in ms",
                flush=True,
            )
            cursor.execute("SET maintenance_work_mem = '512MB'")  # the index builds
            print(HEADER, flush=True)
            found = run_bench(
                cursor,
                months=args.months,
                rows_per_month=args.rows_per_month,
                step=args.step,
                runs=args.runs,
                folder=Path(data_dir),
                plain_months=args.plain_months,
                out=lambda line: print(line, flush=True),
                progress=lambda line: print(
                    time.strftime("%H:%M:%S", time.gmtime()), line, file=sys.stderr, flush=True
                ),
            )
            print(
                "load stages (s): "
                + ", ".join(f"{k} {v:,.0f}" for k, v in found["load_stages"].items()),
                flush=True,
            )
        connection.close()
    if not args.keep:
        reset_database(args.url, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
