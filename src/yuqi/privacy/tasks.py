"""The privacy context's periodic job."""

from __future__ import annotations

import logging

from django.tasks import task

log = logging.getLogger(__name__)


@task
def purge_past_retention() -> str:
    """Daily (registered in ``PrivacyConfig.ready()``): purge each data class past its
    retention period; the counts go on the retention rules (and so into the audit log)."""
    from yuqi.privacy.services import retention_purge

    counts = retention_purge()
    summary = ", ".join(f"{name}: {count}" for name, count in sorted(counts.items()))
    log.info("retention purge: %s", summary or "nothing to purge")
    return summary or "nothing to purge"
