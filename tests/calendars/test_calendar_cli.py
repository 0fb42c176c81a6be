"""``yuqi calendar due``: due times on the stored calendars, with fixed dates.

2026 holidays from 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), as packaged in
chinese_calendar 1.11: Spring Festival off 2月15日–23日 (Sun–Mon), make-up working days
2月14日 (Sat) and 2月28日 (Sat).
"""

from __future__ import annotations

import argparse
import json

import pytest

from tests.calendars.factories import ALWAYS, EnteredYearFactory
from yuqi import cli
from yuqi.calendars import cli as calendar_cli

pytestmark = pytest.mark.django_db


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="yuqi")
    sub = root.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--data-dir")
        return command

    calendar_cli.register(add)
    return root


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    args = parser().parse_args(["calendar", "due", *argv])
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def due_json(argv: list[str], capsys) -> dict:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def test_three_working_days_across_the_2026_spring_festival(capsys):
    # Fri 2月13日 is not counted; 2月14日 (Sat, 调休) is day 1, 2月15日–23日 are off,
    # 2月24日 day 2, 2月25日 day 3: close of business 17:30.
    data = due_json(["--from", "2026-02-13T10:00", "--working-days", "3"], capsys)
    assert data == {
        "due": "2026-02-25T17:30:00+08:00",
        "calendar": "标准工作时间",
        "basis": "working_days",
        "assumed_years": [],
        "warning": None,
    }


def test_business_hours_run_into_the_makeup_saturday(capsys):
    # Fri 16:00–17:30 uses 1.5 h; Sat 2月14日 is a 调休 working day: 08:30 + 2.5 h = 11:00.
    data = due_json(["--from", "2026-02-13T16:00", "--business-hours", "4"], capsys)
    assert data["due"] == "2026-02-14T11:00:00+08:00"


def test_business_hours_skip_the_lunch_break(capsys):
    # Mon 2026-03-09 11:00 + 2 h: 11:00–12:00, then 13:30–14:30.
    data = due_json(["--from", "2026-03-09T11:00", "--business-hours", "2"], capsys)
    assert data["due"] == "2026-03-09T14:30:00+08:00"
    assert data["basis"] == "business_hours"


def test_calendar_days_ending_in_the_holiday_move_to_the_next_working_day(capsys):
    # 2月13日 + 3 days = 2月16日 (春节) → next working day 2月24日, close of business.
    data = due_json(["--from", "2026-02-13T10:00", "--days", "3"], capsys)
    assert data["due"] == "2026-02-24T17:30:00+08:00"


def test_an_offset_in_from_is_respected(capsys):
    # 02:00 UTC is 10:00 in Shanghai: the same answer as the naive 10:00.
    data = due_json(["--from", "2026-02-13T02:00+00:00", "--working-days", "3"], capsys)
    assert data["due"] == "2026-02-25T17:30:00+08:00"


def test_the_24_7_calendar_ignores_holidays(capsys):
    data = due_json(
        ["--from", "2026-02-13T10:00", "--business-hours", "48", "--calendar", ALWAYS], capsys
    )
    assert data["due"] == "2026-02-15T10:00:00+08:00"
    assert data["calendar"] == ALWAYS


def test_a_year_without_holiday_data_is_flagged(capsys):
    data = due_json(["--from", "2027-03-01T10:00", "--working-days", "1"], capsys)
    assert data["due"] == "2027-03-02T17:30:00+08:00"
    assert data["assumed_years"] == [2027]
    assert "2027" in data["warning"]


def test_an_entered_year_is_not_flagged(capsys):
    EnteredYearFactory(year=2027)
    data = due_json(["--from", "2027-03-01T10:00", "--working-days", "1"], capsys)
    assert data["assumed_years"] == []
    assert data["warning"] is None


def test_an_unknown_calendar_exits_2_with_its_name(capsys):
    code, out, err = run(
        ["--from", "2026-02-13T10:00", "--working-days", "3", "--calendar", "火星"], capsys
    )
    assert code == 2
    assert out == ""
    assert "火星" in err


def test_a_bad_start_exits_2(capsys):
    code, _out, err = run(["--from", "next friday", "--working-days", "3"], capsys)
    assert code == 2
    assert "next friday" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--from", "2026-02-13T10:00"],  # no amount
        ["--from", "2026-02-13T10:00", "--days", "1", "--working-days", "1"],  # two amounts
        ["--from", "2026-02-13T10:00", "--working-days", "0"],
        ["--from", "2026-02-13T10:00", "--business-hours", "-1"],
    ],
)
def test_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parser().parse_args(["calendar", "due", *argv])
    assert exit_info.value.code == 2


def test_the_human_output_names_the_due_time(capsys):
    code, out, _err = run(["--from", "2026-02-13T10:00", "--working-days", "3"], capsys)
    assert code == 0
    assert "2026-02-25 17:30 +0800" in out


def test_the_yuqi_command_dispatches_calendar():
    args = cli.build_parser().parse_args(
        ["calendar", "due", "--from", "2026-02-13T10:00", "--working-days", "3"]
    )
    assert args.func is calendar_cli.run_due
