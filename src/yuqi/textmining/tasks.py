"""Background jobs of the text-mining context; they only call services."""

from __future__ import annotations

from django.tasks import task

from yuqi.textmining.services import analysis_backfill, model_build, model_upgrade_outdated

BACKFILL_BATCH = 500


@task
def train_text_model(model_id: int) -> str:
    """Train, cross-validate and activate the queued version (``services.model_train``)."""
    row = model_build(model_id=model_id)
    return f"text model v{row.version}: {row.status}"


@task
def backfill_analyses() -> str:
    """Every 10 minutes (registered in ``apps.py``): analyse complaints without one,
    and queue the retraining of an active model stored in an older model format."""
    upgraded = model_upgrade_outdated()
    note = f"; queued v{upgraded.version} to replace an old-format model" if upgraded else ""
    return f"analysed {analysis_backfill(limit=BACKFILL_BATCH)} complaints{note}"
