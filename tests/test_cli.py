from __future__ import annotations

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
