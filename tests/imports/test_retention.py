"""Uploaded import files are deleted after the retention period; the runs stay and say so
(security review F-13: uploads were kept for ever)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.imports.files import write_csv
from yuqi.core.clock import now
from yuqi.core.schedule import PERIODIC_JOBS
from yuqi.imports.models import ImportRun, ImportStatus
from yuqi.imports.retention import import_uploads_purge
from yuqi.imports.services import import_run_can_run_again
from yuqi.imports.tasks import purge_old_uploads

pytestmark = pytest.mark.django_db


def _uploaded(client, tmp_path, name: str) -> ImportRun:
    path = write_csv(tmp_path / name, [["customer_id", "customer_name"], ["C1", "赵敏"]])
    upload = SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")
    client.post("/imports/", {"kind": "customers", "file": upload})
    return ImportRun.objects.get(file_name=name)


def _age(run: ImportRun, days: int, status: str = ImportStatus.FAILED) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=now() - timedelta(days=days), status=status
    )
    moment = (now() - timedelta(days=days)).timestamp()
    os.utime(run.stored_path, (moment, moment))


def test_uploads_past_the_retention_are_deleted_and_the_run_says_so(
    as_user, manager, tmp_path, settings
):
    settings.UPLOAD_RETENTION_DAYS = 30
    client = as_user(manager)
    old, recent, running = (_uploaded(client, tmp_path, f"{n}.csv") for n in ("old", "new", "run"))
    _age(old, 31)
    _age(recent, 29)
    _age(running, 31, status=ImportStatus.RUNNING)
    local = write_csv(tmp_path / "local.csv", [["customer_id", "customer_name"]])
    by_command = ImportRun.objects.create(
        kind="customers", file_name="local.csv", stored_path=str(local), status="done"
    )
    ImportRun.objects.filter(pk=by_command.pk).update(created_at=now() - timedelta(days=90))
    orphan = Path(old.stored_path).with_name("orphan-upload.csv")
    orphan.write_bytes(b"x")
    moment = (now() - timedelta(days=40)).timestamp()
    os.utime(orphan, (moment, moment))
    old.refresh_from_db()
    assert import_run_can_run_again(old)

    assert "yuqi.imports.tasks.purge_old_uploads" in {job.task for job in PERIODIC_JOBS}
    assert purge_old_uploads.call() == "deleted the files of 1 imports"

    old.refresh_from_db()
    assert not Path(old.stored_path).exists()
    assert old.file_purged_at is not None
    assert (old.status, old.file_name) == ("failed", "old.csv")  # the record stays
    assert Path(recent.stored_path).exists()
    assert Path(running.stored_path).exists()  # an import still reading it keeps it
    assert local.exists()  # a local file given to `yuqi import` is never ours to delete
    assert not orphan.exists()
    assert not import_run_can_run_again(old)
    assert import_uploads_purge() == []  # idempotent

    assert client.get(f"/api/v1/imports/{old.pk}").json()["file_purged_at"]
    assert client.get(f"/api/v1/imports/{recent.pk}").json()["file_purged_at"] is None
    page = client.get(f"/imports/{old.pk}/").content.decode()
    assert "上传的文件已于" in page
    response = client.post(f"/imports/{old.pk}/again/", follow=True)
    text = response.content.decode()
    assert "YUQI_UPLOAD_RETENTION_DAYS" in text
    assert "保留 30 天" in text
    old.refresh_from_db()
    assert old.status == "failed"  # not queued again


def test_a_retention_of_0_keeps_uploads(as_user, manager, tmp_path, settings):
    settings.UPLOAD_RETENTION_DAYS = 0
    run = _uploaded(as_user(manager), tmp_path, "a.csv")
    _age(run, 3650)
    assert import_uploads_purge() == []
    assert Path(run.stored_path).exists()
