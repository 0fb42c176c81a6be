"""The shape of the operations app (docs/adr/0005-operations-is-a-read-model.md).

Only its selectors and services read other contexts' models; its views, API routers and
commands ask those, and no API or view imports a command module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import yuqi.operations

APP = Path(yuqi.operations.__file__).parent
CAPABILITIES = ("kpi", "staffing", "pyramid", "scorecard", "dashboard")
ENTRY_POINTS = ("views.py", "api.py", "cli.py")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def entry_points() -> list[Path]:
    return sorted(p for name in ENTRY_POINTS for p in APP.glob(f"*/{name}"))


def test_each_capability_is_a_sub_package():
    for name in CAPABILITIES:
        assert (APP / name / "__init__.py").is_file(), name
    flat = {p.name for p in APP.glob("*.py")}
    # facade.py: the context's one door for others (workforce reads the staffing requirement)
    assert flat <= {"__init__.py", "admin.py", "apps.py", "demo.py", "facade.py", "models.py",
                    "tasks.py", "urls.py"}, flat  # fmt: skip


@pytest.mark.parametrize("path", entry_points(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_api_and_commands_read_no_other_contexts_models(path):
    foreign = {
        m for m in imported_modules(path)
        if m.startswith("yuqi.") and ".models" in m and not m.startswith("yuqi.operations.")
    }  # fmt: skip
    assert not foreign, f"{path.name} imports {foreign}: ask the capability's selectors"


@pytest.mark.parametrize(
    "path",
    sorted(p for name in ("api.py", "views.py") for p in APP.glob(f"*/{name}")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_no_api_or_view_imports_a_command_module(path):
    commands = {m for m in imported_modules(path) if m.split(".")[-1].startswith("cli")}
    assert not commands, f"{path.name} imports {commands}"
