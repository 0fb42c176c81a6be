"""Where Yuqi keeps its data, and the few values read from the environment.

Kept apart from ``settings`` so the ``yuqi`` command can prepare the data folder (and its
secret key) before Django starts.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import platformdirs

from yuqi.core.private_files import private_dir

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """A value in the environment cannot be used; the message names the variable."""


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name}={raw!r}: expected a whole number") from exc


def data_dir() -> Path:
    """The data folder: ``YUQI_DATA_DIR`` or the per-user data folder of this platform."""
    raw = os.environ.get("YUQI_DATA_DIR")
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("yuqi", "yuqi"))
    return path.resolve()


def ensure_data_dir(path: Path) -> Path:
    """Create the data folder and its sub-folders, private (0700; existing ones tightened)."""
    for sub in ("", "uploads", "exports", "static", "outbox"):
        private_dir(path / sub)
    return path


def secret_key(path: Path) -> str:
    """``YUQI_SECRET_KEY`` if set, else a key generated once and kept in the data folder (0600)."""
    from_env = os.environ.get("YUQI_SECRET_KEY")
    if from_env:
        return from_env
    key_file = path / "secret_key"
    if key_file.exists():
        return _read_key(key_file)
    ensure_data_dir(path)
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (a worker starting with `yuqi serve`) won
        return _read_key(key_file)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _read_key(key_file: Path) -> str:
    """The key in ``key_file``, waiting briefly while the process that created it writes it."""
    for _ in range(100):
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{key_file} is empty; delete it and start again")
