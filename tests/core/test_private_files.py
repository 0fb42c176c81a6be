"""Everything written under the data folder is private: files 0600, folders 0700 (review F-13).

Two proofs: in this process with a permissive umask (022), each writer sets the mode itself;
and a real ``yuqi import`` in a subprocess (the entry point's umask, SQLite's own files).
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage

from tests.imports.files import write_csv
from yuqi.config.environment import ensure_data_dir
from yuqi.core.apps import private_sqlite_files
from yuqi.core.private_files import make_private, open_private, private_dir


def modes(root: Path) -> dict[str, int]:
    """Permission bits of every file and folder under ``root`` (the root included)."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return found


def assert_private(root: Path) -> None:
    loose = {
        name: oct(mode)
        for name, mode in modes(root).items()
        if mode != (0o700 if (root / name).is_dir() else 0o600)
    }
    assert loose == {}


@pytest.fixture
def permissive_umask():
    """As in a process that did not start through a ``yuqi`` entry point."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def data_dir(tmp_path, settings, permissive_umask):
    root = tmp_path / "data"
    ensure_data_dir(root)
    settings.DATA_DIR = root
    settings.MEDIA_ROOT = root / "uploads"
    settings.EXPORTS_DIR = root / "exports"
    return root


def test_the_helpers_make_private_files_and_folders(tmp_path, permissive_umask):
    folder = private_dir(tmp_path / "a" / "b")
    with open_private(folder / "f.txt", "w", encoding="utf-8") as handle:
        handle.write("x")
    with open_private(folder / "f.txt", "a", encoding="utf-8") as handle:
        handle.write("y")
    assert (folder / "f.txt").read_text(encoding="utf-8") == "xy"
    loose = folder / "loose.bin"
    loose.write_bytes(b"1")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o644
    make_private(loose)
    assert_private(tmp_path / "a")


def test_an_existing_data_folder_is_tightened(tmp_path, permissive_umask):
    root = tmp_path / "old-install"
    (root / "uploads").mkdir(parents=True)
    root.chmod(0o755)
    ensure_data_dir(root)
    assert_private(root)


def test_sqlite_database_and_its_companions_are_made_private(tmp_path, permissive_umask):
    database = tmp_path / "yuqi.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").write_bytes(b"")

    class Connection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(database)}

    private_sqlite_files(None, Connection())
    assert_private(tmp_path)


@pytest.mark.django_db
def test_every_writer_under_the_data_folder_writes_privately(data_dir, settings, agent):
    from yuqi.domain.text.classifier import TrainedModel
    from yuqi.imports.engine import import_file
    from yuqi.imports.importers import get_importer
    from yuqi.imports.models import ImportRun
    from yuqi.imports.services import import_upload
    from yuqi.notifications.channels import FileSmsBackend, Outgoing
    from yuqi.textmining.models_store import save_model

    # an uploaded import file with a rejected row (so an error report is written)
    rows = [["客户编号", "姓名", "手机"], ["C1", "赵敏", "13812345678"], ["C2", "", "x"]]
    upload = write_csv(data_dir.parent / "customers.csv", rows).read_bytes()
    run = import_upload(
        kind="customers", name="customers.csv", content=io.BytesIO(upload), by=agent
    )
    run = import_file(importer=get_importer("customers"), path=Path(run.stored_path), run=run)
    assert ImportRun.objects.get(pk=run.pk).rows_rejected == 1
    # the SMS outbox, mail files and a text-mining model
    sms = Outgoing(address="13812345678", subject="", body="赵敏 …", language="zh-hans", ref="t:1")
    assert FileSmsBackend().send_sms(sms).ok
    settings.MAILERS = {
        "default": {
            "BACKEND": "yuqi.notifications.mail.FileEmailBackend",
            "OPTIONS": {"file_path": str(data_dir / "outbox" / "mail")},
        }
    }
    assert EmailMessage("对 赵敏 作出的承诺", "…", to=["zhaomin@example.cn"]).send() == 1
    save_model(1, run.created_at, TrainedModel(pipeline={"fitted": True}, metadata=None))

    written = modes(data_dir)
    assert any(name.startswith("uploads/imports/") for name in written)
    assert any(name.startswith("exports/import-") for name in written)
    assert "outbox/sms.jsonl" in written
    assert any(name.startswith("outbox/mail/") for name in written)
    assert any(name.startswith("models/") for name in written)
    assert_private(data_dir)


def test_a_real_import_leaves_only_private_files(tmp_path):
    """The ``yuqi`` command: database (with its WAL), secret key, error report, folders."""
    root = tmp_path / "data"
    source = write_csv(tmp_path / "c.csv", [["客户编号", "姓名"], ["C1", "赵敏"], ["C2", ""]])
    env = {**os.environ, "YUQI_DATA_DIR": str(root)}
    env.pop("DATABASE_URL", None)  # the embedded SQLite database, created by this run
    result = subprocess.run(
        [sys.executable, "-m", "yuqi.cli", "import", "customers", str(source), "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # one row rejected
    written = modes(root)
    assert {"yuqi.sqlite3", "secret_key"} <= set(written)
    assert any(name.startswith("exports/import-") for name in written)
    assert_private(root)
