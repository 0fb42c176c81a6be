"""The role table in ``docs/roles.md`` agrees with ``accounts/roles.py``, so the two cannot drift.

Each row of the table names permissions in backticks (``app.codename``; a bare ``codename``
takes the app of the one before it; ``*`` is a wildcard over the permissions roles hold) and
marks with ✓ the roles that have them. A role gets a ✓ exactly when it holds *all* of the row's
permissions; a row without permissions ("signed in") is ✓ for everyone; every permission some
role holds is named by some row. ``python -m yuqi.accounts.roles_doc`` writes the ticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from yuqi.accounts import roles_doc
from yuqi.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
HEADER = roles_doc.HEADER
HELD = roles_doc.HELD


@dataclass(frozen=True)
class Row:
    text: str
    tokens: tuple[str, ...]  # "app.codename" or "app.pattern*"
    ticks: dict[str, bool]

    @property
    def has_wildcard(self) -> bool:
        return any("*" in token for token in self.tokens)

    def permissions(self) -> frozenset[str]:
        return roles_doc.row_permissions(self.tokens)


def matrix(text: str) -> list[Row]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if HEADER.match(line))
    roles = [cell.strip() for cell in HEADER.match(lines[start])["roles"].split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        marks = cells[-len(roles) :]
        rows.append(
            Row(
                cells[0],
                roles_doc.row_tokens(cells[0]),
                {r: m == "✓" for r, m in zip(roles, marks, strict=True)},
            )
        )
    return rows


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return matrix(ROLES_DOC.read_text(encoding="utf-8"))


def test_the_readme_links_to_the_role_table():
    readme = (ROLES_DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/roles.md)" in readme


def test_the_matrix_has_a_column_per_role(rows):
    assert rows
    assert [set(row.ticks) for row in rows] == [set(ROLE_NAMES)] * len(rows)


def test_every_named_permission_is_one_a_role_holds(rows):
    unknown = [
        (row.text, token)
        for row in rows
        for token in row.tokens
        if not any(fnmatchcase(p, token) for p in HELD)
    ]
    assert unknown == []


def test_each_tick_means_the_role_holds_all_the_rows_permissions(rows):
    wrong = [
        f"{row.text} / {role}: docs/roles.md {'✓' if ticked else 'blank'}"
        for row in rows
        for role, ticked in row.ticks.items()
        if ticked != (row.permissions() <= ROLE_PERMISSIONS[role])
    ]
    assert wrong == []


def test_a_row_of_exact_permissions_is_all_or_nothing_for_each_role(rows):
    """Otherwise a blank would hide a role's partial access."""
    partial = [
        f"{row.text} / {role}"
        for row in rows
        if not row.has_wildcard
        for role in ROLE_NAMES
        if 0 < len(row.permissions() & ROLE_PERMISSIONS[role]) < len(row.permissions())
    ]
    assert partial == []


def test_every_permission_a_role_holds_is_in_the_matrix(rows):
    named = frozenset().union(*(row.permissions() for row in rows))
    assert sorted(HELD - named) == []


WRONG_TICK = (
    "| `auditlog.view_logentry` | audit log page, `GET /api/v1/audit/entries` |  |",
    "| `auditlog.view_logentry` | audit log page, `GET /api/v1/audit/entries` | ✓ |",
)


def test_the_check_notices_a_wrong_tick():
    text = ROLES_DOC.read_text(encoding="utf-8").replace(*WRONG_TICK)
    row = next(r for r in matrix(text) if r.tokens == ("auditlog.view_logentry",))
    assert row.ticks["agent"] is True
    assert not row.permissions() <= ROLE_PERMISSIONS["agent"]


def test_the_generator_writes_the_table_as_it_stands():
    text = ROLES_DOC.read_text(encoding="utf-8")
    assert roles_doc.render(text) == text


def test_the_generator_corrects_a_wrong_tick_and_check_mode_reports_it(tmp_path, capsys):
    text = ROLES_DOC.read_text(encoding="utf-8")
    drifted = text.replace(*WRONG_TICK)
    assert drifted != text
    path = tmp_path / "roles.md"
    path.write_text(drifted, encoding="utf-8")

    assert roles_doc.main([str(path), "--check"]) == 1
    assert "differs from accounts/roles.py" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == drifted

    assert roles_doc.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == text
    assert roles_doc.main([str(path), "--check"]) == 0


def test_the_generator_only_touches_the_tick_columns():
    text = ROLES_DOC.read_text(encoding="utf-8")
    cleared = re.sub(r"\| ✓ ", "|  ", text)
    assert roles_doc.render(cleared) == text
