"""The README's role matrix agrees with ``accounts/roles.py``, so the two cannot drift.

Each row of the table names permissions in backticks (``app.codename``; a bare ``codename``
takes the app of the one before it; ``*`` is a wildcard over the permissions roles hold) and
marks with ✓ the roles that have them. A role gets a ✓ exactly when it holds *all* of the row's
permissions; a row without permissions ("signed in") is ✓ for everyone; every permission some
role holds is named by some row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from yuqi.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = re.compile(r"^\| permission \| what it opens \|(?P<roles>.*)\|\s*$")
HELD = frozenset().union(*ROLE_PERMISSIONS.values())


@dataclass(frozen=True)
class Row:
    text: str
    tokens: tuple[str, ...]  # "app.codename" or "app.pattern*"
    ticks: dict[str, bool]

    @property
    def has_wildcard(self) -> bool:
        return any("*" in token for token in self.tokens)

    def permissions(self) -> frozenset[str]:
        return frozenset(p for p in HELD for token in self.tokens if fnmatchcase(p, token))


def _tokens(cell: str) -> tuple[str, ...]:
    found, app = [], ""
    for token in re.findall(r"`([^`]+)`", cell):
        if "." in token:
            app = token.split(".", 1)[0]
        else:
            token = f"{app}.{token}"
        found.append(token)
    return tuple(found)


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
                _tokens(cells[0]),
                {r: m == "✓" for r, m in zip(roles, marks, strict=True)},
            )
        )
    return rows


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return matrix(README.read_text(encoding="utf-8"))


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
        f"{row.text} / {role}: README {'✓' if ticked else 'blank'}"
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


def test_the_check_notices_a_wrong_tick():
    text = README.read_text(encoding="utf-8").replace(
        "| `auditlog.view_logentry` | audit log page, `GET /api/v1/audit/entries` |  |",
        "| `auditlog.view_logentry` | audit log page, `GET /api/v1/audit/entries` | ✓ |",
    )
    row = next(r for r in matrix(text) if r.tokens == ("auditlog.view_logentry",))
    assert row.ticks["agent"] is True
    assert not row.permissions() <= ROLE_PERMISSIONS["agent"]
