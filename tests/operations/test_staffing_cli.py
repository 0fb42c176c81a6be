"""``yuqi staffing``: solve and evaluate one interval from the command line, no database."""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys

import pytest

from yuqi.operations.staffing import cli as cli_staffing

TEXTBOOK = [
    "staffing",
    "--calls",
    "100",
    "--interval",
    "30",
    "--aht",
    "180",
    "--target-sl",
    "0.8",
    "--target-time",
    "20",
    "--shrinkage",
    "0.3",
]


def naive_erlang_c_sl(agents: int, traffic: float, aht: float, target: float) -> float:
    """Textbook Erlang C with factorials (fine for small N), as an independent check."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return 1 - top / bottom * math.exp(-(agents - traffic) * target / aht)


def parser() -> argparse.ArgumentParser:
    """A stand-in for ``yuqi.cli.build_parser``: ``add`` gives a parser with --data-dir."""
    root = argparse.ArgumentParser(prog="yuqi")
    sub = root.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--data-dir")
        return command

    cli_staffing.register(add)
    return root


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    args = parser().parse_args(argv)
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_textbook_case_needs_14_agents(capsys):
    # 100 calls / 30 min, AHT 180 s → A = 10 Erlangs; 80 % in 20 s needs 14 agents (SL 0.888;
    # 13 give 0.796): the worked example of Call Centre Helper's "Erlang C formula – made
    # simple" article, checked here against the factorial formula. Positions are
    # ⌈14 / 0.7⌉ = 20, as in the article: the 14 agents must be on the phones all the time.
    code, out, _err = run([*TEXTBOOK, "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["agents"] == 14
    assert data["positions"] == 20
    assert data["positions_fractional"] == pytest.approx(data["agents_fractional"] / 0.7)
    assert 13 < data["agents_fractional"] <= 14
    assert data["service_level"] == pytest.approx(naive_erlang_c_sl(14, 10, 180, 20))
    assert data["service_level"] == pytest.approx(0.8884, abs=1e-4)
    assert data["occupancy"] == pytest.approx(10 / 14)


def test_json_keys(capsys):
    _code, out, _err = run([*TEXTBOOK, "--json"], capsys)
    data = json.loads(out)
    assert {
        "agents",
        "agents_fractional",
        "positions",
        "service_level",
        "asa",
        "waiting_probability",
        "occupancy",
    } <= data.keys()
    assert "abandon_rate" not in data  # Erlang C: nobody abandons


def test_patience_adds_abandon_rate(capsys):
    code, out, _err = run([*TEXTBOOK, "--patience", "120", "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["model"] == "erlang_a"
    assert 0 < data["abandon_rate"] < 0.2
    assert data["agents"] <= 14  # abandonment relieves the queue


def test_agents_evaluates_instead_of_solving(capsys):
    code, out, _err = run([*TEXTBOOK, "--agents", "13", "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["agents"] == 13
    assert data["service_level"] == pytest.approx(naive_erlang_c_sl(13, 10, 180, 20))
    assert data["service_level"] < 0.8  # 13 agents miss 80/20
    assert data["positions"] == 19  # ⌈13 / 0.7⌉


def test_max_occupancy_can_bind(capsys):
    _code, out, _err = run(
        [
            "staffing",
            "--calls",
            "400",
            "--aht",
            "180",
            "--target-sl",
            "0.8",
            "--max-occupancy",
            "0.85",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert "occupancy" in data["binding"]
    assert data["occupancy"] <= 0.85


def test_human_readable_output(capsys):
    code, out, _err = run(TEXTBOOK, capsys)
    assert code == 0
    assert "agents on the phones   14" in out
    assert "service level" in out


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (["--agents", "9"], "more agents than offered traffic"),
        (["--target-sl", "1.5"], "strictly between 0 and 1"),
        (["--shrinkage", "1"], "shrinkage"),
        (["--max-abandon", "0.05"], "needs patience"),
    ],
)
def test_impossible_input_exits_2_with_reason(capsys, extra, reason):
    code, out, err = run([*TEXTBOOK, *extra, "--json"], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert reason in err


def test_no_target_is_an_error(capsys):
    code, _out, err = run(["staffing", "--calls", "10", "--aht", "120"], capsys)
    assert code == 2
    assert "target" in err


def test_runs_without_django():
    script = (
        "import argparse, sys\n"
        "from tests.operations.test_staffing_cli import parser\n"
        "args = parser().parse_args(sys.argv[1:])\n"
        "code = args.func(args)\n"
        "assert 'django' not in sys.modules, 'staffing imported Django'\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *TEXTBOOK, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["agents"] == 14


def test_help_states_the_positions_rule(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["staffing", "--help"])
    out = capsys.readouterr().out
    assert "ceil(agents / (1 - shrinkage))" in " ".join(out.split())
