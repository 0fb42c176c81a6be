"""Where classifier files live and the per-process cache of loaded models.

A file is named after its version and creation time, so the cache (keyed by file name) can
never hand out a model of another database's version with the same number.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from yuqi.core.private_files import make_private, private_dir

if TYPE_CHECKING:  # the classifier imports scikit-learn: loaded with the first model
    from yuqi.domain.text.classifier import TrainedModel

_CACHE: dict[str, TrainedModel] = {}
_LOCK = threading.Lock()


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "models"


def file_name(version: int, created: dt.datetime) -> str:
    return f"text-classifier-v{version}-{created:%Y%m%d%H%M%S%f}.joblib"


def save_model(version: int, created: dt.datetime, trained: TrainedModel) -> str:
    name = file_name(version, created)
    make_private(trained.save(private_dir(models_dir()) / name))
    with _LOCK:
        _CACHE[name] = trained
    return name


def load_model(name: str) -> TrainedModel:
    """The model in ``name``, loaded once per process (files never change once written)."""
    with _LOCK:
        cached = _CACHE.get(name)
    if cached is not None:
        return cached
    from yuqi.domain.text.classifier import load

    trained = load(models_dir() / name)
    with _LOCK:
        _CACHE[name] = trained
    return trained


def forget_models() -> None:
    """Empty the cache (tests)."""
    with _LOCK:
        _CACHE.clear()
