"""``yuqi roster plan``: files in, plan out, no database; bad files refused with the reason."""

from __future__ import annotations

import io
import json

import pytest

from yuqi.cli import build_parser

SHIFTS = """
[shift.早班]
start = "08:00"
hours = 8

[shift.夜班]
start = "22:00"
hours = 8
"""


def requirements(tmp_path, rows: list[tuple[int, int, float]] | None = None, days: int = 2):
    if rows is None:
        rows = []
        for day in range(1, days + 1):
            for slot in range(48):
                night = slot >= 44 or (day > 1 and slot < 12)
                rows.append((day, slot, 2 if 16 <= slot < 32 else (1 if night else 0)))
    path = tmp_path / "req.csv"
    path.write_text("day,slot,required\n" + "".join(f"{d},{s},{r}\n" for d, s, r in rows))
    return path


def run(tmp_path, *extra: str, shifts: str = SHIFTS, req=None, lang: str = "en"):
    shifts_path = tmp_path / "shifts.toml"
    shifts_path.write_text(shifts, encoding="utf-8")
    req = req or requirements(tmp_path)
    args = build_parser().parse_args(
        ["roster", "plan", "--requirements", str(req), "--shifts", str(shifts_path), *extra]
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YUQI_LANGUAGE", lang)
        code = args.func(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_json_answer_has_the_documented_keys(tmp_path):
    code, out, _ = run(tmp_path, "--json")
    answer = json.loads(out)
    assert code == 0
    assert answer["shifts"] == {"早班": [2, 2], "夜班": [1, 1]}
    assert set(answer) >= {"shifts", "coverage", "shortfall", "excess", "status", "seconds"}
    assert len(answer["coverage"]["1"]) == 48
    assert answer["coverage"]["2"][0] == 1.0  # the night shift of day 1, counted on day 2
    assert answer["status"] == "optimal"


def test_human_table_in_chinese_by_default_and_english_on_request(tmp_path):
    _, chinese, _ = run(tmp_path, lang="zh-hans")
    _, english, _ = run(tmp_path, lang="en")
    assert "缺口" in chinese
    assert "早班" in chinese
    assert "shortfall" in english


def test_a_negative_requirement_names_the_row(tmp_path):
    req = requirements(tmp_path, [(1, s, -1 if s == 5 else 0) for s in range(48)])
    code, _, err = run(tmp_path, req=req)
    assert code == 2
    assert "row 7" in err
    _, _, chinese = run(tmp_path, req=req, lang="zh-hans")
    assert "第 7 行" in chinese


def test_a_requirement_with_gaps_is_refused_unless_allowed(tmp_path):
    req = requirements(tmp_path, [(1, s, 1) for s in range(40)])
    code, _, err = run(tmp_path, req=req)
    assert code == 2
    assert "8 missing" in err
    code, out, _ = run(tmp_path, "--missing-as-zero", "--json", req=req)
    assert code == 0
    assert json.loads(out)["notes"] == ["8 missing slots counted as 0"]


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "req.csv"
    path.write_text("day,slot,need\n1,0,1\n")
    code, _, err = run(tmp_path, req=path)
    assert code == 2
    assert "required" in err


def test_a_shift_longer_than_a_day_is_refused(tmp_path):
    code, _, err = run(tmp_path, shifts='[shift.long]\nstart = "08:00"\nhours = 25\n')
    assert code == 2
    assert "longer than a day" in err


def test_malformed_toml_names_the_line(tmp_path):
    code, _, err = run(tmp_path, shifts='[shift.early]\nstart = "08:00\nhours = 8\n')
    assert code == 2
    assert "not valid TOML" in err
    assert "line 2" in err


@pytest.mark.parametrize(
    ("shifts", "fragment"),
    [
        ('[shift.early]\nstart = "8 am"\nhours = 8\n', "HH:MM"),
        ('[shift.early]\nstart = "08:00"\n', "hours is missing"),
        ('[shift.early]\nstart = "08:00"\nhours = 8\nlenght = 3\n', "unknown key"),
        ('[shift.early]\nstart = "08:00"\nhours = 8\nbreaks = [{ minutes = 30 }]\n', "after"),
        ("[limits]\nmax_concurrent = 3\n", "no shifts"),
        ('[shifts.early]\nstart = "08:00"\nhours = 8\n', "unknown table"),
    ],
)
def test_bad_shift_files_are_refused(tmp_path, shifts, fragment):
    code, _, err = run(tmp_path, shifts=shifts)
    assert code == 2
    assert fragment in err


def test_limits_from_the_file_and_the_command_line(tmp_path):
    shifts = SHIFTS + "\n[limits]\nmax_concurrent = 1\n"
    _, out, _ = run(tmp_path, "--json", shifts=shifts)
    assert json.loads(out)["shifts"]["早班"] == [1, 1]
    _, out, _ = run(tmp_path, "--json", "--max-concurrent", "5", shifts=shifts)
    assert json.loads(out)["shifts"]["早班"] == [2, 2]


def test_the_command_needs_no_database(tmp_path, monkeypatch):
    import yuqi.cli

    def refuse(_data_dir):
        raise AssertionError("Django was set up")

    monkeypatch.setattr(yuqi.cli, "setup", refuse)
    code, _, _ = run(tmp_path, "--json")
    assert code == 0
