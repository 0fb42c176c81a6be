"""Privacy tests write their files (SMS outbox, imports) into a temporary data folder."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import frozen, outbox

__all__ = ["frozen", "outbox"]


@pytest.fixture(autouse=True)
def data_folder(settings, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "uploads"
    return folder
