"""Agent-state exports: backwards and overlapping rows refused naming the row, a time-zone
change handled, and adherence / the scorecard measure computed from what was kept."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.imports.files import write_csv
from tests.insights.test_importing import report_rows, run_import
from yuqi.core.measures import measure_source
from yuqi.workforce.importing import clean_state
from yuqi.workforce.models import AgentStateRow

HEADERS = ["坐席工号", "状态", "原因", "开始时间", "结束时间"]


def test_a_row_running_backwards_is_refused_on_its_end():
    checked = clean_state(
        {
            "agent": "A1",
            "state": "就绪",
            "start": "2026-11-24 09:00:00+08:00",
            "end": "2026-11-24 08:00:00+08:00",
        }
    )
    assert checked.record is None
    assert [field for field, _ in checked.errors] == ["end"]


@pytest.mark.parametrize(
    "values",
    [
        {
            "agent": "A" * 61,
            "state": "ready",
            "start": "2026-11-24 08:00",
            "end": "2026-11-24 09:00",
        },
        {"agent": "A1", "state": "=cmd|' /C calc'!A0", "start": "2026-11-24 08:00", "end": "x"},
        {"agent": "A1", "state": "ready", "start": "2026-11-24 08:00", "end": "2026-11-26 08:00"},
        {"agent": "", "state": "", "start": "", "end": ""},
    ],
)
def test_hostile_rows_are_refused(values):
    assert clean_state(values).record is None


@pytest.mark.django_db
def test_the_import_names_overlapping_and_backwards_rows(tmp_path):
    path = write_csv(
        tmp_path / "states.csv",
        [
            HEADERS,
            ["A1", "就绪", "", "2026-11-24 08:00:00+08:00", "2026-11-24 09:00:00+08:00"],
            ["A1", "未就绪", "培训", "2026-11-24 08:30:00+08:00", "2026-11-24 09:30:00+08:00"],
            ["A1", "小休", "", "2026-11-24 10:00:00+08:00", "2026-11-24 09:45:00+08:00"],
            ["A2", "通话", "", "2026-11-24 08:00:00+08:00", "2026-11-24 08:10:00+08:00"],
        ],
    )
    run = run_import("agent_states", path)
    rows = report_rows(run)
    assert sorted(r["row"] for r in rows) == ["3", "4"]
    assert AgentStateRow.objects.count() == 2
    overlap = next(r for r in rows if r["row"] == "3")
    assert "A1" in overlap["reason"]


@pytest.mark.django_db
def test_a_time_zone_change_in_the_export_is_compared_in_real_time(tmp_path):
    # 08:00–09:00 at +08:00 is 00:00–01:00 UTC; the next row, written in UTC, starts at 01:00Z:
    # adjacent, not overlapping. A third row at 00:30Z overlaps the first although its clock
    # reading (00:30) looks hours earlier.
    path = write_csv(
        tmp_path / "states.csv",
        [
            HEADERS,
            ["A1", "ready", "", "2026-11-24T08:00:00+08:00", "2026-11-24T09:00:00+08:00"],
            ["A1", "on contact", "", "2026-11-24T01:00:00Z", "2026-11-24T01:20:00Z"],
            ["A1", "wrap", "", "2026-11-24T00:30:00Z", "2026-11-24T00:40:00Z"],
        ],
    )
    run = run_import("agent_states", path)
    assert [r["row"] for r in report_rows(run)] == ["4"]
    starts = list(AgentStateRow.objects.order_by("start").values_list("start", flat=True))
    assert starts == [
        dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC),
    ]


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(tmp_path):
    rows = [HEADERS, ["A1", "ready", "", "2026-11-24T08:00:00+08:00", "2026-11-24T09:00:00+08:00"]]
    run_import("agent_states", write_csv(tmp_path / "a.csv", rows))
    run_import("agent_states", write_csv(tmp_path / "b.csv", rows))
    assert AgentStateRow.objects.count() == 1


@pytest.mark.django_db
def test_roster_adherence_measure_has_a_reason_without_data():
    reading = measure_source("roster_adherence")(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert reading.value is None
    assert reading.reason
