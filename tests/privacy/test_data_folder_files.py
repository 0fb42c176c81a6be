"""The erasure's pass over the data folder reads the folders Yuqi writes files naming a
customer into (each written here by its real writer), and no other tree of the data folder."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMessage

from yuqi.domain.erasure import Identifiers
from yuqi.imports.engine import report_path_for
from yuqi.imports.models import ImportRun
from yuqi.imports.services import _store_upload, import_run_create
from yuqi.notifications.channels import FileSmsBackend, Outgoing
from yuqi.notifications.mail import FileEmailBackend
from yuqi.privacy.facade import DataSubject
from yuqi.privacy.own_sources import SWEPT_SUFFIXES, data_folder_files, erase_data_folder

pytestmark = pytest.mark.django_db

NAME, PHONE = "欧阳娜娜", "13912345678"
SUBJECT = DataSubject(0, "C-ERASE", Identifiers(NAME, PHONE, "", ""))


@pytest.fixture
def folders(settings, data_folder):
    """The data folder as settings.py lays it out for it (e-mail written to files)."""
    settings.EXPORTS_DIR = data_folder / "exports"
    mail = data_folder / "outbox" / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "yuqi.notifications.mail.FileEmailBackend",
            "OPTIONS": {"file_path": str(mail)},
        }
    }
    return data_folder


def write_everywhere(folder: Path) -> list[Path]:
    """One file naming the person from each writer of text files in the data folder."""
    upload = _store_upload("客户名单.csv", io.BytesIO(f"姓名,手机号\n{NAME},{PHONE}\n".encode()))
    run = import_run_create(kind="customers", file_name="客户名单.csv", path=upload, by=None)
    report = report_path_for(run)
    report.write_text(f"行,姓名,手机号,原因\n2,{NAME},{PHONE},缺客户编号\n", encoding="utf-8")
    ImportRun.objects.filter(pk=run.pk).delete()  # a report its run no longer names
    FileSmsBackend().send_sms(
        Outgoing(PHONE, "", f"{NAME}您好，您的投诉已受理", "zh-hans", "complaint:1")
    )
    mail_folder = Path(settings.MAILERS["default"]["OPTIONS"]["file_path"])
    backend = FileEmailBackend(file_path=str(mail_folder))
    backend.send_messages([EmailMessage("回复", f"{NAME}，电话{PHONE}", to=["a@example.com"])])
    written = [upload, report, folder / "outbox" / "sms.jsonl", *mail_folder.iterdir()]
    assert len(written) == 4
    assert all(PHONE in p.read_text(encoding="utf-8") for p in written)
    return written


def test_every_place_a_file_naming_the_customer_is_written_is_erased(folders):
    written = write_everywhere(folders)
    assert set(written) <= set(data_folder_files())
    assert erase_data_folder(SUBJECT).rows == len(written)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert PHONE not in text, path
        assert NAME not in text, path


def test_attachments_are_left_to_the_sources_that_delete_them_with_their_records():
    """Public-form attachments are images and PDFs, mailbox parts are stored without a suffix:
    the channels and mailbox sources delete the person's own (tests/privacy/test_acceptance)."""
    from yuqi.channels.attachments import EXTENSIONS
    from yuqi.mailbox.storage import store_bytes

    assert not set(EXTENSIONS.values()) & SWEPT_SUFFIXES
    stored, _ = store_bytes(f"{NAME} {PHONE}".encode())
    assert Path(stored).suffix == ""


def test_other_trees_of_the_data_folder_are_not_walked(folders, monkeypatch):
    written = write_everywhere(folders)
    unrelated = []
    for tree in ("static/admin/js", "models/v3", "backups/2026/11", "pgdata/base/16384"):
        (folders / tree).mkdir(parents=True)
        for i in range(3):
            path = folders / tree / f"f{i}.csv"
            path.write_text(f"{NAME},{PHONE}\n", encoding="utf-8")
            unrelated.append(path)
    listed: list[str] = []
    real_scandir, real_listdir = os.scandir, os.listdir

    def scandir(path="."):
        listed.append(os.fspath(path))
        return real_scandir(path)

    def listdir(path="."):
        listed.append(os.fspath(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    erase_data_folder(SUBJECT)
    monkeypatch.undo()
    walked = {Path(p).resolve() for p in listed}
    assert not [p for p in walked if p != folders.resolve() and folders.resolve() not in p.parents]
    for tree in ("static", "models", "backups", "pgdata"):
        top = (folders / tree).resolve()
        assert not [p for p in walked if p == top or top in p.parents], tree
    assert all(PHONE in path.read_text(encoding="utf-8") for path in unrelated)
    assert all(PHONE not in path.read_text(encoding="utf-8") for path in written)
