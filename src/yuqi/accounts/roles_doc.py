"""Write the ticks of the role table in ``docs/roles.md`` from ``ROLE_PERMISSIONS``.

    python -m yuqi.accounts.roles_doc [docs/roles.md] [--check]

The table's first two columns are written by hand: the permissions of a row in backticks
(``app.codename``; a bare ``codename`` takes the app of the one before it; ``*`` is a wildcard
over the permissions roles hold) and what they open. The role columns are computed: a role gets
a ✓ exactly when it holds *all* of the row's permissions; a row without permissions ("signed
in") is ✓ for everyone. ``--check`` writes nothing and exits 1 when the file differs.
``tests/accounts/test_roles_doc.py`` runs the check, so the table cannot drift.
"""

from __future__ import annotations

import re
import sys
from fnmatch import fnmatchcase
from pathlib import Path

from yuqi.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS

HEADER = re.compile(r"^\| permission \| what it opens \|(?P<roles>.*)\|\s*$")
HELD: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())
TICK = "✓"


def row_tokens(cell: str) -> tuple[str, ...]:
    """The permission patterns a row's first cell names (``app.codename`` or ``app.add_*``)."""
    found, app = [], ""
    for token in re.findall(r"`([^`]+)`", cell):
        if "." in token:
            app = token.split(".", 1)[0]
        else:
            token = f"{app}.{token}"
        found.append(token)
    return tuple(found)


def row_permissions(tokens: tuple[str, ...]) -> frozenset[str]:
    """The permissions some role holds that the row's patterns match."""
    return frozenset(p for p in HELD for token in tokens if fnmatchcase(p, token))


def ticks(tokens: tuple[str, ...]) -> list[bool]:
    """For each role in ``ROLE_NAMES`` order: does it hold all the row's permissions?"""
    needed = row_permissions(tokens)
    return [needed <= ROLE_PERMISSIONS[role] for role in ROLE_NAMES]


def table_lines(lines: list[str]) -> range:
    """Indexes of the table's rows (after the header and its rule)."""
    start = next(i for i, line in enumerate(lines) if HEADER.match(line))
    end = start + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return range(start + 2, end)


def render(text: str) -> str:
    """``text`` with the header naming the roles and every row's ticks computed."""
    lines = text.splitlines()
    rows = table_lines(lines)
    lines[rows.start - 2] = "| permission | what it opens | " + " | ".join(ROLE_NAMES) + " |"
    lines[rows.start - 1] = "| --- | --- |" + " :-: |" * len(ROLE_NAMES)
    for index in rows:
        cells = [cell.strip() for cell in lines[index].strip().strip("|").split("|")]
        permission, opens = cells[0], cells[1]
        marks = [TICK if held else "" for held in ticks(row_tokens(permission))]
        lines[index] = "| " + " | ".join([permission, opens, *marks]) + " |"
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    paths = [arg for arg in args if arg != "--check"]
    path = Path(paths[0] if paths else "docs/roles.md")
    text = path.read_text(encoding="utf-8")
    wanted = render(text)
    if wanted == text:
        return 0
    if check:
        print(
            f"{path}: the role table differs from accounts/roles.py; run "
            "python -m yuqi.accounts.roles_doc",
            file=sys.stderr,
        )
        return 1
    path.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
