"""``yuqi kpi FILE``: DuckDB over an exported CSV gives the database's counts for the same rows."""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations.test_kpi_sql import DAY1, DAYS, build_world
from yuqi.customers.models import Tier
from yuqi.interactions.models import Interaction, Queue
from yuqi.operations.kpi.cli import register
from yuqi.operations.kpi.file_engine import kpi_counts_from_file
from yuqi.operations.kpi.selectors import kpi_table

COLUMNS = [
    "external_id",
    "channel",
    "direction",
    "queue",
    "team",
    "agent",
    "customer_external_id",
    "arrived_at",
    "answered_at",
    "abandoned",
    "wait_seconds",
    "talk_seconds",
    "wrap_seconds",
    "transferred",
    "first_contact_resolved",
    "category",
]


def local_text(moment) -> str:
    return "" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def export_csv(path) -> None:
    """The interactions as an ACD export: local times without offset, 是/否 flags."""
    flag = {True: "是", False: "否", None: ""}
    rows = Interaction.objects.select_related("queue", "team", "agent", "customer")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in rows:
            writer.writerow(
                [
                    i.external_id,
                    i.channel,
                    i.direction,
                    i.queue.code if i.queue else "",
                    i.team.code if i.team else "",
                    i.agent.code if i.agent else "",
                    i.customer.external_id if i.customer else "",
                    local_text(i.arrived_at),
                    local_text(i.answered_at),
                    flag[i.abandoned],
                    i.wait_seconds,
                    i.talk_seconds,
                    i.wrap_seconds,
                    flag[i.transferred],
                    flag[i.first_contact_resolved],
                    i.category,
                ]
            )


@pytest.fixture
def exported(db, tmp_path):
    Tier.objects.update(sl_seconds=None)  # an export carries no tiers: queue thresholds only
    build_world(11, n=300)
    path = tmp_path / "calls.csv"
    export_csv(path)
    return path


@pytest.mark.parametrize("by", [["queue", "interval"], ["day", "channel"], ["agent"], []])
def test_duckdb_on_the_export_equals_the_database(exported, by):
    last = DAY1 + timedelta(DAYS - 1)
    queue_sl = {q.code: q.sl_seconds for q in Queue.objects.all()}
    from_file = kpi_counts_from_file(
        exported, by=by, queue_sl=queue_sl, date_from=DAY1, date_to=last
    )
    from_db = kpi_table(date_from=DAY1, date_to=last, by=by)

    def plain(keys):
        return tuple(v.replace(tzinfo=None) if hasattr(v, "tzinfo") else v for v in keys.values())

    assert {plain(k): c for k, c in from_file} == {plain(r.keys): r.counts for r in from_db}


@pytest.mark.parametrize("by", [["queue", "interval"], ["day", "channel", "team"], ["agent"], []])
def test_without_customers_the_two_stage_sums_equal_the_database(exported, tmp_path, by):
    """A file without customer and category columns takes the grouped-first statement."""
    plain_file = tmp_path / "no_customers.csv"
    with open(exported, encoding="utf-8") as source, open(plain_file, "w", newline="") as out:
        reader, writer = csv.DictReader(source), csv.writer(out)
        kept = [c for c in COLUMNS if c not in ("customer_external_id", "category")]
        writer.writerow(kept)
        for row in reader:
            writer.writerow([row[c] for c in kept])
    last = DAY1 + timedelta(DAYS - 1)
    queue_sl = {q.code: q.sl_seconds for q in Queue.objects.all()}
    from_file = kpi_counts_from_file(
        plain_file, by=by, queue_sl=queue_sl, date_from=DAY1, date_to=last
    )
    from_db = kpi_table(date_from=DAY1, date_to=last, by=by)

    def plain(keys):
        return tuple(v.replace(tzinfo=None) if hasattr(v, "tzinfo") else v for v in keys.values())

    expected = {plain(r.keys): replace(r.counts, repeat_candidates=0, repeated=0) for r in from_db}
    assert {plain(k): c for k, c in from_file} == expected


def test_command_prints_json_and_a_table(exported, capsys):
    parsers = argparse.ArgumentParser().add_subparsers()

    def add(name, help):
        parser = parsers.add_parser(name, help=help)
        parser.add_argument("--data-dir")
        return parser

    register(add)
    args = parsers.choices["kpi"].parse_args(
        [
            str(exported),
            "--by",
            "queue,interval",
            "--interval",
            "60",
            "--json",
            "--queue-sl",
            "vip=10",
            "--queue-sl",
            "billing=30",
        ]
    )
    assert args.func(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["by"] == ["queue", "interval"]
    first = result["items"][0]
    assert first["keys"]["queue"] == "billing"
    assert first["keys"]["interval"].endswith(":00")
    assert set(first["values"]) >= {"service_level", "answer_rate", "derived_fcr"}

    args = parsers.choices["kpi"].parse_args([str(exported), "--by", "queue"])
    assert args.func(args) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["queue", "offered", "answered"]
    assert len(table) == 4  # header + three queues

    args = parsers.choices["kpi"].parse_args([str(exported), "--by", "tier"])
    assert args.func(args) == 2
