"""Fixtures for text-mining tests: the complaints fixtures (frozen clock, outbox, broken
promises), a fresh model folder per test and an empty model cache."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import broken_promises, frozen, outbox  # noqa: F401
from yuqi.textmining.models_store import forget_models


@pytest.fixture(autouse=True)
def model_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    forget_models()
    yield tmp_path
    forget_models()
