"""Everything Yuqi writes under its data folder is private to the account it runs as: files
0600, folders 0700 (security review F-13).

The data folder holds personal data in many forms: the SQLite database and its ``-wal``/``-shm``
files, the SMS outbox (phone numbers and live survey links), mail files, uploaded import files,
error reports, text-mining models. Two layers keep them private:

* the ``yuqi`` command, the WSGI and the ASGI entry points call :func:`restrict_umask` at
  start, so whatever a library creates (SQLite's files, Django's mail files, joblib's models)
  is born private;
* the code that creates them asks for the mode explicitly (:func:`private_dir`,
  :func:`open_private`, :func:`make_private`), so they stay private in a process that did not
  go through an entry point (tests, an embedding application, a custom server).

Pure Python, no Django: :mod:`yuqi.config.environment` uses it before Django starts.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700
PRIVATE_UMASK = 0o077


def restrict_umask() -> int:
    """Make files and folders this process creates private from now on; returns the old mask."""
    return os.umask(PRIVATE_UMASK)


def _tighten(path: Path, mode: int) -> None:
    """Remove group and other permissions from a file or folder this account owns."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(mode)


def private_dir(path: str | os.PathLike[str]) -> Path:
    """``mkdir -p`` whose new folders are 0700; the folder itself is tightened if looser."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
        folder.chmod(DIR_MODE)  # mkdir's mode passes through the umask; this does not
    _tighten(path, DIR_MODE)
    return path


def make_private(path: str | os.PathLike[str]) -> Path:
    """Tighten a file written by a library (joblib, SQLite) to 0600; missing files are skipped."""
    path = Path(path)
    _tighten(path, FILE_MODE)
    return path


def _flags(mode: str) -> int:
    if "r" in mode and "+" not in mode:
        raise ValueError("open_private is for writing; use open() to read")
    flags = os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    flags |= os.O_RDWR if "+" in mode else os.O_WRONLY
    if "a" in mode:
        flags |= os.O_APPEND
    elif "x" in mode:
        flags |= os.O_EXCL
    elif "w" in mode:
        flags |= os.O_TRUNC
    return flags


def open_private(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode, ...)`` for writing, creating the file 0600 (and tightening an
    existing one): modes ``w``, ``a``, ``x``, with ``b``/``+`` as usual."""
    fd = os.open(path, _flags(mode), FILE_MODE)
    try:
        with contextlib.suppress(PermissionError):
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise
