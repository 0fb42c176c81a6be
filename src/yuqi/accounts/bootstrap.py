"""The first administrator of a new installation, with a generated password kept 0600."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from yuqi.accounts.models import User
from yuqi.accounts.services import user_create

INITIAL_ADMIN = "admin"
CREDENTIALS_FILE = "initial-admin.txt"


@dataclass(frozen=True)
class InitialLogin:
    username: str
    password: str | None  # None once the administrator changed it
    created: bool


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def ensure_initial_admin(data_dir: Path) -> InitialLogin:
    """Create ``admin`` if no administrator exists; report the login while it is unchanged."""
    path = data_dir / CREDENTIALS_FILE
    existing = User.objects.filter(groups__name="admin", is_active=True).order_by("pk").first()
    if existing is None:
        password = secrets.token_urlsafe(12)
        user_create(
            username=INITIAL_ADMIN, password=password, roles=["admin"], display_name="Administrator"
        )
        _write_private(path, f"{INITIAL_ADMIN}\n{password}\n")
        return InitialLogin(INITIAL_ADMIN, password, created=True)
    if path.exists():
        username, password = ([*path.read_text(encoding="utf-8").splitlines(), "", ""])[:2]
        user = User.objects.filter(username=username).first()
        if user is not None and user.check_password(password):
            return InitialLogin(username, password, created=False)
    return InitialLogin(existing.username, None, created=False)
