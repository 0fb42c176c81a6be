"""What a built demo leaves in its data folder: a marker with its parameters and the logins.

No Django here: ``yuqi demo`` reads these before it sets Django up.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

MARKER = "demo.json"
LOGINS = "demo-logins.json"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    display_name: str
    role: str


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    scale: str
    end_date: str
    customers: int
    interactions: int
    seconds: float


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def save_demo_record(data_dir: Path, summary: DemoSummary, logins: list[DemoLogin]) -> None:
    _write_private(
        data_dir / LOGINS,
        json.dumps([asdict(login) for login in logins], indent=2, ensure_ascii=False),
    )
    _write_private(data_dir / MARKER, json.dumps(asdict(summary), indent=2))


def read_demo_logins(data_dir: Path) -> list[DemoLogin]:
    path = data_dir / LOGINS
    if not path.exists():
        return []
    return [DemoLogin(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def is_demo(data_dir: Path) -> bool:
    return (data_dir / MARKER).exists()
