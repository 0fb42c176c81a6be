"""``yuqi kpi FILE`` on a CSV: DuckDB's sniffed types are used only where they read a value as
the text path (the importer's rules) reads it, and the typed read gives the same counts."""

from __future__ import annotations

import csv

import duckdb
import pytest

from yuqi.operations.kpi import file_engine
from yuqi.operations.kpi.file_engine import csv_types, kpi_counts_from_file

HEADER = [
    "arrived_at",
    "answered_at",
    "ended_at",
    "queue",
    "channel",
    "direction",
    "abandoned",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "wrap_seconds",
    "transferred",
    "first_contact_resolved",
]


def rows(count: int) -> list[list[str]]:
    """Contacts with what an ACD export holds: queue codes with leading zeros, durations as
    m:ss, fractional seconds, Chinese yes/no words, blanks, outbound and non-phone contacts."""
    channels = ["phone", "电话", "微信", "email", "webchat", "phone"]
    out = []
    for i in range(count):
        minute, second = divmod(i % 3600, 60)
        answered = i % 5 != 0
        arrived = f"2025-03-{1 + i % 28:02d} {8 + i % 12:02d}:{minute:02d}:{second:02d}"
        out.append(
            [
                arrived,
                arrived[:-2] + f"{min(59, second + 9):02d}" if answered else "",
                arrived[:-5] + f"{min(59, minute + 4):02d}:00" if i % 4 else "",
                f"00{i % 3}" if i % 11 else "",
                channels[i % len(channels)],
                "呼出" if i % 13 == 0 else ("inbound" if i % 2 else ""),
                ("true" if i % 7 == 0 else "false") if i % 9 else "",
                str(i % 40) if i % 6 else "",
                f"{i % 5}:{i % 60:02d}",
                f"{i % 9}.5",
                str(i % 30),
                "是" if i % 8 == 0 else "否",
                "" if i % 3 == 0 else ("true" if i % 2 else "false"),
            ]
        )
    return out


def write(path, body: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(body)


def as_text(monkeypatch, path, **options):
    """The counts when every field is read as text (the path before typed reading)."""
    monkeypatch.setattr(file_engine, "csv_types", lambda con, path: None)
    try:
        return kpi_counts_from_file(path, **options)
    finally:
        monkeypatch.undo()


def test_only_types_that_read_as_the_text_path_are_kept(tmp_path):
    path = tmp_path / "calls.csv"
    write(path, rows(200))
    types = csv_types(duckdb.connect(), path)
    assert types["arrived_at"] == "TIMESTAMP"
    assert types["wait_seconds"] == "BIGINT"
    assert types["abandoned"] == "BOOLEAN"
    assert types["wrap_seconds"] == "BIGINT"
    # Left as text for the importer's rules: "001" is a code, "3:05" is 3 min 5 s (DuckDB
    # sniffs TIME, i.e. 3 hours), "4.5" is rounded half up, 是/否 are yes/no words.
    for column in ("queue", "talk_seconds", "hold_seconds", "transferred", "channel"):
        assert types[column] == "VARCHAR", column


@pytest.mark.parametrize("by", [["queue"], ["queue", "interval"], ["channel", "day"], []])
def test_the_typed_read_gives_the_counts_of_the_text_read(tmp_path, monkeypatch, by):
    path = tmp_path / "calls.csv"
    write(path, rows(3000))
    typed = kpi_counts_from_file(path, by=by, queue_sl={"001": 15})
    assert typed == as_text(monkeypatch, path, by=by, queue_sl={"001": 15})
    assert sum(counts.offered for _, counts in typed) > 2000


def test_a_value_past_duckdb_s_sample_that_does_not_fit_is_read_as_text(tmp_path, monkeypatch):
    body = rows(30_000)
    body[-1][HEADER.index("wait_seconds")] = "3:05"  # after 20,000+ whole numbers
    body[-1][HEADER.index("queue")] = "late"
    path = tmp_path / "calls.csv"
    write(path, body)
    con = duckdb.connect()
    types = csv_types(con, path)
    assert types["wait_seconds"] == "BIGINT"
    with pytest.raises(duckdb.ConversionException):  # the typed read alone fails
        con.execute(f"SELECT sum(wait_seconds) FROM {file_engine._source(path, types)}").fetchall()
    result = {keys["queue"]: counts for keys, counts in kpi_counts_from_file(path, by=["queue"])}
    assert result == {
        keys["queue"]: counts for keys, counts in as_text(monkeypatch, path, by=["queue"])
    }
    assert result["late"].offered == 1
    assert result["late"].longest_wait_seconds == 185


def test_day_first_times_are_left_to_the_text_path(tmp_path, monkeypatch):
    path = tmp_path / "calls.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["arrived_at", "queue", "wait_seconds"])
        writer.writerows([[f"{d:02d}/03/2025 10:00", "general", "12"] for d in range(13, 29)])
    assert csv_types(duckdb.connect(), path)["arrived_at"] == "VARCHAR"
    # Not a time the import format reads (no day-first guessing): no contact, as before.
    assert kpi_counts_from_file(path) == as_text(monkeypatch, path) == []
