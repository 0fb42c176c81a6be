"""``yuqi.core.fresh_schema``: an empty SQLite database built from the final state is the one
``migrate`` builds (schema and rows), and Django then sees nothing left to migrate.

Each database is built in its own process (a fresh data folder, as ``yuqi demo`` does) and read
back with :mod:`sqlite3`, so the comparison does not go through the code under test.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

BUILD = """
import sys
import django
django.setup()
from django.core.management import call_command
if sys.argv[1] == "fast":
    from yuqi.core.fresh_schema import migrate_fresh
    assert migrate_fresh(), "the fast path fell back to migrate"
    call_command("migrate", check_unapplied=True, interactive=False, verbosity=0)
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
else:
    call_command("migrate", interactive=False, verbosity=0)
"""


def build(data_dir: Path, how: str) -> Path:
    env = {
        **os.environ,
        "YUQI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "yuqi.config.settings",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", BUILD, how], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return data_dir / "yuqi.sqlite3"


def split_top_level(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE body (columns and table constraints),
    commas inside parentheses or quotes kept."""
    items, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip())
    return items


def schema(path: Path) -> dict[str, object]:
    """Every table's column and constraint definitions (as a sorted list: the order of the
    columns is the only thing allowed to differ, ``migrate`` on SQLite appends added columns
    when it remakes a table), every index's SQL and columns, every foreign key."""
    db = sqlite3.connect(path)
    out: dict[str, object] = {}
    for kind, name, table, sql in db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ):
        if kind == "table":
            body = re.match(r'CREATE TABLE "?[^"(]+"? ?\((.*)\)\s*$', sql, re.S)
            assert body, sql
            out[f"table {name}"] = sorted(split_top_level(body.group(1)))
            out[f"fks {name}"] = sorted(
                tuple(row[2:]) for row in db.execute(f'PRAGMA foreign_key_list("{name}")')
            )
            out[f"indexes {name}"] = sorted(
                (
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    tuple(c[2] for c in db.execute(f'PRAGMA index_info("{row[1]}")')),
                )
                for row in db.execute(f'PRAGMA index_list("{name}")')
                # SQLite numbers its automatic indexes in creation order
                if not row[1].startswith("sqlite_autoindex")
            )
            out[f"autoindexes {name}"] = sorted(
                (row[2], tuple(c[2] for c in db.execute(f'PRAGMA index_info("{row[1]}")')))
                for row in db.execute(f'PRAGMA index_list("{name}")')
                if row[1].startswith("sqlite_autoindex")
            )
        elif sql is not None:
            out[f"{kind} {name} on {table}"] = sql
    return out


STAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)?$")
#: Tables of one row whose token is drawn at random when it is seeded (a data version).
RANDOM_TOKENS = {
    "accounts_accessversion",
    "calendars_calendarsversion",
    "complaints_complaintconfigversion",
    "operations_snapshotversion",
    "surveys_surveydataversion",
}


def unstamped(value: object, during: tuple[datetime, datetime]) -> object:
    """A time stamp taken while the databases were built (the seeds stamp rows with the time
    they are made: ``auto_now``, ``published_at``, the audit log) as one placeholder."""
    if isinstance(value, str) and STAMP.match(value):
        moment = datetime.fromisoformat(value)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if during[0] <= moment <= during[1]:
            return "<time of the build>"
    return value


def rows(path: Path, during: tuple[datetime, datetime]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, columns by name, the build's time stamps replaced."""
    db = sqlite3.connect(path)
    tables = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name != "sqlite_sequence"
    ]
    out = {}
    for table in tables:
        columns = sorted(c[1] for c in db.execute(f'PRAGMA table_info("{table}")'))
        random = table in RANDOM_TOKENS
        select = ", ".join(f'"{c}"' for c in columns)
        out[table] = sorted(
            (
                tuple(
                    (
                        column,
                        "<random>" if random and column == "token" else unstamped(value, during),
                    )
                    for column, value in zip(columns, row, strict=True)
                )
                for row in db.execute(f'SELECT {select} FROM "{table}"')
            ),
            key=repr,
        )
    return out


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> tuple[Path, Path, tuple[datetime, datetime]]:
    base = tmp_path_factory.mktemp("fresh-schema")
    started = datetime.now(UTC)
    migrated, fast = build(base / "migrated", "migrate"), build(base / "fast", "fast")
    return migrated, fast, (started, datetime.now(UTC))


def test_the_fast_path_builds_the_schema_migrate_builds(databases):
    migrated, fast = schema(databases[0]), schema(databases[1])
    assert sorted(migrated) == sorted(fast)
    assert migrated == fast
    tables = [key for key in migrated if key.startswith("table ")]
    assert len(tables) > 100  # every app's tables, not an empty comparison
    assert any("CHECK" in item for key in tables for item in migrated[key])  # type: ignore[union-attr]


def test_the_fast_path_seeds_the_rows_migrate_seeds(databases):
    migrated, fast = rows(databases[0], databases[2]), rows(databases[1], databases[2])
    assert {t: len(r) for t, r in migrated.items()} == {t: len(r) for t, r in fast.items()}
    assert migrated == fast
    for seeded in (
        "django_content_type",
        "auth_permission",
        "customers_tier",
        "complaints_complaintlevel",
        "operations_scorecardmeasure",
        "calendars_businesscalendar",
        "django_migrations",
    ):
        assert migrated[seeded], seeded


def test_the_fast_path_is_only_for_an_empty_sqlite_database(tmp_path, monkeypatch):
    from yuqi.core import fresh_schema

    called = []
    monkeypatch.setattr(fresh_schema, "call_command", lambda *a, **kw: called.append(a))

    class Introspection:
        def table_names(self):
            return ["django_migrations"]

    class Connection:
        vendor = "sqlite"
        introspection = Introspection()

    monkeypatch.setattr(fresh_schema, "connections", {"default": Connection()})
    assert fresh_schema.migrate_fresh() is False
    Connection.vendor = "postgresql"
    Introspection.table_names = lambda self: []  # type: ignore[method-assign]
    assert fresh_schema.migrate_fresh() is False
    assert called == [("migrate",), ("migrate",)]


def test_an_operation_it_cannot_replay_makes_it_migrate():
    from django.db import migrations

    from yuqi.core.fresh_schema import fast_path_applies

    class Seeds(migrations.Migration):
        operations = [
            migrations.AddField("tier", "x", None),  # type: ignore[arg-type]
            migrations.RunPython(migrations.RunPython.noop),
        ]

    class Raw(migrations.Migration):
        operations = [migrations.RunSQL("CREATE INDEX i ON t (c)")]

    seeds, raw = Seeds("0001", "app"), Raw("0002", "app")
    assert fast_path_applies([(seeds, False)])
    assert not fast_path_applies([(seeds, False), (raw, False)])
    assert not fast_path_applies([(seeds, True)])
