from __future__ import annotations

import pytest
from django.utils.translation import trans_real

from yuqi.notifications import channels


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS into memory (like Django's mail.outbox), emptied for each test."""
    settings.SMS_BACKEND = "locmem"
    channels.outbox.clear()
    yield channels.outbox
    channels.outbox.clear()


@pytest.fixture
def zh_catalog():
    """``zh_catalog({msgid: msgstr})`` adds entries to the zh-hans catalog for one test, so a
    test sees the catalog at work whether or not the shipped catalog translates them yet."""
    added: list[tuple[dict, str]] = []

    def add(entries: dict[str, str]) -> None:
        catalog = trans_real.translation("zh-hans")._catalog._catalogs[0]
        for msgid, msgstr in entries.items():
            if msgid not in catalog:
                added.append((catalog, msgid))
            catalog[msgid] = msgstr

    yield add
    for catalog, msgid in added:
        catalog.pop(msgid, None)
