"""Reactions to other contexts' signals, connected in ``TextminingConfig.ready()``."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def on_complaint_opened(sender: Any, complaint_id: int, **kwargs: Any) -> None:
    """Analyse a new ticket's text (sent after the opening commit). A failure is logged and
    never reaches the handler who opened the ticket; the periodic backfill retries it."""
    from yuqi.textmining.services import analysis_run

    try:
        analysis_run(complaint_id=complaint_id)
    except Exception:
        log.exception(
            "text analysis of new complaint %s failed; the backfill will retry", complaint_id
        )
