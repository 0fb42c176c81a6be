from __future__ import annotations

import argparse
import io
import subprocess
import sys

import pytest

from yuqi.cli import build_parser, main


def test_help_lists_the_commands():
    help_text = build_parser().format_help()
    for command in ("serve", "worker", "createuser", "manage"):
        assert command in help_text


def test_the_installed_command_answers_help():
    result = subprocess.run(
        [sys.executable, "-m", "yuqi.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "createuser" in result.stdout


@pytest.mark.django_db
def test_createuser_with_roles(monkeypatch, capsys):
    from yuqi.accounts.models import User

    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-enough-pass-1\n"))
    code = main(["createuser", "zhaomin", "--role", "supervisor", "--password-stdin"])
    assert code == 0
    assert User.objects.get(username="zhaomin").role_names == ["supervisor"]


@pytest.mark.django_db
def test_createuser_names_the_problem(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["createuser", "bad", "--role", "agent", "--password-stdin"]) == 2
    assert "password" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-enough-pass-1\n"))
    assert main(["createuser", "bad2", "--role", "boss", "--password-stdin"]) == 2
    assert "roles" in capsys.readouterr().err


@pytest.mark.django_db
def test_initial_admin_is_created_once_and_its_login_kept_private(tmp_path):
    from yuqi.accounts.bootstrap import CREDENTIALS_FILE, ensure_initial_admin

    first = ensure_initial_admin(tmp_path)
    assert first.created
    assert first.password
    assert (tmp_path / CREDENTIALS_FILE).stat().st_mode & 0o777 == 0o600
    again = ensure_initial_admin(tmp_path)
    assert not again.created
    assert again.password == first.password


def test_the_commands_keep_their_names_and_order_now_that_the_contexts_register_them():
    parser = build_parser()
    (commands,) = (a for a in parser._actions if a.dest == "command")
    assert list(commands.choices) == [
        "serve",
        "demo",
        "worker",
        "createuser",
        "import",
        "kpi",
        "kpi-rollups",
        "staffing",
        "text",
        "calendar",
        "roster",
        "knowledge",
        "privacy",
        "manage",
    ]


def test_a_context_s_command_gets_setup_from_the_parser_not_by_importing_the_cli():
    import yuqi.cli

    args = build_parser().parse_args(
        ["calendar", "due", "--from", "2026-02-13T10:00", "--working-days", "1"]
    )
    assert args.setup is yuqi.cli.setup
    assert args.migrate is yuqi.cli._migrate
    assert args.func.__module__ == "yuqi.calendars.cli"


def test_each_command_module_registers_the_commands_it_is_listed_under():
    """``COMMAND_MODULES`` names the module of each command, so that ``yuqi kpi`` imports only
    its own module: the table must say what every module really registers."""
    from importlib import import_module

    from yuqi.cli import COMMAND_MODULES

    for module in dict.fromkeys(COMMAND_MODULES.values()):
        added: list[str] = []

        def add(name, help_text, added=added):
            added.append(name)
            return argparse.ArgumentParser(prog=name)

        import_module(module).register(add)
        assert added == [c for c, m in COMMAND_MODULES.items() if m == module], module


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["kpi", "calls.csv", "--by", "queue"], ["yuqi.operations.kpi.cli"]),
        (["--version"], None),
        (["serve", "--port", "8001"], []),
        (["no-such-command"], None),
    ],
)
def test_the_parser_imports_the_named_command_s_module_only(argv, modules):
    from yuqi.cli import COMMAND_MODULES, _modules_for

    expected = list(dict.fromkeys(COMMAND_MODULES.values())) if modules is None else modules
    assert _modules_for(argv) == expected


def test_yuqi_kpi_starts_without_django_scipy_or_the_text_stack(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "arrived_at,queue,answered_at,wait_seconds\n2025-03-01 10:00:00,general,"
        "2025-03-01 10:00:09,9\n",
        encoding="utf-8",
    )
    script = (
        "import sys\nfrom yuqi.cli import main\n"
        f"code = main(['kpi', {str(path)!r}, '--json'])\n"
        "heavy = ('django', 'scipy', 'sklearn', 'pandas', 'jieba', 'yuqi.domain.erlang')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), code, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[] 0"
    assert '"offered": 1' in result.stdout
